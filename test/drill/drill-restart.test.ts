import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import type { Handset, PhoneNumber } from '../../provisioning/model/index.js';
import { ManualClock } from '../../provisioning/platform/clock.js';
import { seededRandom } from '../../provisioning/platform/random.js';
import { runMaintenance } from '../../provisioning/reconcile/maintenance.js';
import { defaultDrillCarriers } from '../../server/drill/drill-carriers.js';
import { startDrill, type RunningDrill } from '../../server/drill/start-drill.js';
import { DRILL_START } from '../support/drill-fixture.js';

const SHELTER = 'CC0000000504';
const TWILIO = 'noto-cloud';

/**
 * Issue 17 item 6 as it happened: a drill restarted on its data dir finds its in-process simulator
 * blank (no SIP domain, no credential lists, numbers without routing). One maintenance run rebuilds
 * what the store says the carriers should hold, and the shelter's handset can register again.
 */
describe('a drill restarted on the same data dir', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'sl-drill-restart-'));
  const clock = new ManualClock(DRILL_START);
  const start = () => startDrill({
    dataDir, speed: 0, logger: pino({ level: 'silent' }), clock, carriers: defaultDrillCarriers(10).slice(0, 2),
    engine: { runWorker: false, workOrderPollMs: 20, retry: { attempts: 4, baseMs: 5, capMs: 50 }, random: seededRandom(20240101) },
  });
  let drill: RunningDrill | null = null;
  afterAll(async () => {
    await drill?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('rebuilds the blank simulator in one maintenance run: SIP domain, credential list and number routing, and the handset logs in again', { timeout: 120_000 }, async () => {
    drill = await start();
    await drill.api.call('POST', `/api/v1/shelters/${SHELTER}/open`, {});
    await drill.server.deps.worker.drain({ timeoutMs: 30_000 });
    await drill.api.call('POST', `/api/v1/shelters/${SHELTER}/handsets`, { vendor: 'softphone' });
    await drill.server.deps.worker.drain({ timeoutMs: 30_000 });
    const handset = (await drill.server.deps.store.query('handsets', { where: { shelterId: SHELTER }, limit: 5 })).items[0] as Handset;
    const credential = handset.credentials.find((c) => c.carrierId === TWILIO && c.state === 'active')!;
    const password = drill.server.deps.engine.secrets.open(credential.passwordEncrypted);
    await drill.stop();

    drill = await start();
    const account = drill.carriers.find((c) => c.id === TWILIO)!.account!;
    const blank = drill.sim.snapshot(account.sid);
    expect(blank.sip_domains).toEqual([]);
    expect(blank.credential_lists).toEqual([]);
    const lines = ((await drill.server.deps.store.query('numbers', { where: { shelterId: SHELTER }, limit: 10 })).items as PhoneNumber[]).filter((n) => n.carrierId === TWILIO && n.state === 'in_service');
    expect(lines.length).toBeGreaterThan(0);
    for (const n of lines) expect(blank.numbers.find((x) => x.phone_number === n.e164)?.voice_url ?? '').toBe('');

    await runMaintenance(drill.server.deps.engine);
    const rebuilt = drill.sim.snapshot(account.sid);
    expect(rebuilt.sip_domains.map((d) => d.voice_url)).toEqual([`${drill.url}/twilio/voice/outbound`]);
    expect(rebuilt.credential_lists.flatMap((l) => l.usernames)).toEqual([credential.username]);
    for (const n of lines) expect(rebuilt.numbers.find((x) => x.phone_number === n.e164)?.voice_url, n.e164).toBe(`${drill.url}/twilio/voice/inbound`);
    expect(drill.sim.checkSipLogin({ domain: rebuilt.sip_domains[0]!.domain_name, username: credential.username, password })).toBe(true);
  });
});
