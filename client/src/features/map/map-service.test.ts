import { describe, expect, it } from 'vitest';
import type { BoardShelter } from '../../../../provisioning/model/index.js';
import { mapServiceOf } from './map-service.js';

type Service = NonNullable<BoardShelter['service']>;
const service = (workingLines: number, emergencyCapable: boolean): Service => ({ workingLines, wantedLines: 2, emergencyCapable, publishedNumber: null });
const open = (actualStatus: BoardShelter['actualStatus'], s: Service | null) => ({ desiredStatus: 'open' as const, actualStatus, service: s });

describe('the map colours a shelter by what its lines can do', () => {
  it('is green only when every wanted line works and one can call 110/118/119', () => {
    expect(mapServiceOf(open('open', service(2, true)))).toBe('working');
    expect(mapServiceOf(open('open', service(2, false)))).toBe('no_emergency');
  });
  it('says no 110/118/119 before degraded: a shelter with one working 050 line cannot call 119', () => {
    expect(mapServiceOf(open('degraded', service(1, false)))).toBe('no_emergency');
    expect(mapServiceOf(open('degraded', service(1, true)))).toBe('degraded');
  });
  it('says no line when none works, and closed when not open', () => {
    expect(mapServiceOf(open('no_line', service(0, false)))).toBe('no_line');
    expect(mapServiceOf({ desiredStatus: 'closed', actualStatus: 'closed', service: null })).toBe('closed');
  });
});
