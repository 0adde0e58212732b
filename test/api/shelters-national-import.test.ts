import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allDocs, call, mint, startApiServer, type ApiServer } from '../support/api-server.js';
import { designatedCityOf, municipalityByCode } from '../../provisioning/numbers/number-areas.js';

/**
 * The real file a prefecture desk would send: every 指定避難所 of the 12 Nankai prefectures as GSI
 * publishes them (test/fixtures/shelters/gsi-designated/README.md, a copy of ../shared/data/shelters). On the embedded SQLite store: the Firestore
 * emulator takes minutes for 22,413 documents, and the route's Firestore leg is in shelters.test.ts.
 * 出典：国土地理院「指定緊急避難場所・指定避難所データ」を加工して作成
 */
const NANKAI = readFileSync(new URL('../fixtures/shelters/gsi-designated/nankai-designated-shelters.csv', import.meta.url));
const ROWS = 22_413;

describe('a prefecture desk imports the real Nankai file over HTTP', () => {
  let s: ApiServer;
  let coordinator: string;
  beforeAll(async () => {
    s = await startApiServer();
    coordinator = (await mint(s, 'coordinator')).token;
  });
  afterAll(async () => {
    await s?.close();
  });

  // About 20 s on a busy 2-core machine (parse, 22,413 writes, the contract check of the answer): bounded, not timed.
  it('accepts all 22,413 shelters, each with its municipality\'s area codes, and reports how many got which area', async () => {
    const res = await call(s, 'post', '/api/v1/shelters/import', { token: coordinator, body: NANKAI, contentType: 'text/csv' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ layout: 'gsi-national', encoding: 'utf-8' });
    expect(res.body.counts).toEqual({ rows: ROWS, created: ROWS, updated: 0, unchanged: 0, rejected: 0 });

    const shelters = await allDocs(s.store, 'shelters');
    expect(shelters).toHaveLength(ROWS);
    const reported = new Map<string, { municipalityCode: string; areaCodes: string[] }>(res.body.rows.map((r: { id: string }) => [r.id, r]));
    for (const shelter of shelters) {
      // Every municipality of the file is in the table, so every shelter has a 0AB-J area.
      const area = municipalityByCode(shelter.municipalityCode);
      expect(area, shelter.id).not.toBeNull();
      expect(shelter.areaCodes, shelter.id).toEqual(area!.areaCodes);
      expect(reported.get(shelter.id), shelter.id).toMatchObject({ municipalityCode: shelter.municipalityCode, areaCodes: shelter.areaCodes });
    }
    // 大阪市 is published as one city; its shelters are placed in their wards.
    const osaka = shelters.filter((x) => x.municipalityCode === '271004' || designatedCityOf(x.municipalityCode) === '271004');
    expect(osaka).toHaveLength(875);
    expect(osaka.filter((x) => x.municipalityCode === '271004')).toHaveLength(1);

    const areas: { areaCodes: string[]; shelters: number }[] = res.body.areas;
    expect(areas.reduce((n, a) => n + a.shelters, 0)).toBe(ROWS);
    expect(areas.find((a) => a.areaCodes.length === 0)).toBeUndefined();
    const perArea = new Map<string, number>();
    for (const x of shelters) perArea.set(x.areaCodes.join('|'), (perArea.get(x.areaCodes.join('|')) ?? 0) + 1);
    expect(new Map(areas.map((a) => [a.areaCodes.join('|'), a.shelters]))).toEqual(perArea);
    expect(areas.map((a) => a.shelters)).toEqual([...areas.map((a) => a.shelters)].sort((a, b) => b - a));
  }, 240_000);
});
