import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { call, mint, startApiServer, type ApiServer } from '../support/api-server.js';
import { useEmulator } from '../support/firestore-emulator.js';
import { firestoreInstances } from '../support/firestore-instances.js';
import { TestClient, refusedStatus, shelter } from '../support/hub-fixture.js';

/**
 * The audit's finding: after DELETE /api/v1/tokens/{id} (or a sign-out) a board socket opened with
 * that token or session stayed open and kept receiving updates. It must close, with a close code
 * and a Problem the board can show, on whichever instance it is connected to.
 */
const SIGNED_OUT = 4401;

/** Resolves with the close frame; the deadline only catches a socket that is never closed. */
function closed(client: TestClient, deadlineMs = 10_000): Promise<{ code: number; reason: string }> {
  return new Promise((resolve, reject) => {
    if (client.ws.readyState === client.ws.CLOSED) return reject(new Error('the socket was closed before the test waited for it'));
    const timer = setTimeout(() => reject(new Error(`the socket was still open ${deadlineMs} ms after its credential died`)), deadlineMs);
    client.ws.once('close', (code, reason) => {
      clearTimeout(timer);
      resolve({ code, reason: reason.toString() });
    });
  });
}

const wsUrl = (url: string) => url.replace(/^http/, 'ws') + '/ws';
const signedOutMessage = (client: TestClient) => client.messages.find((m) => m.type === 'signed-out') as { problem: { type: string; status: number; detail: string } } | undefined;

describe('a board socket whose credential dies (SQLite, one instance)', () => {
  let s: ApiServer;
  beforeAll(async () => {
    s = await startApiServer();
  });
  afterAll(() => s?.close());

  it('closes a socket opened with a bearer token once the token is revoked, and says why', async () => {
    const viewer = await mint(s, 'viewer');
    const other = await mint(s, 'viewer');
    const board = await TestClient.open(wsUrl(s.url), { Authorization: `Bearer ${viewer.token}` });
    const bystander = await TestClient.open(wsUrl(s.url), { Authorization: `Bearer ${other.token}` });
    await board.waitFor(1);
    await bystander.waitFor(1);
    const closing = closed(board);
    expect((await call(s, 'delete', `/api/v1/tokens/${viewer.id}`, { token: s.adminToken })).status).toBe(200);
    const frame = await closing;
    expect(frame.code).toBe(SIGNED_OUT);
    expect(signedOutMessage(board)?.problem).toMatchObject({ type: 'https://shelter-line.jp/problems/token-revoked', status: 401 });
    // The revoked token cannot come back, and a board on another token keeps its feed.
    expect(await refusedStatus(wsUrl(s.url), { Authorization: `Bearer ${viewer.token}` })).toBe(401);
    await s.store.put('shelters', shelter(1));
    await bystander.waitFor(2);
    expect(bystander.messages.at(-1)).toMatchObject({ type: 'change', collection: 'shelters' });
    expect(bystander.ws.readyState).toBe(bystander.ws.OPEN);
    bystander.close();
  });

  it('closes a socket opened with the board’s session cookie when that session signs out', async () => {
    const coordinator = await mint(s, 'coordinator');
    const session = await call(s, 'post', '/api/v1/session', { json: { token: coordinator.token } });
    const cookie = /__session=[^;]+/.exec(session.headers.get('set-cookie')!)![0];
    const board = await TestClient.open(wsUrl(s.url), { Cookie: cookie });
    await board.waitFor(1);
    const closing = closed(board);
    expect((await call(s, 'delete', '/api/v1/session', { headers: { cookie, origin: s.url } })).status).toBe(204);
    expect((await closing).code).toBe(SIGNED_OUT);
    expect(signedOutMessage(board)?.problem).toMatchObject({ type: 'https://shelter-line.jp/problems/session-ended', status: 401 });
  });

  it('closes a session’s socket when the session expires, by the server’s clock', async () => {
    const viewer = await mint(s, 'viewer');
    const session = await call(s, 'post', '/api/v1/session', { json: { token: viewer.token } });
    const cookie = /__session=[^;]+/.exec(session.headers.get('set-cookie')!)![0];
    const board = await TestClient.open(wsUrl(s.url), { Cookie: cookie });
    await board.waitFor(1);
    const closing = closed(board);
    s.clock.advance(12 * 3_600_000 + 1);
    expect((await closing).code).toBe(SIGNED_OUT);
    expect(signedOutMessage(board)?.problem).toMatchObject({ type: 'https://shelter-line.jp/problems/session-expired' });
  });
});

const emulatorHost = inject('firestoreEmulatorHost');
if (emulatorHost) useEmulator(emulatorHost);

describe.skipIf(!emulatorHost)('a revocation made on one instance closes the socket on another (Firestore)', () => {
  const ADMIN = 'r'.repeat(40);
  const instances = firestoreInstances('shelter-line-ws-revocation', ADMIN);
  afterAll(() => instances.closeAll());

  it('closes the board on instance B when instance A revokes its token', { timeout: 60_000 }, async () => {
    const prefix = `rv${randomBytes(4).toString('hex')}_`;
    const a = await instances.start(prefix);
    const b = await instances.start(prefix);
    const minted = await fetch(`${a.server.url}/api/v1/tokens`, {
      method: 'POST', headers: { Authorization: `Bearer ${ADMIN}`, 'Content-Type': 'application/json' }, body: JSON.stringify({ label: 'board on B', role: 'viewer' }),
    });
    const { id, token } = (await minted.json()) as { id: string; token: string };
    const board = await TestClient.open(wsUrl(b.server.url), { Authorization: `Bearer ${token}` });
    await board.waitFor(1);
    const closing = closed(board, 20_000);
    const revoked = await fetch(`${a.server.url}/api/v1/tokens/${id}`, { method: 'DELETE', headers: { Authorization: `Bearer ${ADMIN}` } });
    expect(revoked.status).toBe(200);
    expect((await closing).code).toBe(SIGNED_OUT);
    expect(signedOutMessage(board)?.problem.type).toBe('https://shelter-line.jp/problems/token-revoked');
  });
});
