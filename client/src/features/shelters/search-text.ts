/**
 * Search as a coordinator types it: full- or half-width, hiragana or katakana, with or without
 * spaces, and the common school abbreviations (高校 ↔ 高等学校, 小 ↔ 小学校, 中 ↔ 中学校) all find
 * the same shelter. Open data writes names one way; people type them another.
 */

/** Katakana for hiragana (ぁ–ゖ are ァ–ヶ less 0x60): 'のとじま' finds ノトジマ in the open data's kana. */
const toKatakana = (v: string) => v.replace(/[\u3041-\u3096]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0x60));

/**
 * One spelling per way of writing: NFKC (ＡＢＣ１２３ → abc123, ｶﾞｯｺｳ → ガッコウ), lower case,
 * katakana, ヶ/ヵ as ケ/カ (霞ヶ丘 = 霞ケ丘), no spaces, and one hyphen for the dashes of addresses (5２－1 = 52-1).
 */
export function foldSearchText(v: string): string {
  return toKatakana(v.normalize('NFKC').toLowerCase())
    .replace(/ヶ/g, 'ケ')
    .replace(/ヵ/g, 'カ')
    .replace(/\s+/g, '')
    .replace(/[‐‑‒–—―−﹣]/g, '-')
    .replace(/(\d)ー(?=\d)/g, '$1-');
}

/** The long forms and the short forms people write for them, kanji and kana. */
const ALWAYS_SHORT: Array<[RegExp, string]> = [
  [/高等学校/g, '高校'],
  [/コウトウガッコウ/g, 'コウコウ'],
];
/** 小 and 中 alone begin too many names (小松市, 中央公民館): a needle is shortened only after a name (和倉小学校 → 和倉小). */
const SHORT_AFTER_A_NAME: Array<[RegExp, string]> = [
  [/(?<=.)小学校/g, '小'],
  [/(?<=.)中学校/g, '中'],
  [/(?<=.)ショウガッコウ/g, 'ショウ'],
  [/(?<=.)チュウガッコウ/g, 'チュウ'],
];

function shorten(folded: string): string {
  let out = folded;
  for (const [from, to] of [...ALWAYS_SHORT, ...SHORT_AFTER_A_NAME]) out = out.replace(from, to);
  return out;
}

/** What a shelter is found by, folded once per document (the board keeps documents immutable, so a WeakMap caches it). */
export interface SearchKey {
  folded: string;
  short: string;
}

// A character no search term holds after folding, so a term never matches across two fields.
const FIELD_BREAK = '\u0000';

export function searchKey(fields: ReadonlyArray<string | null | undefined>): SearchKey {
  const folded = fields.filter((f): f is string => !!f).map(foldSearchText).join(FIELD_BREAK);
  return { folded, short: shorten(folded) };
}

/** Each word typed (split on spaces, full-width ones too) in its folded and its short spelling. */
export type SearchTerms = Array<{ folded: string; short: string }>;

export function searchTerms(text: string): SearchTerms {
  return text
    .split(/[\s\u3000]+/)
    .map(foldSearchText)
    .filter((t) => t !== '')
    .map((folded) => ({ folded, short: shorten(folded) }));
}

/** Every word is found, as typed or in its short spelling ('田鶴浜高校' finds 田鶴浜高等学校, '葵区 小学校' needs both). */
export function matchesTerms(key: SearchKey, terms: SearchTerms): boolean {
  return terms.every((t) => key.folded.includes(t.folded) || key.short.includes(t.short));
}
