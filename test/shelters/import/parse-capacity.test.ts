import { describe, expect, it } from 'vitest';
import { parseCapacity } from '../../../provisioning/shelters/import/parse-capacity.js';

describe('capacity from open-data prose', () => {
  it('takes the indoor figure when indoor and outdoor are both given', () => {
    expect(parseCapacity('屋内1,371人／屋外5,470人（面積の1/2）')).toBe(1371);
    expect(parseCapacity('屋内2,736人屋外11,700人（面積の1/2）')).toBe(2736);
    expect(parseCapacity('屋内0人／屋外9,700人(面積の1/2)')).toBe(0);
  });

  it('reads a plain count with or without 人 and full-width digits', () => {
    expect(parseCapacity('250')).toBe(250);
    expect(parseCapacity('1,200人')).toBe(1200);
    expect(parseCapacity('３００人')).toBe(300);
  });

  it('gives null when there is no figure it can trust', () => {
    expect(parseCapacity(undefined)).toBeNull();
    expect(parseCapacity('')).toBeNull();
    expect(parseCapacity('屋外のみ')).toBeNull();
    expect(parseCapacity('約500人')).toBeNull();
  });
});
