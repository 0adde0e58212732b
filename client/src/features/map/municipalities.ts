import { fitBox, type Box } from './projection.js';

/** A municipality outline as the board draws it: its rings, its name and where the name goes. */
export interface Municipality {
  code: string;
  name: string;
  rings: Array<Array<[number, number]>>;
  label: [number, number];
  box: Box;
}

interface N03Feature {
  properties: { N03_004?: string | null; N03_003?: string | null; N03_007?: string | null };
  geometry: { type: 'Polygon'; coordinates: number[][][] } | { type: 'MultiPolygon'; coordinates: number[][][][] };
}

const ringArea = (ring: Array<[number, number]>) => Math.abs(ring.reduce((a, [x, y], i) => { const [nx, ny] = ring[(i + 1) % ring.length]!; return a + x * ny - nx * y; }, 0) / 2);

/** N03 GeoJSON features → municipalities; the label sits at the centre of the largest island's outline. */
export function municipalitiesOf(features: N03Feature[]): Municipality[] {
  return features.map((f) => {
    const polygons = f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates;
    const rings = polygons.map((p) => p[0]!.map((c) => [c[0]!, c[1]!] as [number, number]));
    const largest = [...rings].sort((a, b) => ringArea(b) - ringArea(a))[0]!;
    const mean = largest.reduce<[number, number]>((a, [x, y]) => [a[0] + x / largest.length, a[1] + y / largest.length], [0, 0]);
    return {
      code: f.properties.N03_007 ?? '',
      name: f.properties.N03_004 ?? f.properties.N03_003 ?? '',
      rings,
      label: mean,
      box: fitBox(rings.flat(), 0.04),
    };
  });
}

/** The map data ships with the board but loads only when a map is shown (its own chunk). */
export async function loadMunicipalities(): Promise<Municipality[]> {
  const geo = (await import('./data/ishikawa-municipalities.json')).default as unknown as { features: N03Feature[] };
  return municipalitiesOf(geo.features);
}

/** MLIT's credit line, required wherever these boundaries are shown (data/SOURCE.md). */
export const MLIT_CREDIT = '出典：国土交通省「国土数値情報（行政区域データ）」を加工して作成';
