import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { feature } from 'topojson-client';
import { geoArea } from 'd3-geo';
import type { GeometryCollection, Topology } from 'topojson-specification';
import { subsetTopology } from '../../../map-data.js';

const national = JSON.parse(readFileSync(fileURLToPath(new URL('./data/japan-municipalities.topojson', import.meta.url)), 'utf8'));

describe('the offline map data, cut per prefecture at build time', () => {
  it('keeps Ishikawa’s 19 municipalities with their names and outlines, and only the arcs they use', () => {
    const ishikawa = subsetTopology(national, 'N03-21_210101', (p) => String(p.N03_007).startsWith('17'), 'municipalities') as unknown as Topology<{ municipalities: GeometryCollection<{ N03_004: string; N03_007: string }> }>;
    const towns = feature(ishikawa, ishikawa.objects.municipalities).features;
    expect(towns).toHaveLength(19);
    const nanao = towns.find((t) => t.properties.N03_007 === '17202')!;
    expect(nanao.properties.N03_004).toBe('七尾市');
    expect(nanao.geometry.type).toBe('MultiPolygon'); // the mainland and 能登島
    // Decoded from the subset, the town has the same outline as decoded from the whole country.
    const whole = feature(national, national.objects['N03-21_210101']) as unknown as { features: Array<{ properties: { N03_007: string }; geometry: unknown }> };
    expect(nanao.geometry).toEqual(whole.features.find((f) => f.properties.N03_007 === '17202')!.geometry);
    expect(geoArea(nanao)).toBeGreaterThan(0);
    expect(geoArea(nanao)).toBeLessThan(0.001); // a town, not the whole sphere (a wound ring would be ≈ 4π)
    expect(ishikawa.arcs.length).toBeLessThan(national.arcs.length / 10);
  });

  it('keeps nothing when no municipality matches', () => {
    expect(subsetTopology(national, 'N03-21_210101', () => false, 'municipalities').arcs).toEqual([]);
  });
});
