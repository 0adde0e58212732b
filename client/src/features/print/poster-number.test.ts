import { describe, expect, it } from 'vitest';
import type { PhoneNumber } from '../../../../provisioning/model/index.js';
import { posterNumbers } from './poster-number.js';
import { fitBox, projector } from '../map/projection.js';
import { NOTO_OUTLINE } from '../map/noto-outline.js';

describe('the poster and the map', () => {
  it('puts the emergency-capable 0AB-J number first on the poster, never one not in service', () => {
    const n = (e164: string, kind: PhoneNumber['kind'], emergencyCapable: boolean, state: PhoneNumber['state'] = 'in_service') => ({ id: e164, e164, kind, emergencyCapable, state }) as PhoneNumber;
    const out = posterNumbers([n('+815031200001', '050', false), n('+81767530100', '0ABJ', true), n('+81767520100', '0ABJ', true, 'releasing')]);
    expect(out.map((x) => x.e164)).toEqual(['+81767530100', '+815031200001']);
  });

  it('projects north up and west left, and refuses an empty extent', () => {
    const p = projector(fitBox([[136.8, 37.0], [137.1, 37.2]]), 600);
    const [wx, ny] = p.project(136.8, 37.2);
    const [ex, sy] = p.project(137.1, 37.0);
    expect(wx).toBeLessThan(ex);
    expect(ny).toBeLessThan(sy);
    expect(() => fitBox([])).toThrow(/at least one point/);
  });

  it('ships closed GeoJSON rings for the offline base map', () => {
    for (const f of NOTO_OUTLINE.features) {
      const ring = f.geometry.coordinates[0]!;
      expect(ring[0]).toEqual(ring[ring.length - 1]);
      expect(ring.length).toBeGreaterThan(4);
    }
  });
});
