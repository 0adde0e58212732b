import { geoArea, geoContains, geoMercator, geoPath, type GeoPermissibleObjects } from 'd3-geo';
import type { Polygon } from 'geojson';
import { loadMunicipalities, loadPrefectures, prefectureName, type Place } from './boundaries.js';

type Focus = { kind: 'national' } | { kind: 'prefecture'; code: string } | { kind: 'town'; code: string } | { kind: 'shelters' };
interface Drawn { code: string; d: string; active: boolean }
interface Label { code: string; name: string; x: number; y: number }

/** One framed picture of the map: SVG paths, labels and a projection for the shelters' dots. */
export interface MapView {
  width: number;
  height: number;
  prefectures: Drawn[];
  municipalities: Drawn[];
  labels: Label[];
  project(lon: number, lat: number): [number, number];
}

export interface MapGeometry {
  municipalities: Place[];
  prefectures: Place[];
  prefectureName(code: string): string;
  frame(focus: Focus, shelters: Array<[number, number]>, width: number): MapView;
}

const MARGIN = 12;
/** Labels go on the largest island of a place (a town with islands keeps its name on the mainland). */
function mainland(p: Place): Polygon {
  if (p.geometry.type === 'Polygon') return p.geometry;
  const parts = p.geometry.coordinates.map((coordinates): Polygon => ({ type: 'Polygon', coordinates }));
  return parts.reduce((a, b) => (geoArea(b) > geoArea(a) ? b : a));
}

/** Larger places first; a name that would overlap one already placed is left out (its outline still shows, and zooming in names it). */
function withoutOverlaps(labels: Label[], fontSize: number): Label[] {
  const placed: Array<{ x0: number; x1: number; y0: number; y1: number }> = [];
  return labels.filter((l) => {
    const half = (l.name.length * fontSize) / 2 + 2;
    const box = { x0: l.x - half, x1: l.x + half, y0: l.y - fontSize, y1: l.y + 3 };
    if (placed.some((b) => box.x0 < b.x1 && b.x0 < box.x1 && box.y0 < b.y1 && b.y0 < box.y1)) return false;
    placed.push(box);
    return true;
  });
}

/** Loads the prefectures' municipalities (and, for a national view, the prefecture outlines) and frames views on them. */
export async function loadMapGeometry(prefectureCodes: string[], national: boolean): Promise<MapGeometry> {
  const [municipalities, prefectures] = await Promise.all([
    Promise.all(prefectureCodes.map(loadMunicipalities)).then((all) => all.flat()),
    national ? loadPrefectures() : Promise.resolve([]),
  ]);
  const active = new Set(prefectureCodes);
  const collection = (features: Place[]): GeoPermissibleObjects => ({ type: 'FeatureCollection', features });

  function target(focus: Focus, shelters: Array<[number, number]>): GeoPermissibleObjects {
    if (focus.kind === 'national' && prefectures.length > 0) return collection(prefectures.filter((p) => active.has(p.properties.code)));
    if (focus.kind === 'town') {
      const town = municipalities.find((m) => m.properties.code === focus.code);
      if (town) return town;
    }
    if (focus.kind === 'prefecture') return collection(municipalities.filter((m) => m.properties.code.startsWith(focus.code)));
    if (focus.kind === 'shelters' && shelters.length > 0) {
      // The towns the shelters are in, so each has its name on the map; a shelter outside them all frames the shelters alone.
      const towns = municipalities.filter((m) => shelters.some((p) => geoContains(m, p)));
      if (towns.length > 0 && shelters.every((p) => towns.some((m) => geoContains(m, p)))) return collection(towns);
      const lons = shelters.map((p) => p[0]);
      const lats = shelters.map((p) => p[1]);
      const pad = 0.02;
      return { type: 'MultiPoint', coordinates: [[Math.min(...lons) - pad, Math.min(...lats) - pad], [Math.max(...lons) + pad, Math.max(...lats) + pad]] };
    }
    return collection(municipalities);
  }

  return {
    municipalities,
    prefectures,
    prefectureName,
    frame(focus, shelters, width) {
      const object = target(focus, shelters);
      const projection = geoMercator();
      const path = geoPath(projection).digits(1);
      // One 4:3 frame for every view, sized by CSS to the window's height: the whole map is always in sight.
      const height = Math.round((width * 3) / 4);
      projection.fitExtent([[MARGIN, MARGIN], [width - MARGIN, height - MARGIN]], object);
      const inside = ([x, y]: [number, number]) => x >= 0 && x <= width && y >= 0 && y <= height;
      const showTowns = focus.kind !== 'national';
      const drawn = (places: Place[], isActive: (p: Place) => boolean): Drawn[] =>
        places.map((p) => ({ code: p.properties.code, d: path(p) ?? '', active: isActive(p) })).filter((p) => p.d !== '');
      const labelOf = (p: Place): Label => {
        const [x, y] = path.centroid(mainland(p));
        return { code: p.properties.code, name: p.properties.name, x: Math.round(x), y: Math.round(y) };
      };
      const named = showTowns ? municipalities : prefectures.filter((p) => active.has(p.properties.code));
      const labels = withoutOverlaps([...named].sort((a, b) => geoArea(b) - geoArea(a)).map(labelOf).filter((l) => inside([l.x, l.y])), showTowns ? 13 : 16);
      return {
        width,
        height,
        prefectures: drawn(prefectures, (p) => active.has(p.properties.code)),
        municipalities: showTowns ? drawn(municipalities, () => true) : [],
        labels,
        project: (lon, lat) => projection([lon, lat]) ?? [0, 0],
      };
    },
  };
}
