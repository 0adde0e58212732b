import { feature } from 'topojson-client';
import type { Topology, GeometryCollection } from 'topojson-specification';
import type { MultiPolygon, Polygon } from 'geojson';
import { MAP_DATA_URLS, PREFECTURE_NAMES } from 'virtual:map-data';
import { municipalityOf, type N03, type Place } from './n03-place.js';

export type { Place };

const CODE_OF_PREFECTURE = Object.fromEntries(Object.entries(PREFECTURE_NAMES).map(([code, name]) => [name, code]));
export const prefectureName = (code: string): string => PREFECTURE_NAMES[code] ?? code;

async function places(key: string, object: string, name: (p: N03) => Place['properties']): Promise<Place[]> {
  const url = MAP_DATA_URLS[key];
  if (!url) return [];
  const res = await fetch(url);
  if (!res.ok) throw new Error(`map data ${key}: HTTP ${res.status}`);
  const topo = (await res.json()) as Topology<{ [k: string]: GeometryCollection<N03> }>;
  const fc = feature(topo, topo.objects[object]!);
  return fc.features.map((f) => ({ type: 'Feature', geometry: f.geometry as Polygon | MultiPolygon, properties: name(f.properties ?? {}) }));
}

/** The 47 prefecture outlines (the national view), decoded from TopoJSON with topojson-client. */
export const loadPrefectures = (): Promise<Place[]> =>
  places('prefectures', 'prefectures', (p) => ({ code: CODE_OF_PREFECTURE[p.N03_001 ?? ''] ?? '', name: p.N03_001 ?? '', city: null }));

/** One prefecture's municipalities (wards of a designated city by their own name). */
export const loadMunicipalities = (prefecture: string): Promise<Place[]> =>
  places(`municipalities-${prefecture}`, 'municipalities', municipalityOf);

