import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { feature } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
import type { MultiPolygon, Polygon } from 'geojson';
import { subsetTopology } from '../../../map-data.js';
import { mapGeometry } from './map-geometry.js';
import { municipalityOf, type N03, type Place } from './n03-place.js';
import { labelBox } from './place-labels.js';

const national = JSON.parse(readFileSync(fileURLToPath(new URL('./data/japan-municipalities.topojson', import.meta.url)), 'utf8'));
const object = Object.keys(national.objects)[0]!;

/** One prefecture's municipalities, cut and decoded as the board does (map-data.ts, boundaries.ts). */
function municipalitiesOf(prefecture: string): Place[] {
  const topo = subsetTopology(national, object, (p) => String(p.N03_007).startsWith(prefecture), 'municipalities') as unknown as Topology<{ municipalities: GeometryCollection<N03> }>;
  return feature(topo, topo.objects.municipalities).features.map((f) => ({ type: 'Feature', geometry: f.geometry as Polygon | MultiPolygon, properties: municipalityOf(f.properties ?? {}) }));
}

const overlapping = (labels: ReturnType<typeof labelBox>[]) =>
  labels.flatMap((a, i) => labels.slice(i + 1).filter((b) => a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1).map((b) => [a, b]));

describe('the map names every municipality at prefecture zoom', () => {
  it('names all 19 municipalities of Ishikawa on the map, none over another (小松市, 野々市市, 川北町, 内灘町 and 志賀町 had no name)', () => {
    const towns = municipalitiesOf('17');
    expect(towns).toHaveLength(19);
    const view = mapGeometry(towns, [], ['17'], () => '石川県').frame({ kind: 'prefecture', code: '17' }, [], 640);
    const named = new Set(view.labels.map((l) => l.name));
    expect(towns.map((t) => t.properties.name).filter((n) => !named.has(n))).toEqual([]);
    expect(view.unlabelled).toEqual([]);
    const boxes = view.labels.map(labelBox);
    expect(overlapping(boxes)).toEqual([]);
    for (const b of boxes) expect(b.x0 >= 0 && b.y0 >= 0 && b.x1 <= view.width && b.y1 <= view.height, JSON.stringify(b)).toBe(true);
    // A name moved off its small town points back to it.
    const uchinada = view.labels.find((l) => l.name === '内灘町')!;
    if (uchinada.leader) expect(Math.hypot(uchinada.leader.x1 - uchinada.x, uchinada.leader.y1 - uchinada.y)).toBeLessThan(view.width / 3);
  });

  it('in a prefecture too crowded to name every ward on the map (Osaka, 72), lists the rest beside it: each one named once', () => {
    const towns = municipalitiesOf('27');
    const view = mapGeometry(towns, [], ['27'], () => '大阪府').frame({ kind: 'prefecture', code: '27' }, [], 640);
    const onMap = view.labels.filter((l) => l.code.startsWith('27')).map((l) => l.code);
    const beside = view.unlabelled.map((l) => l.code);
    expect([...onMap, ...beside].sort()).toEqual(towns.map((t) => t.properties.code).sort());
    expect(overlapping(view.labels.map(labelBox))).toEqual([]);
    expect(onMap.length).toBeGreaterThan(beside.length);
  });
});
