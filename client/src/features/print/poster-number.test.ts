import { describe, expect, it } from 'vitest';
import type { ServiceLine, Shelter } from '../../../../provisioning/model/index.js';
import { posterLines } from './poster-number.js';

describe('the poster', () => {
  it('prints only working lines, in the service’s order, and the emergency promise of the service', () => {
    const l = (e164: string, health: ServiceLine['health'], emergencyCapable: boolean): ServiceLine => ({ e164, carrierId: 'c', health, emergencyCapable, replacement: false });
    const service = {
      workingLines: 2, wantedLines: 2, emergencyCapable: false, publishedNumber: '+815031200001', computedAt: '2024-01-09T00:00:00Z',
      lines: [l('+815031200001', 'working', false), l('+815031200002', 'working', false), l('+81767520100', 'down', true)],
    };
    expect(posterLines({ service } as Shelter)).toEqual({ main: '+815031200001', spares: ['+815031200002'], emergencyCapable: false });
    expect(posterLines({ service: null } as Shelter)).toEqual({ main: null, spares: [], emergencyCapable: false });
  });
});
