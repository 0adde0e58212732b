import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, mint, startApiServer, type ApiServer } from '../support/api-server.js';
import { FIXTURE, seedNetwork } from '../support/network-fixture.js';
import { TestClient } from '../support/hub-fixture.js';
import type { Carrier } from '../../provisioning/model/index.js';

let server: ApiServer;
let viewer: string;
beforeAll(async () => {
  server = await startApiServer();
  const at = server.clock.now().toISOString();
  for (const [id, sid] of [[FIXTURE.carriers.a, 'a'], [FIXTURE.carriers.b, 'b']] as const) {
    const carrier: Carrier = {
      id, version: 0, name: `Carrier ${id}`, kind: 'twilio', certifications: { numberUsePlan: null, etoc: { status: 'certified' } },
      capacity: { requestsPerSecond: 10, concurrency: 4 }, status: 'active', health: 'up', manualDown: false, lendingChain: [],
      twilio: { accountSid: `AC${sid.repeat(32)}`, authTokenEncrypted: server.deps.secrets.seal('x'.repeat(32)), apiBaseUrl: 'https://api.twilio.com' },
      createdAt: at, updatedAt: at,
    };
    await server.store.put('carriers', carrier);
  }
  await seedNetwork(server.store, FIXTURE);
  viewer = (await mint(server, 'viewer')).token;
});
afterAll(() => server.close());

async function restAll(path: string): Promise<any[]> {
  const out: any[] = [];
  let cursor: string | null = null;
  do {
    const r = await call(server, 'get', `${path}${path.includes('?') ? '&' : '?'}limit=1000${cursor ? `&cursor=${cursor}` : ''}`, { token: viewer });
    expect(r.status).toBe(200);
    out.push(...r.body.items);
    cursor = r.body.nextCursor;
  } while (cursor);
  return out;
}

const byId = (docs: any[]) => [...docs].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

/** The same documents, each sent over WS holding nothing that its REST form does not hold with the same value. */
function expectBoardFormsOf(sent: any[], rest: any[]): void {
  expect(byId(sent).map((d) => d.id)).toEqual(byId(rest).map((d) => d.id));
  const restById = new Map(rest.map((d) => [d.id, d]));
  for (const doc of sent) expect(restById.get(doc.id)).toMatchObject(doc);
}

describe('a viewer sees the same over WS as over REST', () => {
  it('its WS snapshot equals what its REST reads return, and holds no carrier account, SIP identity or MAC', async () => {
    const board = await TestClient.open(server.url.replace(/^http/, 'ws') + '/ws', { Authorization: `Bearer ${viewer}` });
    const snapshot = (await board.waitFor(1))[0] as any;
    board.close();

    const shelters = await restAll('/api/v1/shelters');
    // The board gets each document in its board form (board-feed.ts): part of what REST returns, never more.
    expectBoardFormsOf(snapshot.shelters, shelters);
    const details = await Promise.all(shelters.map(async (s) => (await call(server, 'get', `/api/v1/shelters/${s.id}`, { token: viewer })).body));
    expectBoardFormsOf(snapshot.numbers, details.flatMap((d) => d.numbers));
    expectBoardFormsOf(snapshot.handsets, details.flatMap((d) => d.handsets));
    expect(byId(snapshot.alerts)).toEqual(byId(await restAll('/api/v1/alerts')));
    // Channels REST refuses a viewer: the socket sends nothing of them either.
    for (const [collection, path] of [['carriers', '/api/v1/carriers'], ['numbers', '/api/v1/numbers']] as const) {
      expect((await call(server, 'get', path, { token: viewer })).status, path).toBe(403);
      if (collection === 'carriers') expect(snapshot.carriers).toEqual([]);
    }
    expect(snapshot.calls).toEqual([]);
    expect(snapshot.voiceMessages).toEqual([]);

    const text = JSON.stringify(snapshot) + JSON.stringify(details);
    for (const secret of ['AC' + 'a'.repeat(32), 'AC' + 'b'.repeat(32), 'api.twilio.com', 'certifications', '805ec0000001', FIXTURE.users.both, 'sip.twilio.com']) {
      expect(text, secret).not.toContain(secret);
    }
    // Published numbers only: in service on an open shelter.
    expect(snapshot.numbers.map((n: any) => n.id)).not.toContain(FIXTURE.aging);
    expect(snapshot.numbers.map((n: any) => n.id)).toContain(FIXTURE.misogi.a);
  });

  it('its WS deltas carry the same projection: a number leaving service is removed, and a carrier or handset change is not sent', async () => {
    const board = await TestClient.open(server.url.replace(/^http/, 'ws') + '/ws', { Authorization: `Bearer ${viewer}` });
    await board.waitFor(1);
    const n = (await server.store.get('numbers', FIXTURE.tokuda.a))!;
    await server.store.put('numbers', { ...n, state: 'releasing', version: n.version + 1 });
    const c = (await server.store.get('carriers', FIXTURE.carriers.a))!;
    await server.store.put('carriers', { ...c, name: 'renamed', version: c.version + 1 });
    const h = (await server.store.get('handsets', 'hs-1'))!;
    await server.store.put('handsets', { ...h, label: 'desk', version: h.version + 1 });
    const s = (await server.store.get('shelters', FIXTURE.tokuda.id))!;
    await server.store.put('shelters', { ...s, evacuees: 12, version: s.version + 1 });
    // The snapshot, then exactly the two changes a viewer may see; the carrier and handset writes send nothing.
    await board.waitFor(3);
    board.send({ type: 'ping' });
    await board.waitFor(4);
    board.close();
    const changes = board.messages.filter((m) => m.type === 'change');
    expect(board.messages.at(-1)).toMatchObject({ type: 'pong' });
    expect(changes.map((m) => [m.collection, m.op, m.id])).toEqual([
      ['numbers', 'delete', FIXTURE.tokuda.a],
      ['shelters', 'put', FIXTURE.tokuda.id],
    ]);
    expect(JSON.stringify(changes)).not.toContain('renamed');
  });
});
