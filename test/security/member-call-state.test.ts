import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Handset } from '../../provisioning/model/index.js';
import { defaultDrillCarriers } from '../../server/drill/drill-carriers.js';
import { startTestDrill } from '../support/drill-fixture.js';
import { names, parseTwiml } from '../support/twiml.js';

/**
 * The audit's finding, replayed: a handset's credentials exist on every carrier of its shelter.
 * Member A (on its own platform, through the call-decision API) asked for an outbound decision
 * for that handset and posted `answered` without `completed`, twice; member B's Twilio webhook
 * then refused the handset's calls with 「この電話機からの発信が上限に達しました」.
 */
type Drill = Awaited<ReturnType<typeof startTestDrill>>;
const A = 'ip-phone-net';
const B = 'noto-cloud';
const LIMIT_SPEECH = 'この電話機からの発信が上限に達しました';

describe('call state for abuse limits is kept per member', () => {
  let drill: Drill;
  let handset: Handset;
  const tokenOf = (id: string) => drill.carriers.find((c) => c.id === id)!.token!;
  const credentialOn = (carrierId: string) => handset.credentials.find((c) => c.carrierId === carrierId && c.state === 'active')!;
  const asMember = async (carrierId: string, path: string, body: unknown) => {
    const res = await fetch(`${drill.url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${tokenOf(carrierId)}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return { status: res.status, body: (await res.json()) as any };
  };
  /** Member A's own platform asks to place a call from the handset and reports it answered, never completed. */
  const unfinishedCallOnA = async (callId: string) => {
    const cred = credentialOn(A);
    const decision = await asMember(A, '/api/v1/call-decisions/outbound', { callId, handset: { username: cred.username, domain: cred.domain }, dialled: '0312345678' });
    const event = decision.body.action === 'connect' ? await asMember(A, '/api/v1/call-events', { callId, event: 'answered' }) : null;
    return { decision, event };
  };
  /** The same handset dials through member B's Twilio account: B's signed webhook decides. */
  const dialOnB = async () => {
    const cred = credentialOn(B);
    const res = await drill.sim.placeSipCall({ domain: cred.domain, username: cred.username, to: '0312345678' });
    expect(res.status, res.note).toBe(200);
    return { verbs: parseTwiml(res.twiml), twiml: res.twiml };
  };

  beforeAll(async () => {
    drill = await startTestDrill({ carriers: defaultDrillCarriers(10) });
    const shelterId = 'CC0000000504';
    await drill.api.call('POST', `/api/v1/shelters/${shelterId}/open`, { lines: 3 });
    await drill.server.deps.worker.drain({ timeoutMs: 30_000 });
    // With the other Twilio member down the handset registers on B and on A (its backup registrar).
    await drill.api.call('PATCH', '/api/v1/carriers/hokuriku-voice', { manualDown: true });
    const registered = await drill.api.call<{ handset: Handset }>('POST', `/api/v1/shelters/${shelterId}/handsets`, { vendor: 'softphone', label: '受付' });
    await drill.api.call('PATCH', '/api/v1/carriers/hokuriku-voice', { manualDown: false });
    await drill.server.deps.worker.drain({ timeoutMs: 30_000 });
    handset = (await drill.server.deps.store.get('handsets', registered.body.handset.id))!;
    expect(handset.credentials.filter((c) => c.state === 'active').map((c) => c.carrierId).sort()).toEqual([A, B].sort());
  }, 90_000);
  afterAll(async () => drill?.dispose());

  it('member A posting `answered` without `completed` twice leaves member B’s webhook letting the handset call', async () => {
    for (const callId of ['unfinished-1', 'unfinished-2']) {
      const { decision, event } = await unfinishedCallOnA(callId);
      expect(decision.body).toMatchObject({ action: 'connect' });
      expect(event?.status).toBe(200);
    }
    const onB = await dialOnB();
    expect(onB.twiml).not.toContain(LIMIT_SPEECH);
    expect(names(onB.verbs)).toEqual(['Play', 'Dial']);
    expect((await drill.server.deps.store.query('alerts', { limit: 100 })).items.filter((a) => a.kind.startsWith('abuse_'))).toEqual([]);
  });

  it('still limits the handset on member A, which reported the calls, until A’s own timeout for an unfinished call has passed', async () => {
    // A's two unfinished calls fill the handset's concurrent calls on A.
    const third = await unfinishedCallOnA('unfinished-3');
    expect(third.decision.body).toMatchObject({ action: 'announce', reason: 'usage-limit' });
    // A declares that its platform ends any call after an hour (Kamailio's dialog timeout, say).
    const patched = await drill.api.call('PATCH', `/api/v1/carriers/${A}`, { maxCallSeconds: 3600 });
    expect(patched.status).toBe(200);
    drill.clock.advance!(3600_000 + 1000);
    const later = await unfinishedCallOnA('unfinished-4');
    expect(later.decision.body).toMatchObject({ action: 'connect' });
  });
});
