import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Carrier, Handset, Job } from '../../provisioning/model/index.js';
import { carrierHealthChanged } from '../../provisioning/shelters/carrier-health.js';
import { SYSTEM_ACTOR } from '../../provisioning/audit/audit-log.js';
import { runMaintenance } from '../../provisioning/reconcile/maintenance.js';
import { driftCheck } from '../../provisioning/reconcile/drift-check.js';
import { scheduleMaintenance } from '../../provisioning/reconcile/worker.js';
import { ensureCarrierProbes, probeJobId } from '../../provisioning/carriers/carrier-probe.js';
import { startTestDrill } from '../support/drill-fixture.js';
import type { ManualClock } from '../../provisioning/platform/clock.js';

type Drill = Awaited<ReturnType<typeof startTestDrill>>;
const SHELTER = 'CC0000000504';
/** A shelter that opens and closes beside SHELTER. */
const OTHER = 'CC0000000505';
const TWILIO = 'noto-cloud';
const API = 'ip-phone-net';

/** Waits, bounded in real time, until the member has answered every work order it was given. */
async function memberIdle(drill: Drill, carrierId: string): Promise<void> {
  const deadline = performance.now() + 10_000;
  while ((await drill.server.deps.store.query('workOrders', { where: { carrierId, status: 'pending' }, limit: 1 })).items.length > 0) {
    if (performance.now() > deadline) throw new Error('the member never answered its work orders');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('scheduled maintenance: drift of SIP domains and credentials, and carriers coming back by themselves', () => {
  let drill: Drill;
  let handset: Handset;

  beforeAll(async () => {
    drill = await startTestDrill();
    await drill.api.call('POST', `/api/v1/shelters/${SHELTER}/open`, {});
    await drill.server.deps.worker.drain();
    await drill.api.call('POST', `/api/v1/shelters/${SHELTER}/handsets`, { vendor: 'softphone' });
    await drill.server.deps.worker.drain();
    handset = (await drill.server.deps.store.query('handsets', { where: { shelterId: SHELTER }, limit: 5 })).items[0]!;
  }, 60_000);
  afterAll(async () => drill?.dispose());

  const usernamesOn = (carrierId: string) => {
    const account = drill.carriers.find((c) => c.id === carrierId)!.account!;
    return drill.sim.snapshot(account.sid).credential_lists.flatMap((l) => l.usernames);
  };

  it('puts back a handset credential deleted behind our back and removes one no handset has', async () => {
    const onTwilio = handset.credentials.find((c) => c.carrierId === TWILIO && c.state === 'active');
    expect(onTwilio, 'the handset has an active credential on the Twilio member').toBeDefined();
    const adapter = await drill.server.deps.engine.carriers.get(TWILIO);
    await adapter.deleteCredential(SHELTER, onTwilio!.username);
    await adapter.ensureCredential({ shelterId: SHELTER, username: 'hstray0000', password: 'Stray-password-1' });
    expect(usernamesOn(TWILIO)).toEqual(['hstray0000']);

    const report = await driftCheck(drill.server.deps.engine);
    expect(report.credentials).toEqual(expect.arrayContaining([
      { carrierId: TWILIO, shelterId: SHELTER, username: onTwilio!.username, action: 'created' },
      { carrierId: TWILIO, shelterId: SHELTER, username: 'hstray0000', action: 'deleted' },
    ]));
    expect(usernamesOn(TWILIO)).toEqual([onTwilio!.username]);
    expect((await driftCheck(drill.server.deps.engine)).credentials).toEqual([]); // converged
  });

  it('removes what a closed shelter left on a Twilio member (a late step put a credential back), with an audit entry', async () => {
    const { store, engine } = drill.server.deps;
    await drill.api.call('POST', `/api/v1/shelters/${OTHER}/open`, {});
    await drill.server.deps.worker.drain();
    await drill.api.call('POST', `/api/v1/shelters/${OTHER}/handsets`, { vendor: 'softphone' });
    await drill.server.deps.worker.drain();
    await drill.api.call('POST', `/api/v1/shelters/${OTHER}/close`, {});
    await drill.server.deps.worker.drain();
    const lists = () => drill.sim.snapshot(drill.carriers.find((c) => c.id === TWILIO)!.account!.sid).credential_lists.filter((l) => l.friendly_name === `shelter-${OTHER}`);
    expect(lists()).toEqual([]);
    // A step that read the handset before the close puts its credential back after the close deleted it.
    await (await engine.carriers.get(TWILIO)).ensureCredential({ shelterId: OTHER, username: 'hlate00000001', password: 'Late-password-1234' });
    expect(lists().flatMap((l) => l.usernames)).toEqual(['hlate00000001']);

    const report = await driftCheck(engine);
    expect(report.credentials).toContainEqual({ carrierId: TWILIO, shelterId: OTHER, username: 'hlate00000001', action: 'deleted' });
    expect(lists()).toEqual([]);
    const audit = (await store.query('audit', { where: { action: 'drift.repaired' }, limit: 500 })).items;
    expect(audit.some((e) => e.entity.id === OTHER && e.from === 'hlate00000001' && /closed shelter/.test(e.reason ?? ''))).toBe(true);
    expect((await driftCheck(engine)).credentials).toEqual([]); // converged
  });

  it('removes what a closed shelter left on an api member through a delete work order, with an audit entry', async () => {
    const { store, engine } = drill.server.deps;
    const api = await engine.carriers.get(API);
    await api.ensureCredential({ shelterId: OTHER, username: 'hlate00000002', password: 'Late-password-5678' }).catch(() => undefined); // a work order, pending
    await memberIdle(drill, API);
    expect(await api.listCredentials(OTHER)).toEqual(['hlate00000002']);

    const report = await driftCheck(engine);
    expect(report.credentials).toContainEqual({ carrierId: API, shelterId: OTHER, username: 'hlate00000002', action: 'deleted' });
    await memberIdle(drill, API);
    expect(await api.listCredentials(OTHER)).toEqual([]);
    const orders = (await store.query('workOrders', { where: { carrierId: API, dedupeKey: `credential:${OTHER}:hlate00000002` }, limit: 10 })).items;
    expect(orders.map((o) => `${o.action}:${o.status}`).sort()).toEqual(['create_credential:done', 'delete_credential:done']);
    const audit = (await store.query('audit', { where: { action: 'drift.repaired' }, limit: 500 })).items;
    expect(audit.some((e) => e.entity.id === OTHER && e.from === 'hlate00000002')).toBe(true);
  });

  it('recreates a SIP domain the carrier lost, calling our outbound webhook again', async () => {
    const account = drill.carriers.find((c) => c.id === TWILIO)!.account!;
    const [domain] = drill.sim.snapshot(account.sid).sip_domains;
    expect(domain?.voice_url).toBe(`${drill.url}/twilio/voice/outbound`);
    const sdkCarrier = await drill.server.deps.engine.carriers.get(TWILIO);
    await sdkCarrier.ensureSipDomain({ voiceUrl: 'https://elsewhere.example.jp/voice', voiceFallbackUrl: '', statusCallback: '' });
    expect(drill.sim.snapshot(account.sid).sip_domains[0]?.voice_url).toBe('https://elsewhere.example.jp/voice');
    const report = await driftCheck(drill.server.deps.engine);
    expect(report.domains.length).toBeGreaterThan(0);
    expect(drill.sim.snapshot(account.sid).sip_domains[0]?.voice_url).toBe(`${drill.url}/twilio/voice/outbound`);
  });

  it('when the member deletes our SIP domain, says what to set while Twilio reserves the name, then maps every list onto it again so handsets register', async () => {
    const account = drill.carriers.find((c) => c.id === TWILIO)!.account!;
    const onTwilio = handset.credentials.find((c) => c.carrierId === TWILIO && c.state === 'active')!;
    const login = { domain: drill.sim.snapshot(account.sid).sip_domains[0]!.domain_name, username: onTwilio.username, password: drill.server.deps.engine.secrets.open(onTwilio.passwordEncrypted) };
    expect(drill.sim.checkSipLogin(login)).toBe(true);
    // The member lost its domain (and with it the mappings); the credential lists survived.
    const [domain] = drill.sim.snapshot(account.sid).sip_domains;
    const gone = await fetch(`${drill.simUrl}/2010-04-01/Accounts/${account.sid}/SIP/Domains/${domain!.sid}.json`, {
      method: 'DELETE', headers: { authorization: `Basic ${Buffer.from(`${account.sid}:${account.authToken}`).toString('base64')}` },
    });
    expect(gone.status).toBe(204);
    expect(drill.sim.checkSipLogin(login)).toBe(false);

    // Twilio keeps a deleted name reserved (the simulator: 24 h), for this account too: a critical alert, not a retry loop.
    const { store } = drill.server.deps;
    const heldAlerts = async () => (await store.query('alerts', { where: { kind: 'sip_domain_held_elsewhere', carrierId: TWILIO, resolvedAt: null }, limit: 5 })).items;
    expect((await driftCheck(drill.server.deps.engine)).domains).not.toContain(login.domain);
    const [held] = await heldAlerts();
    expect(held).toMatchObject({ severity: 'critical' });
    expect(held!.message).toMatch(/ORCH_DEPLOYMENT_ID/);
    expect(drill.sim.checkSipLogin(login)).toBe(false);

    // Once Twilio frees the name, the next drift makes the domain again and the alert ends.
    (drill.clock as ManualClock).advance(24 * 3600 * 1000 + 1000);
    const report = await driftCheck(drill.server.deps.engine);
    expect(report.domains).toContain(login.domain);
    expect(await heldAlerts()).toEqual([]);
    expect(drill.sim.snapshot(account.sid).mappings.filter((m) => m.kind === 'registrations' || m.kind === 'calls')).toHaveLength(2);
    expect(drill.sim.checkSipLogin(login)).toBe(true);
    expect((await driftCheck(drill.server.deps.engine)).credentials).toEqual([]); // converged
  });

  it('keeps each outage as its own alert: resolved when the carrier is back, never overwritten by the recovery', async () => {
    const { store } = drill.server.deps;
    const clock = drill.clock as ManualClock;
    for (const episode of [1, 2]) {
      await carrierHealthChanged(store, TWILIO, 'down', { at: clock.now(), actor: SYSTEM_ACTOR, reason: `outage ${episode}` });
      await carrierHealthChanged(store, TWILIO, 'down', { at: clock.now(), actor: SYSTEM_ACTOR, reason: `outage ${episode}` }); // raised again: same episode
      clock.advance(60_000);
      await carrierHealthChanged(store, TWILIO, 'up', { at: clock.now(), actor: SYSTEM_ACTOR, reason: 'probe answered' });
      clock.advance(60_000);
    }
    await drill.server.deps.worker.drain();
    const alerts = (await store.query('alerts', { where: { carrierId: TWILIO }, orderBy: { field: 'createdAt' }, limit: 50 })).items;
    const outages = alerts.filter((a) => a.kind === 'carrier_down');
    const recoveries = alerts.filter((a) => a.kind === 'carrier_up');
    expect(outages.map((a) => [a.severity, a.message.match(/outage \d/)?.[0], a.resolvedAt !== null])).toEqual([['critical', 'outage 1', true], ['critical', 'outage 2', true]]);
    const { name } = (await store.get('carriers', TWILIO)) as Carrier;
    expect(recoveries.map((a) => [a.severity, a.message])).toEqual([['info', `Carrier ${name} is back up.`], ['info', `Carrier ${name} is back up.`]]);
    expect(new Set(alerts.map((a) => a.id)).size).toBe(alerts.length);
    expect(outages[0]!.resolvedAt! <= outages[1]!.createdAt).toBe(true);
  });

  /** The worker's part, played by hand: the clock moves `seconds`, one second at a time, and whatever is due runs. */
  async function seconds(n: number): Promise<void> {
    for (let i = 0; i < n; i++) {
      (drill.clock as ManualClock).advance(1_000);
      await drill.server.deps.worker.drain();
    }
  }

  it('brings a carrier the adapter marked down back up after two good probes in a row, without a coordinator or a maintenance run', async () => {
    const { store } = drill.server.deps;
    const account = drill.carriers.find((c) => c.id === TWILIO)!.account!;
    drill.sim.setOutage(account.sid, true);
    await carrierHealthChanged(store, TWILIO, 'down', { at: drill.clock.now(), actor: SYSTEM_ACTOR, reason: '5 calls in a row failed: 503' });
    await seconds(15);
    expect(((await store.get('carriers', TWILIO)) as Carrier).health).toBe('down'); // still dark: still down

    drill.sim.setOutage(account.sid, false);
    const answersAgain = drill.clock.now().getTime();
    await seconds(11);
    const c = (await store.get('carriers', TWILIO)) as Carrier;
    expect(c.health).toBe('up');
    expect(c.healthReason).toMatch(/^health probe: 2 probes in a row answered/);
    const after = (Date.parse(c.healthChangedAt!) - answersAgain) / 1000;
    console.info(`[recovery] carrier answers again → up: ${after} s of drill time`);
    expect(after).toBeGreaterThan(5);
    expect(after).toBeLessThanOrEqual(10);
  });

  it('probes every carrier every 5 s, idle or not, one probe per carrier however many instances ensure the jobs', async () => {
    const { store } = drill.server.deps;
    const made = await Promise.all([0, 1, 2].map(() => ensureCarrierProbes(store, drill.clock.now())));
    expect(made).toEqual([0, 0, 0]); // registered carriers have theirs already
    const account = drill.carriers.find((c) => c.id === TWILIO)!.account!;
    const before = drill.sim.requestLog(account.sid).length;
    const from = drill.clock.now().getTime();
    await seconds(30);
    const probes = drill.sim.requestLog(account.sid).slice(before).filter((r) => r.method === 'GET' && /\/Accounts\/AC\w+\.json$/.test(r.path));
    // One probe every 5 s of drill time: never two in one interval, never a gap of two.
    expect(probes.map((r) => Math.floor((r.atMs - from - 1) / 5_000))).toEqual([0, 1, 2, 3, 4, 5]);
    const jobs = await store.getMany('jobs', drill.carriers.map((c) => probeJobId(c.id)));
    for (const j of jobs) expect(j).toMatchObject({ kind: 'carrier_probe', status: 'queued', probe: { lastOk: true, failures: 0 } });
    // A probe job that ended for good (or a carrier from before probes) is started again by the maintenance minute.
    await store.put('jobs', { ...jobs[0]!, status: 'failed', version: jobs[0]!.version + 1 });
    expect((await runMaintenance(drill.server.deps.engine)).probesStarted).toBe(1);
    expect(await store.get('jobs', probeJobId(drill.carriers[0]!.id))).toMatchObject({ status: 'queued', probe: { lastOk: true } });
  });

  it('never flips a carrier on one failed probe, or on answers that fail every other time', async () => {
    const { store } = drill.server.deps;
    const account = drill.carriers.find((c) => c.id === TWILIO)!.account!;
    const seen: string[] = [];
    for (let i = 0; i < 4; i++) {
      drill.sim.setOutage(account.sid, i % 2 === 0);
      await seconds(5); // one probe
      const probe = (await store.get('jobs', probeJobId(TWILIO)))!.probe!;
      seen.push(`${probe.lastOk ? 'ok' : 'failed'} ${probe.failures} ${((await store.get('carriers', TWILIO)) as Carrier).health}`);
    }
    drill.sim.setOutage(account.sid, false);
    expect(seen).toEqual(['failed 1 up', 'ok 0 up', 'failed 1 up', 'ok 0 up']);
  });

  it('leaves a carrier a coordinator marked down alone, whatever the probes say', async () => {
    const { store } = drill.server.deps;
    await drill.api.call('POST', `/api/v1/carriers/${TWILIO}/health`, { down: true, reason: 'maintenance window' });
    await seconds(15);
    expect(((await store.get('carriers', TWILIO)) as Carrier).health).toBe('down');
    expect((await store.get('jobs', probeJobId(TWILIO)))!.probe).toMatchObject({ lastOk: true });
    await drill.api.call('POST', `/api/v1/carriers/${TWILIO}/health`, { down: false, reason: 'window over' });
    await drill.server.deps.worker.drain();
  });

  it('shows a drift check that could not reach a carrier as failed, naming the carrier, never as done', async () => {
    const deps = drill.server.deps.engine;
    const account = drill.carriers.find((c) => c.id === TWILIO)!.account!;
    (drill.clock as ManualClock).advance(60_000);
    drill.sim.setOutage(account.sid, true);
    try {
      expect(await scheduleMaintenance(deps, 60_000)).toBe(true);
      await drill.server.deps.worker.drain();
    } finally {
      drill.sim.setOutage(account.sid, false);
    }
    const job = (await deps.store.query('jobs', { where: { kind: 'drift_repair' }, limit: 10 })).items.sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0] as Job;
    expect(job.status).toBe('failed');
    const step = job.steps.find((st) => st.name === 'drift check')!;
    expect(step.status).toBe('failed');
    expect(step.lastError).toMatch(new RegExp(`could not reach ${TWILIO}`));
    expect(job.errors.at(-1)).toMatchObject({ step: 'drift check', message: expect.stringContaining(TWILIO) });
    // The outage is the alert; a failed check of one minute does not raise another.
    const alerts = (await deps.store.query('alerts', { limit: 200 })).items;
    expect(alerts.some((a) => a.kind === 'job_failed' && a.detail?.includes(job.id))).toBe(false);
    await seconds(11); // two good probes: whatever the outage changed is over
  });

  it('is one drift_repair job per time slot, however many instances schedule it, and runs like any job', async () => {
    const deps = drill.server.deps.engine;
    (drill.clock as ManualClock).advance(60_000); // a slot of its own
    const made = await Promise.all([scheduleMaintenance(deps, 60_000), scheduleMaintenance(deps, 60_000), scheduleMaintenance(deps, 60_000)]);
    expect(made.filter(Boolean)).toHaveLength(1);
    await drill.server.deps.worker.drain();
    const jobs = (await deps.store.query('jobs', { where: { kind: 'drift_repair' }, limit: 10 })).items as Job[];
    const fresh = jobs.sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0]!;
    expect(fresh.status).toBe('succeeded');
    expect(fresh.subject).toEqual({ type: 'network' });
    expect(fresh.steps.map((s) => s.name)).toEqual(['certifications', 'carrier probes', 'aged numbers', 'drift check']);
  });
});

describe('an api member\'s released number after its aging', () => {
  let drill: Drill;
  afterAll(async () => drill?.dispose());

  it('is available as soon as the member reports the reset done, not a maintenance run later', async () => {
    const [twilio, , api] = (await import('../../server/drill/drill-carriers.js')).defaultDrillCarriers(10);
    const d = await startTestDrill({ carriers: [twilio!, api!] });
    try {
      const { store, engine } = d.server.deps;
      await d.api.call('POST', `/api/v1/shelters/${SHELTER}/open`, {});
      await d.server.deps.worker.drain();
      const line = (await store.query('numbers', { where: { shelterId: SHELTER, carrierId: API }, limit: 5 })).items[0]!;
      await d.api.call('POST', `/api/v1/shelters/${SHELTER}/close`, {});
      await d.server.deps.worker.drain();
      (d.clock as ManualClock).advance(91 * 86_400_000);
      await runMaintenance(engine); // asks the member to reset the number
      await memberIdle(d, API);
      const reset = (await store.query('workOrders', { where: { carrierId: API, dedupeKey: `number:${line.e164}` }, limit: 50 })).items.filter((o) => o.action === 'reset_number');
      expect(reset.map((o) => o.status)).toEqual(['done']);
      // No maintenance run since: the member's report itself ended the quarantine, audited.
      expect((await store.get('numbers', line.e164))!.state).toBe('available');
      const moved = (await store.query('audit', { where: { action: 'number.available' } as never, limit: 50 })).items.filter((e) => e.entity.id === line.e164);
      expect(moved.map((e) => [e.from, e.to, e.actor.role])).toEqual([['aging', 'available', 'carrier']]);
    } finally {
      await d.dispose();
    }
  }, 60_000);

  it('goes intercept → reset → available once: the drift check does not intercept it again over its reset', async () => {
    const [twilio, , api] = (await import('../../server/drill/drill-carriers.js')).defaultDrillCarriers(10);
    drill = await startTestDrill({ carriers: [twilio!, api!] });
    const { store, engine } = drill.server.deps;
    await drill.api.call('POST', `/api/v1/shelters/${SHELTER}/open`, {});
    await drill.server.deps.worker.drain();
    const line = (await store.query('numbers', { where: { shelterId: SHELTER, carrierId: 'ip-phone-net' }, limit: 5 })).items[0]!;
    await drill.api.call('POST', `/api/v1/shelters/${SHELTER}/close`, {});
    await drill.server.deps.worker.drain();
    (drill.clock as ManualClock).advance(91 * 86_400_000);

    // Maintenance runs every minute; the member answers its orders in between.
    const idle = async () => {
      const deadline = performance.now() + 10_000;
      while ((await store.query('workOrders', { where: { carrierId: 'ip-phone-net', status: 'pending' }, limit: 1 })).items.length > 0) {
        if (performance.now() > deadline) throw new Error('the member never answered its work orders');
        await new Promise((r) => setTimeout(r, 10));
      }
    };
    for (let minute = 0; minute < 3; minute++) {
      await runMaintenance(engine);
      await idle();
      (drill.clock as ManualClock).advance(60_000);
    }
    expect((await store.get('numbers', line.e164))!.state).toBe('available');
    const orders = (await store.query('workOrders', { where: { carrierId: 'ip-phone-net', dedupeKey: `number:${line.e164}` }, orderBy: { field: 'createdAt' }, limit: 50 })).items;
    const afterClose = orders.slice(orders.findIndex((o) => o.action === 'intercept_number'));
    expect(afterClose.map((o) => `${o.action}:${o.status}`)).toEqual(['intercept_number:done', 'reset_number:done']);
  }, 60_000);
});
