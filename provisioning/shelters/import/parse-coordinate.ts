export type CoordinateResult = { ok: true; value: number | null } | { ok: false; reason: string };

// Japan's territory including its remote islands; a point outside is a typo or swapped lat/lon.
const JAPAN = { lat: [20, 46], lon: [122, 154] } as const;

/** 緯度/経度 in decimal degrees; blank is allowed (null), anything unreadable or outside Japan is not. */
export function parseCoordinate(text: string, axis: 'lat' | 'lon', column: string): CoordinateResult {
  const value = text.normalize('NFKC').trim();
  if (value === '') return { ok: true, value: null };
  if (!/^[+-]?\d+(\.\d+)?$/.test(value)) {
    return { ok: false, reason: `${column} "${text}" is not a decimal number of degrees` };
  }
  const number = Number(value);
  const [min, max] = JAPAN[axis];
  if (number < min || number > max) {
    return { ok: false, reason: `${column} ${number} is outside Japan (${min}–${max}); swapped 緯度 and 経度?` };
  }
  return { ok: true, value: number };
}
