import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job, Shelter } from '../../provisioning/model/index.js';
import { defaultDrillCarriers } from '../../server/drill/drill-carriers.js';
import { ManualClock } from '../../provisioning/platform/clock.js';
import { allNumbers, startTestDrill } from '../support/drill-fixture.js';

type Drill = Awaited<ReturnType<typeof startTestDrill>>;
const LEASE_MS = 1500;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('a worker killed mid-job', () => {
  let drill: Drill;
  let child: ChildProcess | null = null;
  let jobIds: string[] = [];

  beforeAll(async () => {
    const [a, b] = defaultDrillCarriers(20);
    // The child runs on real time, so this engine's manual clock starts at the real time too; it
    // stays idle until the child is dead, then its clock is moved past the dead worker's leases.
    drill = await startTestDrill({ carriers: [a!, b!], clock: new ManualClock(new Date()) });
  }, 60_000);
  afterAll(async () => {
    child?.kill('SIGKILL');
    await drill?.dispose();
  });

  it('is resumed by another engine on the same store once its lease expires: no number twice, nothing left behind', async () => {
    const { store } = drill.server.deps;
    const shelters = (await drill.api.call<{ items: Shelter[] }>('GET', '/api/v1/shelters?limit=1000')).body.items;
    const [first, ...ids] = shelters.filter((s) => s.areaCodes.includes('0767')).slice(0, 5).map((s) => s.id);
    // One shelter already open with a handset: its teardown (credential deletion) is among the interrupted work.
    await drill.api.call('POST', `/api/v1/shelters/${first}/open`, {});
    await drill.server.deps.worker.drain();
    await drill.api.call('POST', `/api/v1/shelters/${first}/handsets`, { vendor: 'softphone' });
    await drill.server.deps.worker.drain();
    expect(drill.carriers.flatMap((c) => drill.sim.snapshot(c.account!.sid).credential_lists).length).toBeGreaterThan(0);
    jobIds.push((await drill.api.call<{ job: Job }>('POST', `/api/v1/shelters/${first}/close`, {})).body.job.id);
    for (const id of ids) jobIds.push((await drill.api.call<{ job: Job }>('POST', `/api/v1/shelters/${id}/open`, {})).body.job.id);
    drill.sim.setLatency(120); // slow carrier: the jobs are mid-way when the worker dies

    const script = fileURLToPath(new URL('./crash-worker.ts', import.meta.url));
    child = spawn(process.execPath, ['--import', 'tsx', script, drill.server.deps.config.dataDir, drill.url, String(LEASE_MS)], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    // Kill it once some job has finished a step but none has completed all of its steps.
    const deadline = Date.now() + 30_000;
    for (;;) {
      const jobs = (await Promise.all(jobIds.map((id) => store.get('jobs', id)))) as Job[];
      const midway = jobs.some((j) => j.status === 'running' && j.steps.some((s) => s.status === 'done') && j.steps.some((s) => s.status !== 'done' && s.status !== 'skipped'));
      if (midway) break;
      if (jobs.every((j) => j.status === 'succeeded') || Date.now() > deadline) throw new Error('the child finished or never started before it could be killed');
      await sleep(10);
    }
    child.kill('SIGKILL');
    await new Promise((r) => child!.once('exit', r));
    const orphaned = ((await Promise.all(jobIds.map((id) => store.get('jobs', id)))) as Job[]).filter((j) => j.status === 'running');
    expect(orphaned.length).toBeGreaterThan(0);
    expect(orphaned.every((j) => j.lease !== null)).toBe(true);

    drill.sim.setLatency(0);
    // The dead worker's leases run out: no waiting, the clock is moved past the last of them.
    const lastLease = Math.max(...orphaned.map((j) => Date.parse(j.lease!.until)));
    (drill.clock as ManualClock).set(new Date(Math.max(lastLease + 1, drill.clock.now().getTime())));
    await drill.server.deps.worker.drain({ timeoutMs: 30_000 });
    const jobs = (await Promise.all(jobIds.map((id) => store.get('jobs', id)))) as Job[];
    expect(jobs.map((j) => j.status)).toEqual(jobIds.map(() => 'succeeded'));
    expect(orphaned.every((o) => jobs.find((j) => j.id === o.id)!.attempts > o.attempts)).toBe(true); // taken over, not left

    const numbers = await allNumbers(drill);
    const inService = numbers.filter((n) => n.state === 'in_service');
    expect(numbers.filter((n) => n.shelterId === first && n.state !== 'aging')).toEqual([]);
    for (const id of ids) expect(inService.filter((n) => n.shelterId === id).length, id).toBe(2);
    expect(new Set(inService.map((n) => n.e164)).size).toBe(inService.length);
    // The carriers match the store: routing exactly on the in-service numbers, credentials only for registered handsets.
    const ours = new Set(inService.map((n) => n.e164));
    const handsets = (await store.query('handsets', { limit: 100 })).items;
    const usernames = new Set(handsets.filter((h) => h.shelterId !== first).flatMap((h) => h.credentials.map((c) => c.username)));
    for (const c of drill.carriers) {
      const snap = drill.sim.snapshot(c.account!.sid);
      for (const sn of snap.numbers) expect(sn.voice_url === `${drill.url}/twilio/voice/inbound`, sn.phone_number).toBe(ours.has(sn.phone_number));
      for (const u of snap.credential_lists.flatMap((l) => l.usernames)) expect(usernames.has(u), `stray credential ${u}`).toBe(true);
      for (const l of snap.credential_lists) expect(l.usernames.length, `empty list ${l.friendly_name}`).toBeGreaterThan(0);
    }
  }, 60_000);
});
