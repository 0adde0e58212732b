import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { START, allDocs, call, mint, startApiServer, storeKinds, type ApiServer } from '../support/api-server.js';

const NANAO = readFileSync(new URL('../../server/drill/data/nanao/reference_data.csv', import.meta.url));
const fixture = (name: string) => readFileSync(new URL(`../fixtures/shelters/${name}`, import.meta.url));

const ONE = {
  id: 'TEST-0001', name: '七尾市テスト避難所', municipalityCode: '172022', address: '石川県七尾市袖ケ江町イ部25', lat: 37.043, lon: 136.967, capacity: 120,
};

describe.each(storeKinds())('shelters on %s', (kind) => {
  let s: ApiServer;
  let coordinator: string;
  let viewer: string;

  beforeAll(async () => {
    s = await startApiServer({ store: kind });
    coordinator = (await mint(s, 'coordinator')).token;
    viewer = (await mint(s, 'viewer')).token;
  });
  afterAll(async () => {
    await s?.close();
  });

  const importCsv = (bytes: Buffer) => call(s, 'post', '/api/v1/shelters/import', { token: coordinator, body: bytes, contentType: 'text/csv' });

  it('creates one shelter (201), reports a repeat as unchanged (200) and a change as updated (200)', async () => {
    const created = await call(s, 'post', '/api/v1/shelters', { token: coordinator, json: ONE });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ status: 'created', shelter: { id: ONE.id, areaCodes: ['0767'], desiredStatus: 'closed' }, warnings: [] });
    const before = await s.store.get('shelters', ONE.id);

    s.clock.advance(1000);
    try {
      const again = await call(s, 'post', '/api/v1/shelters', { token: coordinator, json: ONE });
      expect(again.status).toBe(200);
      expect(again.body.status).toBe('unchanged');
      expect(await s.store.get('shelters', ONE.id)).toEqual(before);

      const updated = await call(s, 'post', '/api/v1/shelters', { token: coordinator, json: { ...ONE, capacity: 150 } });
      expect(updated.status).toBe(200);
      expect(updated.body).toMatchObject({ status: 'updated', shelter: { capacity: 150, version: before!.version + 1 } });
    } finally {
      s.clock.set(START);
    }
  });

  it('refuses a municipality code with a wrong check digit, naming the field', async () => {
    const res = await call(s, 'post', '/api/v1/shelters', { token: coordinator, json: { ...ONE, id: 'TEST-0002', municipalityCode: '172023' } });
    expect(res.status).toBe(400);
    expect(res.body.detail).toMatch(/check digit/);
    expect(await s.store.get('shelters', 'TEST-0002')).toBeNull();
  });

  it('imports all 112 Nanao shelters (113 lines, one record over two) with area code 0767', async () => {
    const res = await importCsv(NANAO);
    expect(res.status).toBe(200);
    expect(res.body.layout).toBe('municipal-standard');
    expect(res.body.counts).toEqual({ rows: 112, created: 112, updated: 0, unchanged: 0, rejected: 0 });
    const ids = new Set(res.body.rows.map((r: { id: string }) => r.id));
    const nanao = (await allDocs(s.store, 'shelters')).filter((x) => ids.has(x.id));
    expect(nanao).toHaveLength(112);
    for (const shelter of nanao) expect(shelter.areaCodes, shelter.id).toEqual(['0767']);
    expect(nanao.find((x) => x.id === 'CC0000000504')).toMatchObject({ name: '御祓地区コミュニティセンター', municipalityCode: '172022' });
  });

  it('re-imports Nanao as all unchanged, with no duplicates', async () => {
    const before = await allDocs(s.store, 'shelters');
    const res = await importCsv(NANAO);
    expect(res.body.counts).toMatchObject({ rows: 112, created: 0, updated: 0, unchanged: 112 });
    expect(res.body.rows.every((r: { status: string }) => r.status === 'unchanged')).toBe(true);
    expect(await allDocs(s.store, 'shelters')).toEqual(before);
  });

  it('imports the GSI per-municipality layout in Shift_JIS, with a per-row report', async () => {
    const res = await importCsv(fixture('gsi-nakanoto-sjis.csv'));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ layout: 'gsi', encoding: 'shift_jis', counts: { created: 4, rejected: 2 } });
    const rejected = res.body.rows.filter((r: { status: string }) => r.status === 'rejected');
    expect(rejected.map((r: { line: number }) => r.line)).toEqual([6, 7]);
    expect(rejected[0].reasons).toEqual(['共通ID is missing']);
    expect(await s.store.get('shelters', '17407600001')).toMatchObject({ name: '中能登町役場', municipalityCode: '174076', areaCodes: ['0767'], commonId: '17407600001' });
  });

  it('imports the GSI national merged layout in Shift_JIS, and its UTF-8 BOM twin updates nothing', async () => {
    const sjis = await importCsv(fixture('gsi-national-sjis.csv'));
    expect(sjis.body).toMatchObject({ layout: 'gsi-national', encoding: 'shift_jis', counts: { created: 6, rejected: 0 } });
    expect(await s.store.get('shelters', '27127600001')).toMatchObject({ name: '扇町公園', areaCodes: ['06'] });
    const bom = await importCsv(fixture('gsi-national-utf8-bom.csv'));
    expect(bom.body).toMatchObject({ encoding: 'utf-8-bom', counts: { created: 0, updated: 0, unchanged: 6, rejected: 0 } });
  });

  it('imports a municipality the number-area table lacks with a warning and no area code, and counts rows per area', async () => {
    const res = await importCsv(fixture('gsi-national-sjis.csv'));
    // 色丹村 (no 番号区画): kept in its prefecture, 050 lines only; the row says so.
    expect(res.body.rows.find((r: { id: string }) => r.id === '01695100001')).toMatchObject({
      status: 'unchanged', municipalityCode: '010006', areaCodes: [], warnings: [expect.stringMatching(/not in the number-area table: only 050 numbers/)],
    });
    expect(await s.store.get('shelters', '01695100001')).toMatchObject({ municipalityCode: '010006', areaCodes: [] });
    expect(res.body.areas).toEqual([
      { areaCodes: ['011'], shelters: 1 }, { areaCodes: ['03'], shelters: 1 }, { areaCodes: ['0422', '03'], shelters: 1 },
      { areaCodes: ['06'], shelters: 1 }, { areaCodes: ['0767'], shelters: 1 }, { areaCodes: [], shelters: 1 },
    ]);
  });

  it('refuses a CSV of an unknown layout with a 400 problem naming the expected columns', async () => {
    const before = await allDocs(s.store, 'shelters');
    const res = await importCsv(Buffer.from('number,carrier\n+81767520959,a\n'));
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(res.body.detail).toMatch(/共通ID/);
    expect(await allDocs(s.store, 'shelters')).toEqual(before);
  });

  it('lists shelters with a municipality filter and cursor paging, visiting each once', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res: { status: number; body: { items: { id: string; municipalityCode: string }[]; nextCursor: string | null } } =
        await call(s, 'get', `/api/v1/shelters?municipalityCode=172022&limit=25${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { token: viewer });
      expect(res.status).toBe(200);
      expect(res.body.items.every((x) => x.municipalityCode === '172022')).toBe(true);
      seen.push(...res.body.items.map((x) => x.id));
      cursor = res.body.nextCursor;
      pages++;
    } while (cursor);
    const expected = (await allDocs(s.store, 'shelters')).filter((x) => x.municipalityCode === '172022').map((x) => x.id);
    expect(expected.length).toBe(112 + 1 + 1); // Nanao, the one created above, 七尾市民体育館 from the GSI file
    expect(pages).toBeGreaterThan(4);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.sort()).toEqual(expected.sort());
  });

  it('lists every shelter with no filter, across pages, once each', async () => {
    const seen = new Set<string>();
    let cursor: string | null = null;
    let count = 0;
    do {
      const res: { body: { items: { id: string }[]; nextCursor: string | null } } =
        await call(s, 'get', `/api/v1/shelters?limit=50${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { token: viewer });
      for (const x of res.body.items) seen.add(x.id);
      count += res.body.items.length;
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(count).toBe(seen.size);
    expect(seen.size).toBe((await allDocs(s.store, 'shelters')).length);
  });

  it('shows one shelter with its numbers, handsets and job, and 404 for an unknown one', async () => {
    const one = await call(s, 'get', '/api/v1/shelters/CC0000000504', { token: viewer });
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({ id: 'CC0000000504', numbers: [], handsets: [], job: null });
    const none = await call(s, 'get', '/api/v1/shelters/NOPE', { token: viewer });
    expect(none.status).toBe(404);
    expect(none.headers.get('content-type')).toMatch(/application\/problem\+json/);
  });
});
