import { describe, expect, it } from 'vitest';
import type { ServiceLine, Shelter } from '../../../../provisioning/model/index.js';
import { posterLines } from './poster-number.js';
import { fitBox, projector } from '../map/projection.js';
import { municipalitiesOf } from '../map/municipalities.js';
import geo from '../map/data/ishikawa-municipalities.json' with { type: 'json' };

describe('the poster and the map', () => {
  it('prints only working lines, in the service’s order, and the emergency promise of the service', () => {
    const l = (e164: string, health: ServiceLine['health'], emergencyCapable: boolean): ServiceLine => ({ e164, carrierId: 'c', health, emergencyCapable, replacement: false });
    const service = {
      workingLines: 2, wantedLines: 2, emergencyCapable: false, publishedNumber: '+815031200001', computedAt: '2024-01-09T00:00:00Z',
      lines: [l('+815031200001', 'working', false), l('+815031200002', 'working', false), l('+81767520100', 'down', true)],
    };
    expect(posterLines({ service } as Shelter)).toEqual({ main: '+815031200001', spares: ['+815031200002'], emergencyCapable: false });
    expect(posterLines({ service: null } as Shelter)).toEqual({ main: null, spares: [], emergencyCapable: false });
  });

  it('projects north up and west left, and refuses an empty extent', () => {
    const p = projector(fitBox([[136.8, 37.0], [137.1, 37.2]]), 600);
    const [wx, ny] = p.project(136.8, 37.2);
    const [ex, sy] = p.project(137.1, 37.0);
    expect(wx).toBeLessThan(ex);
    expect(ny).toBeLessThan(sy);
    expect(() => fitBox([])).toThrow(/at least one point/);
  });

  it('ships the 19 municipalities of Ishikawa (MLIT N03) with names, closed rings and a label inside their extent', () => {
    const towns = municipalitiesOf((geo as unknown as { features: Parameters<typeof municipalitiesOf>[0] }).features);
    expect(towns).toHaveLength(19);
    const nanao = towns.find((m) => m.code === '17202')!;
    expect(nanao.name).toBe('七尾市');
    expect(nanao.rings.length).toBeGreaterThan(1); // the mainland and 能登島
    for (const m of towns) {
      for (const ring of m.rings) expect(ring[0]).toEqual(ring[ring.length - 1]);
      expect(m.label[0]).toBeGreaterThan(m.box.minLon);
      expect(m.label[0]).toBeLessThan(m.box.maxLon);
      expect(m.label[1]).toBeGreaterThan(m.box.minLat);
      expect(m.label[1]).toBeLessThan(m.box.maxLat);
    }
  });
});
