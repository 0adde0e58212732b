import { describe, expect, it } from 'vitest';
import type { PosterPrint } from '../../../../provisioning/model/index.js';
import { directoryStates } from './directory-state.js';

const printed = (printedAt: string, outOfDate = false): PosterPrint => ({ printedAt, printedBy: '七尾市 担当', numbers: ['+81767520100'], emergencyCapable: true, outOfDate });
const shelter = (municipalityCode: string, desiredStatus: 'open' | 'closed', lastDirectoryPrint: PosterPrint | null) => ({ municipalityCode, municipality: '七尾市', desiredStatus, lastDirectoryPrint });
const T1 = '2024-01-09T09:00:00.000Z';
const T2 = '2024-01-10T09:00:00.000Z';

describe('a municipality’s printed phone directory', () => {
  it('is up to date while every row it printed is true and every open shelter is on it', () => {
    expect(directoryStates([shelter('172022', 'open', printed(T1)), shelter('172022', 'open', printed(T1)), shelter('172022', 'closed', null)])).toEqual([
      { code: '172022', name: '七尾市', printedAt: T1, outOfDate: false },
    ]);
  });

  it('is out of date once a row it printed changed', () => {
    expect(directoryStates([shelter('172022', 'open', printed(T1)), shelter('172022', 'closed', printed(T1, true))])[0]!.outOfDate).toBe(true);
  });

  it('is out of date when a shelter opened there after it was printed, or was left off the latest print', () => {
    expect(directoryStates([shelter('172022', 'open', printed(T1)), shelter('172022', 'open', null)])[0]!.outOfDate).toBe(true);
    expect(directoryStates([shelter('172022', 'open', printed(T2)), shelter('172022', 'open', printed(T1))])[0]!).toMatchObject({ printedAt: T2, outOfDate: true });
  });

  it('reads an older print’s stale row as history: only the latest print counts', () => {
    expect(directoryStates([shelter('172022', 'open', printed(T2)), shelter('172022', 'closed', printed(T1, true))])[0]!.outOfDate).toBe(false);
  });

  it('says nothing of a municipality whose directory was never printed', () => {
    expect(directoryStates([shelter('172022', 'open', null), shelter('172014', 'open', printed(T1))]).map((d) => d.code)).toEqual(['172014']);
  });
});
