import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  MalformedCsvError,
  parseOpenShelterSnapshot,
  parseShelterCsv,
  snapshotTimeFromFileName,
} from '../../../provisioning/shelters/import/index.js';

const historyDir = fileURLToPath(new URL('../../../server/drill/data/nanao/history/', import.meta.url));
const snapshot = (name: string) => parseOpenShelterSnapshot(readFileSync(historyDir + name), name);
const referenceIds = new Set(
  parseShelterCsv(readFileSync(new URL('../../../server/drill/data/nanao/reference_data.csv', import.meta.url)))
    .rows.flatMap((r) => (r.ok ? [r.shelter.id] : [])),
);

describe('Nanao open-shelter snapshots', () => {
  it('reads the first snapshot (2024-01-09 18:00 JST): 29 shelters open, old 人数_…時点 column', () => {
    const first = snapshot('open_shelter_Nanao-shi_2024-01-09-1800.csv');
    expect(first.takenAt).toBe('2024-01-09T18:00:00+09:00');
    expect(first.rows).toHaveLength(29);
    expect(first.rejected).toEqual([]);
    expect(first.rows[0]).toMatchObject({
      id: 'CC0000000518',
      name: '山王小学校',
      district: '袖ケ江',
      evacuees: 180,
      reportedAt: '令和6年1月9日午後6時',
      address: '石川県七尾市山王町ツ３４',
      municipalityCode: '172022',
      areaCodes: ['0767'],
      lat: 37.04185,
      lon: 136.97373,
      capacity: 480,
    });
  });

  it('reads the last snapshot (2024-09-02 18:00 JST): 1 shelter open, 人数 + 時点 columns', () => {
    const last = snapshot('open_shelter_Nanao-shi_2024-09-02-1800.csv');
    expect(last.takenAt).toBe('2024-09-02T18:00:00+09:00');
    expect(last.rows).toHaveLength(1);
    expect(last.rows[0]).toMatchObject({
      id: 'CC0000000537',
      name: '矢田郷地区コミュニティセンター',
      district: '矢田郷',
      evacuees: 40,
      reportedAt: '令和6年9月2日午後6時',
    });
  });

  it('keeps name, address and position of shelters missing from the reference list (NEW001)', () => {
    const first = snapshot('open_shelter_Nanao-shi_2024-01-09-1800.csv');
    const added = first.rows.find((r) => r.id === 'NEW001');
    expect(referenceIds.has('NEW001')).toBe(true);
    expect(added).toMatchObject({
      name: '寄合い処みそぎ',
      address: '石川県七尾市馬出町ツ部49',
      municipalityCode: '172022',
      lat: 37.04683152,
      lon: 136.9618191,
      evacuees: 40,
    });
  });

  it('parses every one of the 118 snapshots, in time order, each row with an ID, a name and a count', () => {
    const names = readdirSync(historyDir).filter((n) => n.endsWith('.csv')).sort();
    expect(names).toHaveLength(118);
    const parsed = names.map(snapshot);
    const times = parsed.map((s) => Date.parse(s.takenAt));
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    for (const s of parsed) {
      expect(s.rejected).toEqual([]);
      expect(s.rows.length).toBeGreaterThan(0);
      for (const row of s.rows) {
        expect(row.id).not.toBe('');
        expect(row.name).not.toBe('');
        expect(row.evacuees).not.toBeNull();
        expect(row.municipalityCode).toBe('172022');
      }
      expect(new Set(s.rows.map((r) => r.id)).size).toBe(s.rows.length);
    }
    expect(parsed[0]?.rows).toHaveLength(29);
    expect(parsed.at(-1)?.rows).toHaveLength(1);
  });

  it('takes the time from the file name as JST, whatever folder it sits in', () => {
    expect(snapshotTimeFromFileName('/tmp/x/open_shelter_Nanao-shi_2024-08-31-1300.csv')).toBe('2024-08-31T13:00:00+09:00');
    expect(new Date(snapshotTimeFromFileName('open_shelter_Nanao-shi_2024-01-09-1800.csv')).toISOString()).toBe(
      '2024-01-09T09:00:00.000Z',
    );
  });

  it('refuses a file name without the snapshot time, and a file that is not a snapshot', () => {
    expect(() => snapshotTimeFromFileName('shelters.csv')).toThrow(MalformedCsvError);
    expect(() => snapshotTimeFromFileName('open_shelter_Nanao-shi_2024-13-45-9999.csv')).toThrow(/no valid date/);
    const notSnapshot = Buffer.from('ID,名称,緯度\nA,B,37\n');
    expect(() => parseOpenShelterSnapshot(notSnapshot, 'open_shelter_X_2024-01-01-0000.csv')).toThrow(/人数/);
  });

  it('reports a row without an ID instead of dropping it silently', () => {
    const input = Buffer.from('ID,地区,名称,人数,時点\n,御祓,名無し,3,x\nA1,御祓,ある,4,x\n');
    const result = parseOpenShelterSnapshot(input, 'open_shelter_X_2024-01-01-0600.csv');
    expect(result.rows.map((r) => r.id)).toEqual(['A1']);
    expect(result.rejected).toEqual([{ line: 2, reasons: ['ID is missing'] }]);
  });
});
