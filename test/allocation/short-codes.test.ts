import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { planShortCodes, ShortCodeSpaceError } from '../../provisioning/allocation/index.js';
import { classifyDialled } from '../../provisioning/network/classify-dialled.js';
import { dialledReaches, longForm, parseShortCode, prefectureOf } from '../../provisioning/numbers/short-code-scheme.js';

const NANAO = '172022'; // Ishikawa (17)
const OSAKA = '271276'; // Osaka (27)
const at = (id: string, shortCode: string | null, municipalityCode = NANAO) => ({ id, shortCode, municipalityCode });

/** The twelve prefectures a Nankai Trough event would open shelters in (JIS X 0401). */
const NANKAI = ['22', '23', '24', '26', '27', '28', '30', '31', '34', '36', '37', '39'];

describe('planShortCodes', () => {
  it("keeps a shelter's previous code when no open shelter of its prefecture holds it", () => {
    const codes = planShortCodes([at('nanao-001', '4321')], new Set([longForm('17', '5555')]));
    expect(codes.get('nanao-001')).toBe('4321');
  });

  it('gives a new code when the previous one is taken by another open shelter of the prefecture', () => {
    const codes = planShortCodes([at('nanao-001', '4321')], new Set([longForm('17', '4321')]));
    expect(codes.get('nanao-001')).not.toBe('4321');
    expect(codes.get('nanao-001')).toMatch(/^[2-8]\d{3}$/);
  });

  it('lets two prefectures hold the same 4 digits', () => {
    const codes = planShortCodes([at('osaka-1', '4321', OSAKA)], new Set([longForm('17', '4321')]));
    expect(codes.get('osaka-1')).toBe('4321');
  });

  it('never hands out codes that begin like 110/118/119, a 0 prefix, or the long-form 9', () => {
    const codes = planShortCodes([at('a', '0110'), at('b', '1190'), at('c', '9123')], new Set());
    for (const code of codes.values()) expect(code).toMatch(/^[2-8]\d{3}$/);
  });

  it('settles two shelters claiming the same old code the same way whatever the input order', () => {
    const one = planShortCodes([at('b', '3000'), at('a', '3000')], new Set());
    const two = planShortCodes([at('a', '3000'), at('b', '3000')], new Set());
    expect(one).toEqual(two);
    expect(one.get('a')).toBe('3000');
    expect(one.get('b')).not.toBe('3000');
  });

  it('gives unique, deterministic codes per prefecture that avoid the taken ones', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.tuple(fc.stringMatching(/^[a-z0-9-]{1,12}$/), fc.constantFrom(NANAO, OSAKA)), { minLength: 1, maxLength: 300, selector: ([id]) => id }),
        fc.array(fc.tuple(fc.constantFrom('17', '27'), fc.integer({ min: 2000, max: 8999 }).map(String)), { maxLength: 300 }),
        (rows, takenList) => {
          const taken = new Set(takenList.map(([pp, c]) => longForm(pp, c)));
          const shelters = rows.map(([id, m]) => at(id, null, m));
          const codes = planShortCodes(shelters, taken);
          expect(codes.size).toBe(rows.length);
          const keys = shelters.map((s) => longForm(prefectureOf(s.municipalityCode), codes.get(s.id)!));
          expect(new Set(keys).size).toBe(keys.length);
          for (const k of keys) expect(taken.has(k)).toBe(false);
          expect(planShortCodes([...shelters].reverse(), taken)).toEqual(codes);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('says so when a prefecture runs out of its 7,000 codes, and names it', () => {
    const taken = new Set(Array.from({ length: 6999 }, (_, i) => longForm('17', String(2000 + i))));
    expect(planShortCodes([at('last', null)], taken).get('last')).toBe('8999');
    expect(() => planShortCodes([at('x', null), at('y', null)], taken)).toThrow(/prefecture 17/);
    expect(() => planShortCodes([at('x', null), at('y', null)], taken)).toThrow(ShortCodeSpaceError);
    // Another prefecture is unaffected.
    expect(planShortCodes([at('x', null, OSAKA), at('y', null, OSAKA)], taken).size).toBe(2);
  });

  it('codes every shelter of a 20,000-shelter event in 12 prefectures, with no collision in any dialled form', () => {
    const shelters = Array.from({ length: 20_000 }, (_, i) => at(`nankai-${i}`, null, `${NANKAI[i % NANKAI.length]}${String(1000 + (i % 97)).padStart(4, '0')}`));
    const codes = planShortCodes(shelters, new Set());
    expect(codes.size).toBe(20_000);
    const longForms = new Set<string>();
    const local = new Map<string, Set<string>>();
    for (const s of shelters) {
      const code = codes.get(s.id)!;
      const pp = prefectureOf(s.municipalityCode);
      expect(code).toMatch(/^[2-8]\d{3}$/);
      longForms.add(longForm(pp, code));
      const inPrefecture = local.get(pp) ?? new Set<string>();
      expect(inPrefecture.has(code)).toBe(false);
      local.set(pp, inPrefecture.add(code));
      // Dialled inside the prefecture, from another, and as a service/number prefix check.
      // 7119 and 8000 also name the # service, reached only when no shelter holds the code.
      const orService = code === '7119' || code === '8000' ? { orService: `#${code}` } : {};
      expect(classifyDialled(code)).toEqual({ kind: 'short-code', code, prefecture: null, ...orService });
      expect(classifyDialled(longForm(pp, code))).toEqual({ kind: 'short-code', code, prefecture: pp });
    }
    expect(longForms.size).toBe(20_000);
  });
});

describe('the short-code dial plan', () => {
  it('never collides with 0-prefixed numbers, 1XY services or 00XY carrier prefixes', () => {
    for (const digits of ['110', '118', '119', '171', '177', '188', '189', '104', '0767520959', '0120444444', '0033', '0041', '0088', '0077', '00330120', '010']) {
      expect(parseShortCode(digits)).toBeNull();
      expect(classifyDialled(digits).kind).not.toBe('short-code');
    }
    // No 4-digit code is a prefix of a long form, and nothing we hand out starts with 0 or 1.
    fc.assert(
      fc.property(fc.integer({ min: 2000, max: 8999 }), fc.constantFrom(...NANKAI), (n, pp) => {
        const code = String(n);
        expect(longForm(pp, code).startsWith(code)).toBe(false);
        expect(/^[01]/.test(code) || /^[01]/.test(longForm(pp, code))).toBe(false);
      }),
    );
  });

  it('reaches the own prefecture with 4 digits and another prefecture only with the long form', () => {
    const osaka = { shortCode: '2345', prefecture: '27' };
    expect(dialledReaches(parseShortCode('2345')!, osaka, '27')).toBe(true);
    expect(dialledReaches(parseShortCode('2345')!, osaka, '17')).toBe(false);
    expect(dialledReaches(parseShortCode('9272345')!, osaka, '17')).toBe(true);
    expect(dialledReaches(parseShortCode('9172345')!, osaka, '17')).toBe(false);
    // The national directory (no caller prefecture): 4 digits only when no other prefecture uses them.
    expect(dialledReaches(parseShortCode('2345')!, osaka, null, true)).toBe(true);
    expect(dialledReaches(parseShortCode('2345')!, osaka, null, false)).toBe(false);
  });

  it('takes the prefecture from the municipality code, and refuses codes that name none', () => {
    expect(prefectureOf('172022')).toBe('17');
    expect(prefectureOf('011002')).toBe('01');
    expect(prefectureOf('481000')).toBe('00');
    expect(prefectureOf('abc')).toBe('00');
    expect(parseShortCode('9482345')).toBeNull();
    // Shelters whose municipality code names no prefecture share the scope 00, reachable as 900CCCC.
    expect(parseShortCode('9002345')).toEqual({ code: '2345', prefecture: '00' });
  });
});
