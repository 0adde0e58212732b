import { geoArea, geoBounds, geoContains, geoMercator, geoPath, type GeoPermissibleObjects } from 'd3-geo';
import type { Polygon } from 'geojson';
import type { Place } from './n03-place.js';
import { placeLabels, type LabelRequest, type PlacedLabel } from './place-labels.js';

export type MapFocus = { kind: 'national' } | { kind: 'prefecture'; code: string } | { kind: 'town'; code: string } | { kind: 'shelters' };
interface Drawn { code: string; d: string; active: boolean }
/** Where a shelter is, as the map needs it: its point and its municipality (JIS code, 6 digits, and name). */
export interface MapPoint { lon: number; lat: number; municipalityCode: string; municipality?: string }

/** One framed picture of the map: SVG paths, labels and a projection for the shelters' dots. */
export interface MapView {
  width: number;
  height: number;
  prefectures: Drawn[];
  municipalities: Drawn[];
  labels: PlacedLabel[];
  /** Municipalities of the framed prefecture whose names fit nowhere on the map: listed beside it. */
  unlabelled: Array<{ code: string; name: string }>;
  project(lon: number, lat: number): [number, number];
}

export interface MapGeometry {
  municipalities: Place[];
  prefectures: Place[];
  prefectureName(code: string): string;
  frame(focus: MapFocus, shelters: MapPoint[], width: number): MapView;
}

const MARGIN = 12;
const TOWN_FONT = 13;
const PREFECTURE_FONT = 16;

/** Labels go on the largest island of a place (a town with islands keeps its name on the mainland). */
function mainland(p: Place): Polygon {
  if (p.geometry.type === 'Polygon') return p.geometry;
  const parts = p.geometry.coordinates.map((coordinates): Polygon => ({ type: 'Polygon', coordinates }));
  return parts.reduce((a, b) => (geoArea(b) > geoArea(a) ? b : a));
}

/** Frames views on already loaded outlines: the prefectures' municipalities and, for a national view, the prefecture outlines. */
export function mapGeometry(municipalities: Place[], prefectures: Place[], activePrefectures: string[], prefectureName: (code: string) => string): MapGeometry {
  const active = new Set(activePrefectures);
  const collection = (features: Place[]): GeoPermissibleObjects => ({ type: 'FeatureCollection', features });
  const bounds = new Map<Place, [[number, number], [number, number]]>();
  const boundsOf = (p: Place) => bounds.get(p) ?? (bounds.set(p, geoBounds(p) as [[number, number], [number, number]]), bounds.get(p)!);
  const area = new Map<Place, number>();
  const areaOf = (p: Place) => area.get(p) ?? (area.set(p, geoArea(p)), area.get(p)!);

  /** The towns the shelters are in, by code (a designated city's shelters may carry the city's code: its wards then). */
  function townsOf(shelters: MapPoint[]): Place[] {
    const codes = new Set(shelters.map((s) => s.municipalityCode.slice(0, 5)));
    const cities = new Set(shelters.map((s) => `${s.municipalityCode.slice(0, 2)}|${s.municipality ?? ''}`));
    return municipalities.filter((m) => codes.has(m.properties.code) || (m.properties.city !== null && cities.has(`${m.properties.code.slice(0, 2)}|${m.properties.city}`)));
  }

  function target(focus: MapFocus, shelters: MapPoint[]): GeoPermissibleObjects {
    if (focus.kind === 'national' && prefectures.length > 0) return collection(prefectures.filter((p) => active.has(p.properties.code)));
    if (focus.kind === 'town') {
      const town = municipalities.find((m) => m.properties.code === focus.code);
      if (town) return town;
    }
    if (focus.kind === 'prefecture') return collection(municipalities.filter((m) => m.properties.code.startsWith(focus.code)));
    if (focus.kind === 'shelters' && shelters.length > 0) {
      // The towns the shelters are in, so each has its name on the map; a shelter outside them all (a wrong coordinate) frames the shelters alone.
      const towns = townsOf(shelters);
      const boxes = towns.map(boundsOf);
      const inside = (s: MapPoint) => boxes.some(([[w, south], [e, north]]) => s.lon >= w && s.lon <= e && s.lat >= south && s.lat <= north);
      if (towns.length > 0 && shelters.every(inside)) return collection(towns);
      let [w, south, e, north] = [Infinity, Infinity, -Infinity, -Infinity];
      for (const s of shelters) [w, south, e, north] = [Math.min(w, s.lon), Math.min(south, s.lat), Math.max(e, s.lon), Math.max(north, s.lat)];
      const pad = 0.02;
      return { type: 'MultiPoint', coordinates: [[w - pad, south - pad], [e + pad, north + pad]] };
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
      const request = (p: Place, fontSize: number): LabelRequest => {
        const [x, y] = path.centroid(mainland(p));
        return { code: p.properties.code, name: p.properties.name, anchor: [x, y], fontSize };
      };
      const largestFirst = (places: Place[]) => [...places].sort((a, b) => areaOf(b) - areaOf(a));
      const named = showTowns ? municipalities : prefectures.filter((p) => active.has(p.properties.code));
      // The prefecture view names every one of its municipalities (issue 32): moved onto the sea with a leader line, or listed beside.
      const everyOf = focus.kind === 'prefecture' ? focus.code : null;
      const must = everyOf ? largestFirst(named.filter((p) => p.properties.code.startsWith(everyOf))) : [];
      const rest = largestFirst(named.filter((p) => !must.includes(p)));
      const fontSize = showTowns ? TOWN_FONT : PREFECTURE_FONT;
      const onLand = (x: number, y: number) => {
        const at = projection.invert?.([x, y]);
        if (!at) return false;
        return named.some((p) => {
          const [[w, south], [e, north]] = boundsOf(p);
          return at[0] >= w && at[0] <= e && at[1] >= south && at[1] <= north && geoContains(p, at);
        });
      };
      const frame = { width, height, onLand };
      const first = placeLabels(must.map((p) => request(p, fontSize)), { ...frame, every: true });
      const others = placeLabels(rest.map((p) => request(p, fontSize)).filter((l) => inside(l.anchor)), { ...frame, taken: first.placed });
      return {
        width,
        height,
        prefectures: drawn(prefectures, (p) => active.has(p.properties.code)),
        municipalities: showTowns ? drawn(municipalities, () => true) : [],
        labels: [...first.placed, ...others.placed],
        unlabelled: first.unplaced.map((l) => ({ code: l.code, name: l.name })),
        project: (lon, lat) => projection([lon, lat]) ?? [0, 0],
      };
    },
  };
}
