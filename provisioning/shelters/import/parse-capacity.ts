/** Open data writes capacity as prose: "屋内1,371人／屋外5,470人（面積の1/2）" → 1371 (indoor), "250人" → 250. */
export function parseCapacity(text: string | undefined): number | null {
  if (!text) return null;
  const normalized = text.normalize('NFKC').replace(/\s+/g, '');
  const indoor = /屋内[:：]?([\d,]+)/.exec(normalized);
  if (indoor?.[1]) return toInteger(indoor[1]);
  const plain = /^([\d,]+)(?:人|名)?$/.exec(normalized);
  if (plain?.[1]) return toInteger(plain[1]);
  return null;
}

function toInteger(digits: string): number | null {
  const value = Number(digits.replace(/,/g, ''));
  return Number.isSafeInteger(value) ? value : null;
}
