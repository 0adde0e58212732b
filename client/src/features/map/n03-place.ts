import type { Feature, MultiPolygon, Polygon } from 'geojson';

/**
 * One outline on the map: a prefecture (2-digit code) or a municipality (5-digit N03_007 code).
 * A ward of a designated city (静岡市葵区) carries its city's name: shelters may be filed under the city.
 */
export type Place = Feature<Polygon | MultiPolygon, { code: string; name: string; city: string | null }>;

/** MLIT N03's properties: prefecture, 郡 or designated city, municipality or ward, code. */
export type N03 = { N03_001?: string | null; N03_003?: string | null; N03_004?: string | null; N03_007?: string | null };

/** N03 names a ward 北区 with its city 大阪市 beside it (N03_003); a town's N03_003 is its 郡. */
export function municipalityOf(p: N03): Place['properties'] {
  const ward = !!p.N03_003?.endsWith('市') && !!p.N03_004?.endsWith('区');
  return { code: p.N03_007 ?? '', name: p.N03_004 ?? p.N03_003 ?? '', city: ward ? p.N03_003! : null };
}
