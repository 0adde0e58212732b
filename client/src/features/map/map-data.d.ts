/** The map data's URLs (client/map-data.ts): `prefectures` and `municipalities-<2-digit prefecture code>`. */
declare module 'virtual:map-data' {
  export const MAP_DATA_URLS: Record<string, string>;
  /** 2-digit prefecture code → its name (N03_001), e.g. 17 → 石川県. */
  export const PREFECTURE_NAMES: Record<string, string>;
}
