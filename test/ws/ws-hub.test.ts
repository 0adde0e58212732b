import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { PhoneNumber } from '../../provisioning/model/index.js';
import { mintToken } from '../../provisioning/access/tokens.js';
import { startHub, shelter, TestClient, refusedStatus, type HubFixture } from '../support/hub-fixture.js';

let fx: HubFixture;
const clients: TestClient[] = [];
const bearer = (t: string) => ({ Authorization: `Bearer ${t}` });
async function connect(token: string): Promise<TestClient> {
  const c = await TestClient.open(fx.wsUrl, bearer(token));
  clients.push(c);
  await c.waitFor(1);
  return c;
}

beforeEach(async () => {
  fx = await startHub();
});
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await fx.close();
});

describe('the board WebSocket hub', () => {
  it('sends a snapshot on connect, then every change as a numbered delta in commit order', async () => {
    await fx.deps.store.put('shelters', shelter(1));
    const c = await connect(fx.tokens.admin);
    const snap = c.messages[0]!;
    expect(snap.type).toBe('snapshot');
    expect(snap.role).toBe('admin');
    expect((snap.shelters as { id: string }[]).map((s) => s.id)).toEqual([shelter(1).id]);
    expect((snap.carriers as { id: string }[]).map((s) => s.id)).toEqual(['carrier-a']);

    await fx.deps.store.put('shelters', shelter(2));
    await fx.deps.store.put('shelters', { ...shelter(1), desiredStatus: 'open', version: 1 });
    await fx.deps.store.delete('shelters', shelter(2).id);
    const [, a, b, d] = await c.waitFor(4);
    expect([a, b, d].map((m) => [m!.type, m!.seq, m!.op, m!.id])).toEqual([
      ['change', snap.seq! + 1, 'put', shelter(2).id],
      ['change', snap.seq! + 2, 'put', shelter(1).id],
      ['change', snap.seq! + 3, 'delete', shelter(2).id],
    ]);
    expect((b!.doc as { desiredStatus: string }).desiredStatus).toBe('open');
  });

  it('refuses a connection with no session or token (401) and roles other than viewer+ (403)', async () => {
    expect(await refusedStatus(fx.wsUrl, {})).toBe(401);
    expect(await refusedStatus(fx.wsUrl, bearer('not-a-real-token-at-all-0123456789'))).toBe(401);
    expect(await refusedStatus(fx.wsUrl, bearer(fx.tokens.carrier))).toBe(403);
    expect(await refusedStatus(fx.wsUrl, bearer(fx.tokens.authority))).toBe(403);
    expect(fx.hub.clientCount()).toBe(0);
  });

  it('refuses a cookie-carrying socket from another origin', async () => {
    expect(await refusedStatus(fx.wsUrl, { ...bearer(fx.tokens.viewer), Origin: 'https://evil.example' })).toBe(403);
  });

  it('accepts the board session cookie made by POST /api/v1/session', async () => {
    const res = await fetch(`${fx.url}/api/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token: fx.tokens.viewer }) });
    const cookie = res.headers.get('set-cookie')!.split(';')[0]!;
    const c = await TestClient.open(fx.wsUrl, { Cookie: cookie, Origin: fx.url });
    clients.push(c);
    const [snap] = await c.waitFor(1);
    expect(snap!.type).toBe('snapshot');
  });

  it('answers a resync with a fresh snapshot, and deltas continue from its seq', async () => {
    const c = await connect(fx.tokens.admin);
    await fx.deps.store.put('shelters', shelter(1));
    await c.waitFor(2);
    c.send({ type: 'resync' });
    const [, , resnap] = await c.waitFor(3);
    expect(resnap!.type).toBe('snapshot');
    expect(resnap!.seq).toBe(c.messages[1]!.seq);
    expect((resnap!.shelters as { id: string }[]).map((s) => s.id)).toEqual([shelter(1).id]);
    await fx.deps.store.put('shelters', shelter(3));
    const [, , , next] = await c.waitFor(4);
    expect(next!.seq).toBe(resnap!.seq! + 1);
  });

  it('answers a malformed message with an error, not a crash', async () => {
    const c = await connect(fx.tokens.viewer);
    c.ws.send('{not json');
    c.send({ type: 'ping' });
    const [, err, pong] = await c.waitFor(3);
    expect(err).toMatchObject({ type: 'error' });
    expect(String(err!.detail)).toContain('resync');
    expect(pong).toMatchObject({ type: 'pong' });
  });

  it('never sends carrier auth tokens, handset secrets, or the token and session collections', async () => {
    const c = await connect(fx.tokens.admin);
    const now = fx.clock.now().toISOString();
    await fx.deps.store.put('carriers', {
      id: 'carrier-t', version: 0, name: 'Twilio member', kind: 'twilio', certifications: { numberUsePlan: null, etoc: { status: 'certified' } },
      capacity: { requestsPerSecond: 10, concurrency: 4 }, status: 'active', health: 'up', manualDown: false, lendingChain: [],
      twilio: { accountSid: 'AC' + 'a'.repeat(32), authTokenEncrypted: 'SEALED-SECRET' }, createdAt: now, updatedAt: now,
    });
    await mintToken(fx.deps.store, { label: 'x', role: 'viewer' }, { actor: { id: 't', role: 'system' }, at: fx.clock.now() });
    await fx.deps.store.put('handsets', {
      id: 'hs-1', version: 0, shelterId: shelter(1).id, mac: '001565aabbcc', vendor: 'yealink', deviceTokenHash: 'f'.repeat(64), status: 'active', sipUsername: null, configVersion: null, fetchedConfigVersion: null,
      credentials: [{ carrierId: 'carrier-t', role: 'primary', username: 'u1', passwordEncrypted: 'SEALED-PW', domain: 'd.sip.twilio.com', state: 'active' }],
      lastSeenAt: null, lastSeenFrom: null, createdAt: now, updatedAt: now,
    });
    const [snap, carrier, handset] = await c.waitFor(3);
    expect([carrier!.collection, handset!.collection]).toEqual(['carriers', 'handsets']);
    expect(handset!.seq).toBe(carrier!.seq! + 1); // the token write in between was not counted or sent
    expect(carrier!.doc).toMatchObject({ twilio: { accountSid: 'AC' + 'a'.repeat(32) } });
    // The board counts handsets; their credentials (public part) are read with their shelter over REST.
    expect(handset!.doc).toEqual({ id: 'hs-1', shelterId: shelter(1).id, status: 'active', lastSeenAt: null });
    const all = c.raw.join('\n');
    for (const secret of ['SEALED-SECRET', 'authTokenEncrypted', 'SEALED-PW', 'passwordEncrypted', 'deviceTokenHash', 'f'.repeat(64)]) expect(all).not.toContain(secret);
    expect(snap).not.toHaveProperty('tokens');
    expect(snap).not.toHaveProperty('sessions');
  });

  it('sends each document in its board form: what the views read, without the bookkeeping REST keeps', async () => {
    const open = shelter(1, {
      commonId: 'E1720220001', prefecture: '石川県', municipality: '七尾市', desiredStatus: 'open', actualStatus: 'open', shortCode: '2345',
      service: { workingLines: 1, wantedLines: 1, emergencyCapable: true, publishedNumber: '+81767520100', computedAt: '2024-01-09T09:00:00.000Z', lines: [{ e164: '+81767520100', carrierId: 'carrier-a', health: 'working', emergencyCapable: true, replacement: false }] },
    });
    await fx.deps.store.put('shelters', open);
    const c = await connect(fx.tokens.admin);
    const number: PhoneNumber = {
      id: '+81767520100', version: 1, e164: '+81767520100', kind: '0ABJ', areaCode: '0767', numberArea: '0767', emergencyCapable: true, carrierId: 'carrier-a', state: 'in_service',
      shelterId: open.id, previousShelterId: null, agingUntil: null, reasons: ['why in English'], why: [{ code: 'reason.area_emergency', params: { area: '0767' } }],
      routingConfirmedAt: '2024-01-09T09:00:00.000Z', lentAt: '2024-01-09T09:00:00.000Z', updatedAt: '2024-01-09T09:00:00.000Z',
    };
    await fx.deps.store.put('numbers', number);
    const [, change] = await c.waitFor(2);
    // On the wire a collection is a table: its field names once, a row of values per document.
    const table = JSON.parse(c.raw[0]!).shelters as { fields: string[]; rows: unknown[][] };
    expect([...table.fields].sort()).toEqual([
      'actualStatus', 'address', 'capacity', 'capacityText', 'contactName', 'contactPhone', 'currentJobId', 'desiredStatus', 'district', 'evacuees', 'id', 'kana',
      'lastCheckIn', 'lastDirectoryPrint', 'lastPrint', 'lastTestCall', 'lat', 'lines', 'lon', 'municipality', 'municipalityCode', 'name', 'nameEn', 'notes', 'service', 'shortCode',
    ]);
    expect(table.rows).toHaveLength(1);
    const sent = Object.fromEntries(table.fields.map((f, i) => [f, table.rows[0]![i]]));
    expect(sent).toMatchObject({ id: open.id, municipality: '七尾市', kana: null, shortCode: '2345', currentJobId: null, lastPrint: null });
    // Its lines are read with the shelter (its page, poster, directory): the board holds what lists and counts need.
    expect(sent.service).toEqual({ workingLines: 1, wantedLines: 1, emergencyCapable: true, publishedNumber: '+81767520100' });
    expect(change!.doc).toEqual({ id: number.id, kind: '0ABJ', emergencyCapable: true, carrierId: 'carrier-a', state: 'in_service', shelterId: open.id });
  });

  it('serves boards that connect during one snapshot read from that read, each with the changes made meanwhile', async () => {
    await fx.deps.store.put('shelters', shelter(1));
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const query = fx.deps.store.query.bind(fx.deps.store);
    let shelterReads = 0;
    let reading!: () => void;
    const started = new Promise<void>((r) => (reading = r));
    vi.spyOn(fx.deps.store, 'query').mockImplementation(async (collection, q) => {
      if (collection === 'shelters') {
        shelterReads += 1;
        reading();
        await gate;
      }
      return query(collection, q);
    });
    const bearer2 = bearer(fx.tokens.admin);
    const a = await TestClient.open(fx.wsUrl, bearer2);
    clients.push(a);
    await started;
    await fx.deps.store.put('shelters', shelter(2));
    const b = await TestClient.open(fx.wsUrl, bearer2);
    clients.push(b);
    await expect.poll(() => fx.hub.clientCount()).toBe(2);
    release();
    for (const c of [a, b]) {
      const [snap] = await c.waitFor(1);
      // Shelter 2 arrives in the snapshot (the read ran after it) or as the delta held for it: either way the board has it.
      const ids = new Set((snap!.shelters as { id: string }[]).map((x) => x.id));
      await c.waitFor(2, 2_000).catch(() => undefined);
      for (const m of c.messages.slice(1)) if (m.type === 'change') ids.add(m.id as string);
      expect([...ids].sort()).toEqual([shelter(1).id, shelter(2).id]);
    }
    expect(a.messages[0]!.seq).toBe(b.messages[0]!.seq);
    expect(shelterReads).toBe(1);
  });

  it('sends a board that connects while nothing changed the last snapshot without reading the store, and reads again after a change', async () => {
    await fx.deps.store.put('shelters', shelter(1));
    const first = await connect(fx.tokens.viewer);
    const reads = vi.spyOn(fx.deps.store, 'query');
    const shelterReads = () => reads.mock.calls.filter(([collection]) => collection === 'shelters').length;
    const second = await connect(fx.tokens.viewer);
    expect(shelterReads()).toBe(0);
    expect(second.messages[0]!.shelters).toEqual(first.messages[0]!.shelters);
    expect(second.messages[0]!.seq).toBe(first.messages[0]!.seq);
    await fx.deps.store.put('shelters', shelter(2));
    await first.waitFor(2);
    const third = await connect(fx.tokens.viewer);
    expect(shelterReads()).toBe(1);
    expect((third.messages[0]!.shelters as { id: string }[]).map((x) => x.id).sort()).toEqual([shelter(1).id, shelter(2).id]);
    expect(third.messages[0]!.seq).toBe(first.messages[1]!.seq);
  });
});
