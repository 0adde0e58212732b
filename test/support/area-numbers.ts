import { parseJapaneseNumber } from '../../provisioning/numbers/japanese-number.js';

const pad = (n: number, w: number) => String(n).padStart(w, '0');

/**
 * `count` valid numbers (E.164) that libphonenumber places in `area` (an area code such as 0767,
 * or 050): a prefix alone may belong to a neighbour area (042-2… is 0422's), so each is checked.
 * `salt` varies the numbers between callers that must not collide.
 */
export function numbersInArea(area: string, count: number, salt = 1): string[] {
  const out: string[] = [];
  const localDigits = (area === '050' ? 11 : 10) - area.length;
  for (let i = 0; out.length < count; i++) {
    if (i > count * 50 + 100) throw new Error(`could not find ${count} numbers of area ${area}`);
    const national = `${area}${pad((salt * 7919 + i * 104_729 + 12_000_000) % 10 ** localDigits, localDigits)}`;
    const p = parseJapaneseNumber(national);
    if (p.ok && (area === '050' ? p.kind === '050' : p.kind === '0ABJ' && p.areaCode === area)) out.push(p.e164);
  }
  return out;
}
