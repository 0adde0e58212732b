import { describe, expect, it } from 'vitest';
import {
  InvalidNumberError,
  formatNational,
  parseJapaneseNumber,
  toE164OrThrow,
} from '../../provisioning/numbers/japanese-number.js';

function ok(input: string) {
  const r = parseJapaneseNumber(input);
  if (!r.ok) throw new Error(`expected ${input} to parse, got: ${r.reason}`);
  return r;
}

function reasonFor(input: string): string {
  const r = parseJapaneseNumber(input);
  if (r.ok) throw new Error(`expected ${input} to be rejected, got ${r.e164}`);
  return r.reason;
}

describe('parseJapaneseNumber', () => {
  it.each([
    '0767-52-0959',
    '0767520959',
    '+81767520959',
    '+81-767-52-0959',
    '+81 767 52 0959',
    '+81 (0)767 52 0959',
    '+81 0767520959',
    '(0767) 52-0959',
    '0767.52.0959',
    '０７６７－５２－０９５９',
    '０７６７ー５２ー０９５９',
    '0767−52−0959',
    '0767‐52‐0959',
    '0767―52―0959',
    '0767–52–0959',
    '＋８１ ７６７ ５２ ０９５９',
    '（０７６７）５２－０９５９',
    '  0767 52 0959\u3000',
    '010-81-767-52-0959',
  ])('reads %j as the same E.164 number', (written) => {
    const r = ok(written);
    expect(r).toEqual({
      ok: true,
      e164: '+81767520959',
      kind: '0ABJ',
      areaCode: '0767',
      national: '0767520959',
      formatted: '0767-52-0959',
      libType: 'FIXED_LINE',
    });
  });

  it('reads a full-width 050 number', () => {
    expect(ok('０５０－１２３４－５６７８').e164).toBe('+815012345678');
  });

  it.each([
    ['0767-52-0959', '0ABJ', 'FIXED_LINE'],
    ['050-1234-5678', '050', 'VOIP'],
    ['090-1234-5678', 'mobile', 'MOBILE'],
    ['080-1234-5678', 'mobile', 'MOBILE'],
    ['070-1234-5678', 'mobile', 'MOBILE'],
    ['0120-123-456', 'tollfree', 'TOLL_FREE'],
    ['0800-123-4567', 'tollfree', 'TOLL_FREE'],
    ['0570-123-456', 'other', 'UAN'],
    ['0990-123-456', 'other', 'PREMIUM_RATE'],
    ['020-1234-5678', 'other', 'PAGER'],
  ])('classifies %s as kind %s (library type %s)', (written, kind, libType) => {
    const r = ok(written);
    expect(r.kind).toBe(kind);
    expect(r.libType).toBe(libType);
  });

  it.each([
    ['0767-52-0959', '0767'],
    ['076-220-1234', '076'],
    ['03-1234-5678', '03'],
    ['06-6123-4567', '06'],
    ['0768-22-1234', '0768'],
    ['011-211-2111', '011'],
  ])('takes the area code of %s from the national grouping: %s', (written, areaCode) => {
    expect(ok(written).areaCode).toBe(areaCode);
  });

  it.each(['0120-123-456', '050-1234-5678', '090-1234-5678', '0570-123-456', '0990-123-456'])(
    'gives non-geographic %s no area code',
    (written) => {
      expect(ok(written).areaCode).toBeNull();
    },
  );

  it.each([
    ['', /empty/],
    ['   ', /empty/],
    ['0767-52-0959abc', /contains "a"/],
    ['tel:+81767520959', /contains "t"/],
    ['0767-52-0959 ext 12', /contains "e"/],
    ['0120-ABC-DEF', /contains "A"/],
    ['0767+520959', /leading \+/],
    ['123', /not in any number range|too short/],
    ['+81', /too short/],
    ['0767-52-09', /not in any number range/],
    ['0767520959123456789', /too long/],
    ['0000000000', /not in any number range/],
    ['0180-123-456', /not in any number range/],
    ['+14155552671', /not a Japanese number \(country US\)/],
    ['+44 20 7946 0958', /not a Japanese number \(country GB\)/],
  ])('rejects %j with a reason', (written, reason) => {
    expect(reasonFor(written)).toMatch(reason);
  });

  it('rejects input that is not text instead of throwing', () => {
    expect(parseJapaneseNumber(12345 as unknown as string)).toEqual({ ok: false, reason: 'expected the number as text' });
  });
});

describe('toE164OrThrow', () => {
  it('returns the stored form of a valid number', () => {
    expect(toE164OrThrow('076-220-1234')).toBe('+81762201234');
  });

  it('throws an InvalidNumberError carrying the input and the reason', () => {
    let caught: unknown;
    try {
      toE164OrThrow('+14155552671');
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(InvalidNumberError);
    const err = caught as InvalidNumberError;
    expect(err.input).toBe('+14155552671');
    expect(err.reason).toMatch(/not a Japanese number/);
    expect(err.message).toContain('+14155552671');
  });
});

describe('formatNational', () => {
  it.each([
    ['+81767520959', '0767-52-0959'],
    ['+81762201234', '076-220-1234'],
    ['+815012345678', '050-1234-5678'],
    ['+81120123456', '0120-123-456'],
  ])('writes %s as %s', (e164, national) => {
    expect(formatNational(e164)).toBe(national);
  });

  it('refuses something that is not a Japanese number', () => {
    expect(() => formatNational('+14155552671')).toThrow(InvalidNumberError);
  });
});
