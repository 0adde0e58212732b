import { loadMunicipalities, loadPrefectures, prefectureName } from './boundaries.js';
import { mapGeometry, type MapGeometry } from './map-geometry.js';

/** Loads the prefectures' municipalities (and, for a national view, the prefecture outlines) and frames views on them. */
export async function loadMapGeometry(prefectureCodes: string[], national: boolean): Promise<MapGeometry> {
  const [municipalities, prefectures] = await Promise.all([
    Promise.all(prefectureCodes.map(loadMunicipalities)).then((all) => all.flat()),
    national ? loadPrefectures() : Promise.resolve([]),
  ]);
  return mapGeometry(municipalities, prefectures, prefectureCodes, prefectureName);
}
