import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allRoutes } from '../../server/routes/index.js';
import type { RouteSpec } from '../../server/http/route.js';
import { allDocs, call, fillPath, mint, snapshotStore, startApiServer, type ApiServer } from '../support/api-server.js';
import { idsOf, mintScoped, seedTwoAreas } from './two-areas-fixture.js';

/**
 * A prefecture's disaster HQ with a coordinator token limited to its prefecture (石川県) tries
 * every route at another prefecture's (静岡県) shelters: all refused, nothing of them shown. The
 * route table drives it, as it drives the role rules (test/api/auth-and-roles.test.ts).
 */
let s: ApiServer;
let fx: Awaited<ReturnType<typeof seedTwoAreas>>;
let desk: string; // coordinator of 石川県
let wall: string; // viewer of 石川県
let city: string; // coordinator of 静岡市 (a designated city: its wards included)
let national: string; // an unscoped coordinator

beforeAll(async () => {
  s = await startApiServer({ captureLogs: true });
  fx = await seedTwoAreas(s);
  desk = await mintScoped(s, 'coordinator', { prefectures: ['石川県'] });
  wall = await mintScoped(s, 'viewer', { prefectures: ['17'] });
  city = await mintScoped(s, 'coordinator', { municipalities: ['静岡市'] });
  national = (await mint(s, 'coordinator')).token;
});
afterAll(() => s?.close());

const areaRoutes = allRoutes().filter((r) => r.access.kind === 'roles' && r.access.roles.some((role) => role === 'coordinator' || role === 'viewer'));
const areaOf = (r: RouteSpec) => r.area ?? 'national';
const label = (r: RouteSpec) => `${r.method.toUpperCase()} ${r.path}`;
const awayIds = () => idsOf(fx.away);
const mentionsAway = (text: string) => awayIds().filter((id) => text.includes(id));

/** A body each route that names one document accepts, so an unknown id reaches the route's own 404. */
const BODIES: Record<string, unknown> = {
  'POST /api/v1/shelters/:id/open': {},
  'POST /api/v1/shelters/:id/close': {},
  'POST /api/v1/shelters/:id/handsets': { vendor: 'softphone' },
  'POST /api/v1/shelters/:id/outbound-restriction/review': { note: 'reviewed' },
  'PATCH /api/v1/shelters/:id': { evacuees: 1 },
  'PATCH /api/v1/shelters/:id/contact': { contactName: '七尾 花子' },
  'PUT /api/v1/alerts/:id/assignee': { assignee: '七尾 花子' },
};

describe('a coordinator limited to an area, on every route', () => {
  it('finds an area rule on every route a coordinator or viewer may call', () => {
    expect(areaRoutes.length).toBeGreaterThan(25);
    const undeclared = areaRoutes.filter((r) => r.area === undefined).map(label);
    expect(undeclared, 'say `area:` on each: bound, filtered, unbound or national').toEqual([]);
  });

  it('refuses every national route (403), logging the refusal with the token id and never the token', async () => {
    const nationalRoutes = areaRoutes.filter((r) => areaOf(r) === 'national' && r.access.kind === 'roles' && r.access.roles.includes('coordinator'));
    expect(nationalRoutes.map(label)).toEqual(expect.arrayContaining(['POST /api/v1/carriers/:id/health', 'PATCH /api/v1/carriers/:id', 'PUT /api/v1/dial-plan/navi-dial']));
    const before = await snapshotStore(s.store);
    for (const r of nationalRoutes) {
      const res = await call(s, r.method, fillPath(r.path, { id: fx.carriers[0]!.id }), { token: desk, json: {} });
      expect(res.status, label(r)).toBe(403);
      expect(res.body.detail, label(r)).toMatch(/whole network; a token limited to an area may not/);
    }
    // The metrics route is a viewer's too.
    expect((await call(s, 'get', '/metrics', { token: wall })).status).toBe(403);
    expect(await snapshotStore(s.store)).toEqual(before);
    const refusals = s.logs.filter((l) => l.includes("outside the caller's area"));
    expect(refusals.length).toBeGreaterThanOrEqual(nationalRoutes.length + 1);
    expect(refusals.join('\n')).not.toContain(desk);
    expect(JSON.parse(refusals[0]!)).toMatchObject({ level: expect.anything(), why: 'national', status: 403, tokenId: expect.stringMatching(/^tok_/) });
  });

  it("answers 404 for another prefecture's shelter, job or alert on every route that names one, exactly as for an id that does not exist", async () => {
    const bound = areaRoutes.filter((r) => typeof r.area === 'object');
    expect(bound.length).toBeGreaterThanOrEqual(12);
    const away = { shelters: fx.away.shelters.open, jobs: 'away-job', alerts: 'away-alert' } as const;
    const tries = bound.map((r) => ({
      r,
      id: away[(r.area as { bound: keyof typeof away }).bound],
      json: BODIES[label(r)] ?? (r.method === 'get' ? undefined : {}),
      token: r.access.kind === 'roles' && r.access.roles.includes('coordinator') ? desk : wall,
    }));
    const before = await snapshotStore(s.store);
    const outside = [];
    for (const { r, id, json, token } of tries) outside.push(await call(s, r.method, fillPath(r.path, { id }), { token, json }));
    // Nothing of the other prefecture changed, and nothing was counted against it.
    expect(await snapshotStore(s.store)).toEqual(before);
    for (const [i, { r, id, json, token }] of tries.entries()) {
      const unknown = await call(s, r.method, fillPath(r.path, { id: 'no-such-id' }), { token, json });
      expect(outside[i]!.status, label(r)).toBe(404);
      expect(unknown.status, `${label(r)} (unknown id)`).toBe(404);
      expect(outside[i]!.text.replaceAll(id, 'ID'), label(r)).toBe(unknown.text.replaceAll('no-such-id', 'ID'));
    }
    // Its own area's documents are reachable on the same routes.
    expect((await call(s, 'get', `/api/v1/shelters/${fx.home.shelters.open}`, { token: desk })).status).toBe(200);
    expect((await call(s, 'get', '/api/v1/jobs/home-job', { token: wall })).status).toBe(200);
    expect((await call(s, 'post', '/api/v1/alerts/home-alert/ack', { token: desk })).status).toBe(200);
  });

  it('may read what every area shares (a carrier alert, a network job) but not act on it (403)', async () => {
    expect((await call(s, 'get', '/api/v1/jobs/network-job', { token: desk })).status).toBe(200);
    expect((await call(s, 'post', '/api/v1/jobs/network-job/retry', { token: desk })).status).toBe(403);
    expect((await call(s, 'post', '/api/v1/alerts/carrier-alert/ack', { token: desk })).status).toBe(403);
    // A job about one number is no area's: not even readable.
    expect((await call(s, 'get', '/api/v1/jobs/number-job', { token: desk })).status).toBe(404);
  });
});

describe('what an area-limited caller reads and exports', () => {
  const list = async (token: string, path: string) => {
    const items: any[] = [];
    let cursor: string | null = null;
    do {
      const r: { status: number; body: { items: any[]; nextCursor: string | null } } = await call(s, 'get', `${path}${path.includes('?') ? '&' : '?'}limit=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { token });
      expect(r.status, path).toBe(200);
      items.push(...r.body.items);
      cursor = r.body.nextCursor;
    } while (cursor);
    return items;
  };

  it('lists only its area (one per page, each once), where an unscoped coordinator lists both', async () => {
    // Each carrier's probe job is network work every area shares, like the fixture's network job.
    const probes = (await s.deps.store.query('jobs', { where: { kind: 'carrier_probe' } })).items.map((j) => j.id);
    expect(probes.length).toBeGreaterThan(0);
    for (const token of [desk, wall]) {
      const shelters = await list(token, '/api/v1/shelters');
      expect(shelters.map((x) => x.id).sort()).toEqual([fx.home.shelters.closed, fx.home.shelters.open]);
      const jobs = await list(token, '/api/v1/jobs');
      expect(jobs.map((x) => x.id).sort()).toEqual(['home-job', 'network-job', ...probes].sort());
      const alerts = await list(token, '/api/v1/alerts');
      expect(alerts.map((x) => x.id).sort()).toEqual(['carrier-alert', 'home-alert']);
      const holds = await list(token, '/api/v1/fraud-holds');
      expect(holds.map((x) => x.shelterId)).toEqual([fx.home.shelters.open]);
    }
    expect((await list(national, '/api/v1/shelters')).length).toBe(4);
    expect((await list(national, '/api/v1/jobs')).length).toBe(4 + probes.length);
  });

  it("lists its shelters' numbers and the shared pool, a pool number's past elsewhere left out", async () => {
    const numbers = await list(desk, '/api/v1/numbers');
    const [homeLine, homePool] = fx.home.docs.numbers;
    const [awayLine, awayPool] = fx.away.docs.numbers;
    const moved = fx.shared.movedLine;
    expect(numbers.map((n) => n.e164).sort()).toEqual([homeLine!.e164, homePool!.e164, awayPool!.e164, moved.e164].sort());
    expect(numbers.find((n) => n.e164 === homePool!.e164).previousShelterId).toBe(fx.home.shelters.closed);
    expect(numbers.find((n) => n.e164 === awayPool!.e164).previousShelterId).toBeNull();
    expect(numbers.find((n) => n.e164 === moved.e164)).toMatchObject({ shelterId: fx.home.shelters.open, previousShelterId: null });
    expect(numbers.map((n) => n.e164)).not.toContain(awayLine!.e164);
  });

  it('exports only its area', async () => {
    const r = await call(s, 'get', '/api/v1/exports/shelters.csv', { token: wall });
    expect(r.status).toBe(200);
    expect(r.text).toContain(fx.home.shelters.open);
    expect(mentionsAway(r.text)).toEqual([]);
    expect((await call(s, 'get', '/api/v1/exports/shelters.csv', { token: national })).text).toContain(fx.away.shelters.open);
  });

  it('sees a designated city with its wards when limited to the city (静岡市 → 静岡市葵区)', async () => {
    const shelters = await list(city, '/api/v1/shelters');
    expect(shelters.map((x) => x.id).sort()).toEqual([fx.away.shelters.closed, fx.away.shelters.open]);
    expect((await call(s, 'get', `/api/v1/shelters/${fx.home.shelters.open}`, { token: city })).status).toBe(404);
  });
});

describe('what an area-limited coordinator does', () => {
  it("opens its own shelters in bulk; another prefecture's is answered as unknown and left alone", async () => {
    const before = await s.store.get('shelters', fx.away.shelters.closed);
    const r = await call(s, 'post', '/api/v1/shelters/open-bulk', { token: desk, json: { ids: [fx.home.shelters.closed, fx.away.shelters.closed, 'no-such-id'] } });
    expect(r.status).toBe(202);
    const [home, away, unknown] = r.body.results;
    expect(home).toMatchObject({ shelterId: fx.home.shelters.closed, jobId: expect.any(String) });
    expect(away).toEqual({ shelterId: fx.away.shelters.closed, error: `shelter ${fx.away.shelters.closed} does not exist` });
    expect(unknown).toEqual({ shelterId: 'no-such-id', error: 'shelter no-such-id does not exist' });
    expect(await s.store.get('shelters', fx.away.shelters.closed)).toEqual(before);
  });

  it("refuses to print another prefecture's poster exactly as an unknown shelter's", async () => {
    const before = await snapshotStore(s.store);
    const away = await call(s, 'post', '/api/v1/prints', { token: desk, json: { shelterIds: [fx.home.shelters.open, fx.away.shelters.open] } });
    const unknown = await call(s, 'post', '/api/v1/prints', { token: desk, json: { shelterIds: [fx.home.shelters.open, 'no-such-id'] } });
    expect(away.status).toBe(404);
    expect(away.text.replaceAll(fx.away.shelters.open, 'ID')).toBe(unknown.text.replaceAll('no-such-id', 'ID'));
    expect(await snapshotStore(s.store)).toEqual(before);
  });

  it("refuses to print another prefecture's municipality directory exactly as one with no shelter at all, changing nothing", async () => {
    const before = await snapshotStore(s.store);
    const awayCode = (await s.store.get('shelters', fx.away.shelters.open))!.municipalityCode;
    const away = await call(s, 'post', '/api/v1/prints', { token: desk, json: { municipalityCode: awayCode } });
    const empty = await call(s, 'post', '/api/v1/prints', { token: desk, json: { municipalityCode: '131016' } }); // 千代田区: nothing there, outside too
    expect(away.status).toBe(404);
    expect(away.text.replaceAll(awayCode, 'CODE')).toBe(empty.text.replaceAll('131016', 'CODE'));
    expect(await snapshotStore(s.store)).toEqual(before);
    const home = (await s.store.get('shelters', fx.home.shelters.open))!.municipalityCode;
    expect((await call(s, 'post', '/api/v1/prints', { token: desk, json: { municipalityCode: home } })).status).toBe(201);
  });

  it("refuses to create a shelter elsewhere, or to move another prefecture's into its own (403), changing nothing", async () => {
    const before = await snapshotStore(s.store);
    const elsewhere = await call(s, 'post', '/api/v1/shelters', { token: desk, json: { id: 'new-away', name: '新しい避難所', municipalityCode: '221015', address: '静岡県静岡市葵区', lat: 35, lon: 138 } });
    expect(elsewhere.status).toBe(403);
    const moved = await call(s, 'post', '/api/v1/shelters', { token: desk, json: { id: fx.away.shelters.open, name: '乗っ取り', municipalityCode: '172022', address: '石川県七尾市', lat: 37, lon: 137 } });
    expect(moved.status).toBe(403);
    expect(moved.body.detail).toBe(`shelter ${fx.away.shelters.open} is outside the area this token is limited to`);
    expect(await snapshotStore(s.store)).toEqual(before);
    const own = await call(s, 'post', '/api/v1/shelters', { token: desk, json: { id: 'new-home', name: '新しい避難所', municipalityCode: '172022', address: '石川県七尾市', lat: 37, lon: 137 } });
    expect(own.status).toBe(201);
  });

  it('imports only the rows of its area; the others are rejected with the reason, and a stored shelter elsewhere is not overwritten', async () => {
    const csv = [
      'ID,名称,所在地_全国地方公共団体コード,所在地_連結表記,緯度,経度',
      'imp-home,七尾の避難所,172022,石川県七尾市本府中町,37.03,136.96',
      'imp-away,静岡の避難所,221015,静岡県静岡市葵区追手町,34.97,138.38',
      `${fx.away.shelters.open},上書き,172022,石川県七尾市本府中町,37.03,136.96`,
    ].join('\n');
    const before = await s.store.get('shelters', fx.away.shelters.open);
    const r = await call(s, 'post', '/api/v1/shelters/import', { token: desk, body: csv, contentType: 'text/csv' });
    expect(r.status).toBe(200);
    expect(r.body.counts).toMatchObject({ created: 1, rejected: 2 });
    expect(r.body.rows.map((row: { status: string; reasons?: string[] }) => [row.status, row.reasons ?? []])).toEqual([
      ['created', []],
      ['rejected', ['静岡県静岡市葵区 is outside the area this token is limited to']],
      ['rejected', [`shelter ${fx.away.shelters.open} is outside the area this token is limited to`]],
    ]);
    expect(await s.store.get('shelters', 'imp-away')).toBeNull();
    expect(await s.store.get('shelters', fx.away.shelters.open)).toEqual(before);
  });

  it('keeps every filtered route covered by a test above', () => {
    const filtered = areaRoutes.filter((r) => r.area === 'filtered').map(label).sort();
    expect(filtered).toEqual([
      'GET /api/v1/alerts', 'GET /api/v1/exports/shelters.csv', 'GET /api/v1/fraud-holds', 'GET /api/v1/jobs', 'GET /api/v1/numbers', 'GET /api/v1/shelters',
      'POST /api/v1/prints', 'POST /api/v1/shelters', 'POST /api/v1/shelters/import', 'POST /api/v1/shelters/open-bulk',
    ]);
  });

  it('leaves admins and unscoped coordinators seeing and acting everywhere', async () => {
    expect((await call(s, 'get', `/api/v1/shelters/${fx.away.shelters.open}`, { token: national })).status).toBe(200);
    expect((await call(s, 'get', `/api/v1/shelters/${fx.away.shelters.open}`, { token: s.adminToken })).status).toBe(200);
    expect((await call(s, 'post', '/api/v1/alerts/away-alert/ack', { token: national })).status).toBe(200);
    expect((await allDocs(s.store, 'shelters')).length).toBeGreaterThanOrEqual(4);
  });
});
