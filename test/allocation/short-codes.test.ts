import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { planShortCodes, ShortCodeSpaceError } from '../../provisioning/allocation/index.js';

describe('planShortCodes', () => {
  it("keeps a shelter's previous code when no open shelter holds it", () => {
    const codes = planShortCodes([{ id: 'nanao-001', shortCode: '4321' }], new Set(['5555']));
    expect(codes.get('nanao-001')).toBe('4321');
  });

  it('gives a new code when the previous one is taken by another open shelter', () => {
    const codes = planShortCodes([{ id: 'nanao-001', shortCode: '4321' }], new Set(['4321']));
    expect(codes.get('nanao-001')).not.toBe('4321');
    expect(codes.get('nanao-001')).toMatch(/^[2-9]\d{3}$/);
  });

  it('never hands out codes that begin like 110/118/119 or a 0 prefix', () => {
    const codes = planShortCodes([{ id: 'a', shortCode: '0110' }, { id: 'b', shortCode: '1190' }], new Set());
    for (const code of codes.values()) expect(code).toMatch(/^[2-9]\d{3}$/);
  });

  it('settles two shelters claiming the same old code the same way whatever the input order', () => {
    const one = planShortCodes([{ id: 'b', shortCode: '3000' }, { id: 'a', shortCode: '3000' }], new Set());
    const two = planShortCodes([{ id: 'a', shortCode: '3000' }, { id: 'b', shortCode: '3000' }], new Set());
    expect(one).toEqual(two);
    expect(one.get('a')).toBe('3000');
    expect(one.get('b')).not.toBe('3000');
  });

  it('gives unique, deterministic codes that avoid the taken ones', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.stringMatching(/^[a-z0-9-]{1,12}$/), { minLength: 1, maxLength: 300 }),
        fc.array(fc.integer({ min: 2000, max: 9999 }).map(String), { maxLength: 300 }),
        (ids, takenList) => {
          const taken = new Set(takenList);
          const shelters = ids.map((id) => ({ id, shortCode: null }));
          const codes = planShortCodes(shelters, taken);
          const values = [...codes.values()];
          expect(codes.size).toBe(ids.length);
          expect(new Set(values).size).toBe(values.length);
          for (const v of values) {
            expect(v).toMatch(/^[2-9]\d{3}$/);
            expect(taken.has(v)).toBe(false);
          }
          expect(planShortCodes([...shelters].reverse(), taken)).toEqual(codes);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('says so when the four-digit space is exhausted', () => {
    const taken = new Set(Array.from({ length: 7999 }, (_, i) => String(2000 + i)));
    expect(planShortCodes([{ id: 'last', shortCode: null }], taken).get('last')).toBe('9999');
    expect(() => planShortCodes([{ id: 'x', shortCode: null }, { id: 'y', shortCode: null }], taken)).toThrow(ShortCodeSpaceError);
  });
});
