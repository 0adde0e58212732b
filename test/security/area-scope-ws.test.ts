import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, mint, startApiServer, type ApiServer } from '../support/api-server.js';
import { TestClient } from '../support/hub-fixture.js';
import { idsOf, mintScoped, seedTwoAreas } from './two-areas-fixture.js';

/**
 * The board's WebSocket for a coordinator limited to 石川県: its snapshot and every delta hold its
 * area only; another prefecture's documents never reach it, not even as an id in a delete.
 */
let s: ApiServer;
let fx: Awaited<ReturnType<typeof seedTwoAreas>>;
let desk: string;
let national: string;

beforeAll(async () => {
  s = await startApiServer();
  fx = await seedTwoAreas(s);
  desk = await mintScoped(s, 'coordinator', { prefectures: ['石川県'] });
  national = (await mint(s, 'coordinator')).token;
});
afterAll(() => s?.close());

const open = (token: string) => TestClient.open(s.url.replace(/^http/, 'ws') + '/ws', { Authorization: `Bearer ${token}` });
const byId = (docs: { id: string }[]) => docs.map((d) => d.id).sort();
/** Every id or number of the other prefecture found in what a board received. */
const leaks = (raw: string[]) => {
  const text = raw.join('\n');
  return idsOf(fx.away).filter((id) => text.includes(id));
};

async function restAll(token: string, path: string): Promise<{ id: string }[]> {
  const r = await call(s, 'get', `${path}?limit=1000`, { token });
  expect(r.status, path).toBe(200);
  return r.body.items;
}

describe('a board limited to an area', () => {
  it('starts from a snapshot of its area only, the same as its REST reads', async () => {
    const board = await open(desk);
    const [snapshot] = (await board.waitFor(1)) as any[];
    board.close();
    expect(snapshot.type).toBe('snapshot');
    expect(byId(snapshot.shelters)).toEqual(byId(fx.home.docs.shelters));
    expect(byId(snapshot.shelters)).toEqual(byId(await restAll(desk, '/api/v1/shelters')));
    expect(byId(snapshot.numbers)).toEqual(byId(await restAll(desk, '/api/v1/numbers')));
    expect(byId(snapshot.alerts)).toEqual(byId(await restAll(desk, '/api/v1/alerts')));
    expect(byId(snapshot.jobs)).toEqual(byId(await restAll(desk, '/api/v1/jobs')));
    expect(byId(snapshot.handsets)).toEqual(['home-hs']);
    expect(byId(snapshot.calls)).toEqual(['home-call']);
    expect(byId(snapshot.voiceMessages)).toEqual(['home-vm']);
    expect(byId(snapshot.carriers)).toEqual(byId(fx.carriers.map((c) => ({ id: c.id }))));
    expect(leaks(board.raw)).toEqual([]);
    // The national desk's board has both prefectures.
    const all = await open(national);
    const [everything] = (await all.waitFor(1)) as any[];
    all.close();
    expect(byId(everything.shelters)).toEqual(byId([...fx.home.docs.shelters, ...fx.away.docs.shelters]));
  });

  it("is sent none of another prefecture's changes, and its own in an unbroken sequence", async () => {
    const board = await open(desk);
    const all = await open(national);
    const [snapshot] = (await board.waitFor(1)) as any[];
    await all.waitFor(1);
    const bump = async <C extends 'shelters' | 'numbers' | 'handsets' | 'jobs' | 'alerts' | 'calls' | 'voiceMessages'>(collection: C, id: string) => {
      const doc = (await s.store.get(collection, id)) as any;
      await s.store.put(collection, { ...doc, version: doc.version + 1, ...(collection === 'shelters' ? { evacuees: (doc.evacuees ?? 0) + 1 } : {}) });
    };
    const away = fx.away;
    await bump('shelters', away.shelters.open);
    await bump('numbers', away.docs.numbers[0]!.id);
    await bump('handsets', 'away-hs');
    await bump('jobs', 'away-job');
    await bump('alerts', 'away-alert');
    await bump('calls', 'away-call');
    await bump('voiceMessages', 'away-vm');
    await s.store.delete('voiceMessages', 'away-vm');
    await bump('shelters', fx.home.shelters.open);
    // The unscoped board sees all nine; this one only the last, numbered right after its snapshot.
    await all.waitFor(10);
    await board.waitFor(2);
    board.send({ type: 'ping' });
    await board.waitFor(3);
    board.close();
    all.close();
    const changes = board.messages.filter((m: any) => m.type === 'change') as any[];
    expect(changes.map((m) => [m.collection, m.op, m.id, m.seq])).toEqual([['shelters', 'put', fx.home.shelters.open, snapshot.seq + 1]]);
    expect(board.messages.at(-1)).toEqual({ type: 'pong', seq: snapshot.seq + 1 });
    expect(leaks(board.raw)).toEqual([]);
    expect(leaks(all.raw).length).toBeGreaterThan(0);
  });

  it('is told to drop a shelter that leaves its area, and what belonged to it, then hears no more of them', async () => {
    const board = await open(desk);
    await board.waitFor(1);
    const shelter = (await s.store.get('shelters', fx.home.shelters.open))!;
    // Re-imported under another municipality: the shelter is now 静岡's.
    await s.store.put('shelters', { ...shelter, municipalityCode: '221015', version: shelter.version + 1 });
    const line = (await s.store.get('numbers', fx.home.docs.numbers[0]!.id))!;
    await s.store.put('numbers', { ...line, routingConfirmedAt: '2025-06-02T00:00:00.000Z', version: line.version + 1 });
    await s.store.put('numbers', { ...line, routingConfirmedAt: null, version: line.version + 2 });
    // Released from another prefecture's shelter to the shared pool: shown, without where it was.
    const awayLine = (await s.store.get('numbers', fx.away.docs.numbers[0]!.id))!;
    await s.store.put('numbers', { ...awayLine, state: 'aging', shelterId: null, previousShelterId: fx.away.shelters.open, version: awayLine.version + 1 });
    await board.waitFor(4);
    board.send({ type: 'ping' });
    await board.waitFor(5);
    board.close();
    const changes = board.messages.filter((m: any) => m.type === 'change') as any[];
    expect(changes.map((m) => [m.collection, m.op, m.id])).toEqual([
      ['shelters', 'delete', fx.home.shelters.open],
      ['numbers', 'delete', line.id],
      ['numbers', 'put', awayLine.id],
    ]);
    expect(changes[2].doc).toMatchObject({ state: 'aging', shelterId: null });
    expect(changes[2].doc.previousShelterId ?? null).toBeNull();
    expect(board.raw.join('\n')).not.toContain(fx.away.shelters.open);
    await s.store.put('shelters', shelter);
  });
});
