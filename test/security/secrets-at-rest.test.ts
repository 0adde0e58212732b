import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COLLECTION_NAMES } from '../../provisioning/model/index.js';
import { defaultDrillCarriers } from '../../server/drill/drill-carriers.js';
import { createLogger } from '../../server/logger.js';
import { snapshotStore } from '../support/api-server.js';
import { startTestDrill } from '../support/drill-fixture.js';

type Drill = Awaited<ReturnType<typeof startTestDrill>>;
const API = 'ip-phone-net';
const SHELTER = 'CC0000000504';

/**
 * A full drill run (Twilio member + api member, a shelter opened, a handset provisioned, tokens
 * minted with Idempotency-Key, a board session), then every document of every collection and
 * every captured log line is searched for each secret the run handed out.
 */
describe('no secret at rest in plaintext, none in a log', () => {
  let drill: Drill;
  const logs: string[] = [];
  const secrets = new Map<string, string>();

  beforeAll(async () => {
    const [twilio, , api] = defaultDrillCarriers(10);
    drill = await startTestDrill({ carriers: [twilio!, api!], logger: createLogger('trace', { write: (line: string) => void logs.push(line) }) });
    for (const c of drill.carriers) {
      if (c.token) secrets.set(`api token of ${c.id}`, c.token);
      if (c.account) secrets.set(`auth token of ${c.id}`, c.account.authToken);
    }
    secrets.set('admin token', drill.adminToken);
    // The member pulls its work orders itself and must still get the SIP password in the response.
    drill.member!.pause();

    await drill.api.call('POST', `/api/v1/shelters/${SHELTER}/open`, {});
    await drill.server.deps.worker.drain({ timeoutMs: 30_000 }).catch(() => undefined);
    drill.member!.resume();
    await drill.server.deps.worker.drain({ timeoutMs: 30_000 });

    const reg = await drill.api.call<{ provisioningUrl: string; provisioningBase: string }>('POST', `/api/v1/shelters/${SHELTER}/handsets`, { mac: '80:5E:C0:12:34:56', vendor: 'yealink' });
    secrets.set('provisioning token', reg.body.provisioningBase.split('/p/')[1]!.replace(/\/$/, ''));
    drill.member!.pause();
    await drill.server.deps.worker.drain({ timeoutMs: 30_000 }).catch(() => undefined);
    const pulled = await fetch(`${drill.url}/api/v1/carriers/${API}/work-orders`, { headers: { authorization: `Bearer ${drill.carriers.find((c) => c.id === API)!.token}` } });
    const orders = (await pulled.json()) as { items: { action: string; params: Record<string, unknown> }[] };
    const create = orders.items.find((o) => o.action === 'create_credential');
    expect(create?.params.password, 'the owning member gets the password when it pulls the order').toEqual(expect.any(String));
    drill.member!.resume();
    await drill.server.deps.worker.drain({ timeoutMs: 30_000 });

    const file = await fetch(reg.body.provisioningUrl, { headers: { 'user-agent': 'Yealink SIP-T46U 108.86.0.20 80:5e:c0:12:34:56' } });
    expect(file.status).toBe(200);
    const text = await file.text();
    for (const m of text.matchAll(/account\.\d\.password = (\S+)/g)) secrets.set(`SIP password ${m[0]}`, m[1]!);
    expect([...secrets.keys()].filter((k) => k.startsWith('SIP password')).length).toBeGreaterThan(0);

    const minted = await fetch(`${drill.url}/api/v1/tokens`, {
      method: 'POST', headers: { authorization: `Bearer ${drill.adminToken}`, 'content-type': 'application/json', 'idempotency-key': 'mint-1' },
      body: JSON.stringify({ label: 'viewer for the wall screen', role: 'viewer' }),
    });
    expect(minted.status).toBe(201);
    const viewerToken = ((await minted.json()) as { token: string }).token;
    secrets.set('minted API token', viewerToken);
    const session = await fetch(`${drill.url}/api/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json', 'idempotency-key': 'sign-in-1' }, body: JSON.stringify({ token: viewerToken }) });
    expect(session.status).toBe(200);
    secrets.set('session cookie', /__session=([^;]+)/.exec(session.headers.get('set-cookie') ?? '')![1]!);
    // A wrong guess and a bearer in a URL end up in logs as attempts: still no secret in them.
    await fetch(`${drill.url}/p/${secrets.get('provisioning token')}/nothing.cfg`);
  }, 180_000);
  afterAll(async () => drill?.dispose());

  it('finds none of the secrets in any document of any collection', async () => {
    const everything = JSON.stringify(await snapshotStore(drill.server.deps.store, []));
    expect(Object.keys(await snapshotStore(drill.server.deps.store, []))).toEqual([...COLLECTION_NAMES]);
    for (const [what, secret] of secrets) expect(everything.includes(secret), what).toBe(false);
  });

  it('finds none of the secrets in the captured log', () => {
    expect(logs.length).toBeGreaterThan(10);
    const all = logs.join('\n');
    for (const [what, secret] of secrets) expect(all.includes(secret), what).toBe(false);
  });

  it('erases the sealed password from a credential order once it is done', async () => {
    const { items } = await drill.server.deps.store.query('workOrders', { where: { carrierId: API, action: 'create_credential' }, limit: 100 });
    expect(items.length).toBeGreaterThan(0);
    for (const o of items.filter((x) => x.status !== 'pending')) expect(Object.keys(o.params).filter((k) => /password/i.test(k)), o.id).toEqual([]);
  });
});
