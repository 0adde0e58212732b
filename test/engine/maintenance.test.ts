import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Carrier, Handset, Job } from '../../provisioning/model/index.js';
import { carrierHealthChanged } from '../../provisioning/carriers/carrier-health.js';
import { SYSTEM_ACTOR } from '../../provisioning/audit/audit-log.js';
import { driftCheck, runMaintenance } from '../../provisioning/reconcile/maintenance.js';
import { scheduleMaintenance } from '../../provisioning/reconcile/worker.js';
import { startTestDrill } from '../drill/drill-fixture.js';
import type { ManualClock } from '../../provisioning/platform/clock.js';

type Drill = Awaited<ReturnType<typeof startTestDrill>>;
const SHELTER = 'CC0000000504';
const TWILIO = 'noto-cloud';

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
    expect(recoveries.map((a) => [a.severity, a.message])).toEqual([['info', `Carrier ${TWILIO} is back up.`], ['info', `Carrier ${TWILIO} is back up.`]]);
    expect(new Set(alerts.map((a) => a.id)).size).toBe(alerts.length);
    expect(outages[0]!.resolvedAt! <= outages[1]!.createdAt).toBe(true);
  });

  it('brings a carrier the adapter marked down back up once it answers again, without a coordinator', async () => {
    const { store } = drill.server.deps;
    const account = drill.carriers.find((c) => c.id === TWILIO)!.account!;
    drill.sim.setOutage(account.sid, true);
    await carrierHealthChanged(store, TWILIO, 'down', { at: drill.clock.now(), actor: SYSTEM_ACTOR, reason: '5 calls in a row failed: 503' });
    await runMaintenance(drill.server.deps.engine);
    expect(((await store.get('carriers', TWILIO)) as Carrier).health).toBe('down'); // still dark: still down

    drill.sim.setOutage(account.sid, false);
    const { recovered } = await runMaintenance(drill.server.deps.engine);
    expect(recovered).toEqual([TWILIO]);
    expect(((await store.get('carriers', TWILIO)) as Carrier).health).toBe('up');
  });

  it('probes a carrier the adapter marked down after 2, 4, 8, 16 and 32 s, then leaves it to the maintenance minute', async () => {
    const { store } = drill.server.deps;
    const clock = drill.clock as ManualClock;
    const account = drill.carriers.find((c) => c.id === TWILIO)!.account!;
    drill.sim.setOutage(account.sid, true);
    const downAt = clock.now().getTime();
    await carrierHealthChanged(store, TWILIO, 'down', { at: clock.now(), actor: SYSTEM_ACTOR, reason: 'dark' });
    const probes: number[] = [];
    const seen = drill.sim.requestLog(account.sid).length;
    await drill.server.deps.worker.drain(); // the drain jumps the clock to each probe
    for (const r of drill.sim.requestLog(account.sid).slice(seen)) if (r.method === 'GET' && /\/Accounts\/AC\w+\.json$/.test(r.path)) probes.push(r.atMs - downAt);
    // A probe may be retried within its own second; what matters is when each probe starts.
    expect([...new Set(probes.map((ms) => Math.floor(ms / 1000) * 1000))]).toEqual([2_000, 4_000, 8_000, 16_000, 32_000]);
    expect(((await store.get('carriers', TWILIO)) as Carrier).health).toBe('down');
    drill.sim.setOutage(account.sid, false);
    expect((await runMaintenance(drill.server.deps.engine)).recovered).toEqual([TWILIO]);
    await drill.server.deps.worker.drain();
  });

  it('is up 2 s of drill time after the carrier answers again, with no coordinator and no maintenance run', async () => {
    const { store } = drill.server.deps;
    const clock = drill.clock as ManualClock;
    const account = drill.carriers.find((c) => c.id === TWILIO)!.account!;
    drill.sim.setOutage(account.sid, true);
    await carrierHealthChanged(store, TWILIO, 'down', { at: clock.now(), actor: SYSTEM_ACTOR, reason: '503 five times' });
    drill.sim.setOutage(account.sid, false);
    const answersAgain = clock.now().getTime();
    await drill.server.deps.worker.drain();
    const c = (await store.get('carriers', TWILIO)) as Carrier;
    expect(c.health).toBe('up');
    const seconds = (Date.parse(c.healthChangedAt!) - answersAgain) / 1000;
    console.info(`[recovery] carrier answers again → up: ${seconds} s of drill time`);
    expect(seconds).toBe(2);
  });

  it('leaves a carrier a coordinator marked down alone, whatever the probe says', async () => {
    const { store } = drill.server.deps;
    await drill.api.call('POST', `/api/v1/carriers/${TWILIO}/health`, { down: true, reason: 'maintenance window' });
    expect((await runMaintenance(drill.server.deps.engine)).recovered).toEqual([]);
    expect(((await store.get('carriers', TWILIO)) as Carrier).health).toBe('down');
    await drill.api.call('POST', `/api/v1/carriers/${TWILIO}/health`, { down: false, reason: 'window over' });
    await drill.server.deps.worker.drain();
  });

  it('is one drift_repair job per time slot, however many instances schedule it, and runs like any job', async () => {
    const deps = drill.server.deps.engine;
    const made = await Promise.all([scheduleMaintenance(deps, 60_000), scheduleMaintenance(deps, 60_000), scheduleMaintenance(deps, 60_000)]);
    expect(made.filter(Boolean)).toHaveLength(1);
    await drill.server.deps.worker.drain();
    const jobs = (await deps.store.query('jobs', { where: { kind: 'drift_repair' }, limit: 10 })).items as Job[];
    expect(jobs).toHaveLength(1);
    expect(jobs[0]!.status).toBe('succeeded');
    expect(jobs[0]!.subject).toEqual({ type: 'network' });
    expect(jobs[0]!.steps.map((s) => s.name)).toEqual(['certifications', 'health probes', 'aged numbers', 'drift check']);
  });
});

describe('an api member\'s released number after its aging', () => {
  let drill: Drill;
  afterAll(async () => drill?.dispose());

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
