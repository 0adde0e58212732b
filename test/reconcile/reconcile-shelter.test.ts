import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job, Shelter } from '../../provisioning/model/index.js';
import { defaultDrillCarriers } from '../../server/drill/drill-carriers.js';
import { allNumbers, startTestDrill } from '../support/drill-fixture.js';

type Drill = Awaited<ReturnType<typeof startTestDrill>>;

describe('opening and closing shelters on two Twilio carriers (simulator)', () => {
  let drill: Drill;
  let ten: string[] = [];
  let before: Map<string, string[]>;

  beforeAll(async () => {
    const [a, b] = defaultDrillCarriers(20);
    drill = await startTestDrill({ carriers: [a!, b!] });
  }, 60_000);
  afterAll(async () => drill?.dispose());

  const twilioAccounts = () => drill.carriers.map((c) => c.account!);

  it('gives every opened shelter lines in service on two carriers, routed to our inbound webhook', async () => {
    const shelters = (await drill.api.call<{ items: Shelter[] }>('GET', '/api/v1/shelters?limit=1000')).body.items;
    expect(shelters.length).toBeGreaterThan(30); // the Nanao designated shelters were imported
    ten = shelters.filter((s) => s.areaCodes.includes('0767')).slice(0, 10).map((s) => s.id);
    for (const id of ten) await drill.api.call('POST', `/api/v1/shelters/${id}/open`, {});
    await drill.server.deps.worker.drain({ timeoutMs: 30_000 });

    const numbers = await allNumbers(drill);
    for (const id of ten) {
      const lines = numbers.filter((n) => n.shelterId === id && n.state === 'in_service');
      expect(lines.length, id).toBe(2);
      expect(new Set(lines.map((n) => n.carrierId)).size, `${id} on two carriers`).toBe(2);
    }
    const inService = new Set(numbers.filter((n) => n.state === 'in_service').map((n) => n.e164));
    expect(new Set(numbers.filter((n) => n.state === 'in_service').map((n) => n.shelterId)).size).toBe(10); // one shelter per number
    for (const acct of twilioAccounts()) {
      for (const sn of drill.sim.snapshot(acct.sid).numbers) {
        if (inService.has(sn.phone_number)) {
          expect(sn.voice_url).toBe(`${drill.url}/twilio/voice/inbound`);
          inService.delete(sn.phone_number);
        } else expect(sn.voice_url).toBe('');
      }
    }
    expect(inService.size).toBe(0); // every in-service number was found configured on its carrier
    before = new Map(ten.map((id) => [id, numbers.filter((n) => n.shelterId === id).map((n) => n.e164).sort()]));
  }, 60_000);

  it('on close resets every number to aging and deletes every credential from the simulator', async () => {
    await drill.api.call('POST', `/api/v1/shelters/${ten[0]}/handsets`, { vendor: 'softphone', label: 'reception' });
    await drill.server.deps.worker.drain({ timeoutMs: 30_000 });
    const credentials = twilioAccounts().flatMap((a) => drill.sim.snapshot(a.sid).credential_lists.flatMap((l) => l.usernames));
    expect(credentials.length).toBeGreaterThan(0);

    for (const id of ten) await drill.api.call('POST', `/api/v1/shelters/${id}/close`, {});
    await drill.server.deps.worker.drain({ timeoutMs: 30_000 });
    const numbers = await allNumbers(drill);
    const released = numbers.filter((n) => n.previousShelterId && ten.includes(n.previousShelterId));
    expect(released.length).toBe(20);
    for (const n of released) expect(n.state, n.e164).toBe('aging');
    expect(numbers.filter((n) => n.state === 'in_service')).toEqual([]);
    for (const acct of twilioAccounts()) {
      const snap = drill.sim.snapshot(acct.sid);
      expect(snap.credential_lists).toEqual([]);
      expect(snap.mappings.filter((m) => m.kind === 'registrations' || m.kind === 'calls')).toEqual([]);
      for (const sn of snap.numbers) expect(sn.voice_url).not.toBe(`${drill.url}/twilio/voice/inbound`);
    }
  }, 60_000);

  it('records a routed or intercepted number with its step: when the step shows done, the number has moved', async () => {
    const { store } = drill.server.deps;
    const shelter = (await drill.api.call<{ items: Shelter[] }>('GET', '/api/v1/shelters?limit=1000')).body.items.find((s) => s.areaCodes.includes('0767') && !ten.includes(s.id))!;
    // At the moment a job's save lands with a `route`/`intercept` step done, read its number as it stands.
    const seen: string[] = [];
    const unsubscribe = store.subscribe(['jobs'], (change) => {
      if (change.type !== 'put' || change.collection !== 'jobs') return;
      for (const step of (change.doc as Job).steps) {
        const [kind, e164] = step.name.split(' ');
        if (step.status !== 'done' || (kind !== 'route' && kind !== 'intercept') || seen.some((x) => x.startsWith(`${step.name}:`))) continue;
        // SQLite reads synchronously: this is the number as committed together with the step, nothing later.
        void (store.get('numbers', e164!) as Promise<{ state: string } | null>).then((n) => seen.push(`${step.name}:${n?.state}`));
      }
    });
    try {
      await drill.api.call('POST', `/api/v1/shelters/${shelter.id}/open`, {});
      await drill.server.deps.worker.drain({ timeoutMs: 30_000 });
      await drill.api.call('POST', `/api/v1/shelters/${shelter.id}/close`, {});
      await drill.server.deps.worker.drain({ timeoutMs: 30_000 });
    } finally {
      unsubscribe();
    }
    const routed = seen.filter((x) => x.startsWith('route '));
    const intercepted = seen.filter((x) => x.startsWith('intercept '));
    expect(routed).toHaveLength(2);
    expect(intercepted).toHaveLength(2);
    for (const x of routed) expect(x).toMatch(/:in_service$/);
    for (const x of intercepted) expect(x).toMatch(/:aging$/);
  }, 60_000);

  it("records a shelter's end state with its job: when the shelter shows open or closed, its job has succeeded", async () => {
    const { store } = drill.server.deps;
    const shelter = (await drill.api.call<{ items: Shelter[] }>('GET', '/api/v1/shelters?limit=1000')).body.items.filter((s) => s.areaCodes.includes('0767') && !ten.includes(s.id))[1]!;
    let jobId: string | null = null;
    const seen: string[] = [];
    const unsubscribe = store.subscribe(['shelters'], (change) => {
      if (change.type !== 'put' || change.id !== shelter.id) return;
      const s = change.doc as Shelter;
      if ((s.actualStatus === 'open' || s.actualStatus === 'closed') && jobId) {
        // SQLite reads synchronously: the job as committed together with the shelter's state.
        void (store.get('jobs', jobId) as Promise<Job | null>).then((j) => seen.push(`${s.actualStatus}:${j?.status}`));
      }
    });
    try {
      await drill.api.call('POST', `/api/v1/shelters/${shelter.id}/open`, {});
      jobId = (await store.get('shelters', shelter.id))!.currentJobId;
      await drill.server.deps.worker.drain({ timeoutMs: 30_000 });
      await drill.api.call('POST', `/api/v1/shelters/${shelter.id}/close`, {});
      jobId = (await store.get('shelters', shelter.id))!.currentJobId;
      await drill.server.deps.worker.drain({ timeoutMs: 30_000 });
    } finally {
      unsubscribe();
    }
    expect(seen).toEqual(['open:succeeded', 'closed:succeeded']);
  }, 60_000);

  it('gives a re-opened shelter its aging numbers back', async () => {
    const id = ten[3]!;
    await drill.api.call('POST', `/api/v1/shelters/${id}/open`, {});
    await drill.server.deps.worker.drain({ timeoutMs: 30_000 });
    const lines = (await allNumbers(drill)).filter((n) => n.shelterId === id && n.state === 'in_service').map((n) => n.e164).sort();
    expect(lines).toEqual(before.get(id));
  }, 60_000);
});
