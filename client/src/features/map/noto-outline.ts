/**
 * Offline base map for the board: no tile server, no network.
 *
 * Source, honestly: no Japanese boundary dataset (N03, GSI, Natural Earth) was available offline
 * while this was built, so the land shapes are a hand-simplified trace of the Noto Peninsula
 * coastline (about 40 vertices; schematic, not survey-accurate), adjusted so that every designated
 * shelter of Nanao City falls on land. The "Nanao City" shape is the convex hull of the shelter
 * coordinates in Nanao City's designated-shelter open data (CC BY 4.0, 七尾市;
 * server/drill/data/nanao/README.md), i.e. the extent of its shelters, not the legal boundary.
 * Replace with MLIT 国土数値情報 行政区域データ (N03), simplified, when it can be fetched.
 * GeoJSON order: [longitude, latitude].
 */
export interface OutlineFeature {
  type: 'Feature';
  properties: { name: string; nameEn: string; kind: 'land' | 'municipality' };
  geometry: { type: 'Polygon'; coordinates: number[][][] };
}

export const NOTO_OUTLINE: { type: 'FeatureCollection'; features: OutlineFeature[] } = {"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"name": "能登半島（概略）", "nameEn": "Noto Peninsula (schematic)", "kind": "land"}, "geometry": {"type": "Polygon", "coordinates": [[[136.66, 36.7], [136.72, 36.8], [136.76, 36.89], [136.75, 36.97], [136.73, 37.06], [136.7, 37.13], [136.72, 37.22], [136.74, 37.3], [136.83, 37.34], [136.9, 37.4], [137.0, 37.43], [137.1, 37.48], [137.22, 37.5], [137.34, 37.53], [137.36, 37.47], [137.29, 37.44], [137.22, 37.37], [137.16, 37.3], [137.1, 37.24], [137.06, 37.19], [137.0, 37.2], [136.93, 37.22], [136.9, 37.18], [136.905, 37.15], [136.9, 37.12], [136.935, 37.1], [136.94, 37.085], [136.95, 37.065], [136.985, 37.06], [137.02, 37.07], [137.035, 37.105], [137.06, 37.1], [137.065, 37.05], [137.06, 36.98], [137.03, 36.93], [136.99, 36.91], [136.99, 36.85], [137.02, 36.78], [136.85, 36.72], [136.66, 36.7]]]}}, {"type": "Feature", "properties": {"name": "能登島", "nameEn": "Notojima", "kind": "land"}, "geometry": {"type": "Polygon", "coordinates": [[[136.925, 37.115], [136.95, 37.13], [136.98, 37.16], [137.03, 37.17], [137.07, 37.15], [137.05, 37.12], [137.0, 37.115], [136.925, 37.115]]]}}, {"type": "Feature", "properties": {"name": "七尾市（避難所の範囲）", "nameEn": "Nanao City (extent of its shelters)", "kind": "municipality"}, "geometry": {"type": "Polygon", "coordinates": [[[136.8118, 37.1505], [136.8461, 37.0697], [136.8898, 37.0296], [136.9611, 36.9756], [137.0488, 36.9824], [137.0519, 36.9947], [137.0463, 37.0973], [136.9979, 37.1373], [136.8782, 37.1488], [136.8118, 37.1505]]]}}]};
