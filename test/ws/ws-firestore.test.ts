import { afterAll, describe, expect, inject, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { firestoreEmulator } from '../support/requirements.js';
import { firestoreInstances } from '../support/firestore-instances.js';
import { TestClient, shelter } from '../support/hub-fixture.js';

const emulatorHost = firestoreEmulator();

const ADMIN = 'a'.repeat(40);
const instances = firestoreInstances('shelter-line-ws', ADMIN);
afterAll(() => instances.closeAll());

/** One orchestrator instance with its own Firestore client, listening to the shared database's changes. */
async function instance(prefix: string) {
  const started = await instances.start(prefix);
  await started.store.listening();
  return started;
}

describe.skipIf(!emulatorHost)('the board on two orchestrators sharing one Firestore database', () => {
  it('shows on a board connected to one instance a shelter created through the other', { timeout: 60_000 }, async () => {
    const prefix = `ws${randomBytes(4).toString('hex')}_`;
    const a = await instance(prefix);
    const b = await instance(prefix);
    const board = await TestClient.open(b.server.url.replace(/^http/, 'ws') + '/ws', { Authorization: `Bearer ${ADMIN}` });
    await board.waitFor(1);
    const res = await fetch(`${a.server.url}/api/v1/shelters`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${ADMIN}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ id: 'CC0000000505', name: '七尾中学校', municipalityCode: '172022', address: '石川県七尾市藤橋町辰部52-1', lat: 37.03803, lon: 136.95849 }),
    });
    expect(res.status).toBe(201);
    const deadline = Date.now() + 20_000;
    while (!board.messages.some((m) => m.type === 'change' && m.collection === 'shelters' && m.id === 'CC0000000505') && Date.now() < deadline) await board.waitFor(board.messages.length + 1, 20_000).catch(() => undefined);
    const change = board.messages.find((m) => m.type === 'change' && m.collection === 'shelters');
    expect(change).toMatchObject({ op: 'put', id: 'CC0000000505', doc: { name: '七尾中学校' } });
    board.close();
  });

  it('pushes a shelter whose carrier went down, marked through the other instance, to a board on this one', { timeout: 60_000 }, async () => {
    const prefix = `ws${randomBytes(4).toString('hex')}_`;
    const a = await instance(prefix);
    const b = await instance(prefix);
    const at = '2024-01-09T09:00:00.000Z';
    await a.store.put('carriers', {
      id: 'carrier-x', version: 0, name: 'Carrier X', kind: 'api', certifications: { numberUsePlan: null, etoc: { status: 'certified' } },
      capacity: { requestsPerSecond: 10, concurrency: 4 }, status: 'active', health: 'up', manualDown: false, lendingChain: [], createdAt: at, updatedAt: at,
    });
    const open = shelter(7, { desiredStatus: 'open', actualStatus: 'open', lines: 1 });
    await a.store.put('shelters', open);
    await a.store.put('numbers', {
      id: '+81767520777', version: 0, e164: '+81767520777', kind: '0ABJ', areaCode: '0767', numberArea: '0767', emergencyCapable: true, carrierId: 'carrier-x',
      state: 'in_service', shelterId: open.id, previousShelterId: null, agingUntil: null, reasons: [], routingConfirmedAt: at, lentAt: at, updatedAt: at,
    });
    const board = await TestClient.open(b.server.url.replace(/^http/, 'ws') + '/ws', { Authorization: `Bearer ${ADMIN}` });
    await board.waitFor(1);
    const res = await fetch(`${a.server.url}/api/v1/carriers/carrier-x/health`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${ADMIN}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ down: true, reason: 'two-instance test' }),
    });
    expect(res.status).toBe(200);
    const noLine = () => board.messages.find((m) => m.type === 'change' && m.collection === 'shelters' && m.id === open.id && (m.doc as { actualStatus?: string } | null)?.actualStatus === 'no_line');
    const deadline = Date.now() + 20_000;
    while (!noLine() && Date.now() < deadline) await board.waitFor(board.messages.length + 1, 20_000).catch(() => undefined);
    expect(noLine()).toMatchObject({ doc: { service: { workingLines: 0, emergencyCapable: false, publishedNumber: null } } });
    board.close();
  });
});
