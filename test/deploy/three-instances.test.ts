import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { pino } from 'pino';
import type { Job, PhoneNumber, Shelter } from '../../provisioning/model/index.js';
import type { CollectionName, Collections } from '../../provisioning/model/index.js';
import { FirestoreStore } from '../../provisioning/store/firestore/firestore-store.js';
import type { Page, Store, Where } from '../../provisioning/store/store.js';
import { startDrill, type RunningDrill } from '../../server/drill/start-drill.js';
import type { DrillCarrierSpec } from '../../server/drill/drill-carriers.js';
import { resetFirestore } from '../support/firestore-emulator.js';
import { firestoreEmulator } from '../support/requirements.js';

const emulatorHost = firestoreEmulator();

// The issue's 600 (under 3 minutes on a 2-core machine at a load of 6–9; the deploy group runs alone,
// after the other suites); SL_THREE_SHELTERS=60 for a quick look.
const SHELTERS = Number(process.env.SL_THREE_SHELTERS ?? 600);
/** Each phase's deadline: a stall fails the test instead of hanging CI (the emulator is slow under load). */
const PHASE_MS = Number(process.env.SL_THREE_PHASE_MS ?? 5 * 60_000);
const LINES = 2;
const LEASE_MS = 5000;
const MAIN = fileURLToPath(new URL('../../server/main.ts', import.meta.url));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pad = (n: number, w: number) => String(n).padStart(w, '0');

/** Enough 0767 numbers on two Twilio members (on the simulator, no latency) for every shelter's two lines. */
function carriers(perCarrier: number): DrillCarrierSpec[] {
  const capacity = { requestsPerSecond: 2000, concurrency: 64 };
  return [
    { id: 'noto-cloud', name: 'Noto Cloud (simulated)', kind: 'twilio', capacity, numbers: Array.from({ length: perCarrier }, (_, i) => `+8176752${pad(i, 4)}`) },
    { id: 'hokuriku-voice', name: 'Hokuriku Voice (simulated)', kind: 'twilio', capacity, numbers: Array.from({ length: perCarrier }, (_, i) => `+8176753${pad(i, 4)}`) },
  ];
}

/** Every document of a collection, page by page (a page holds at most 1000). */
async function all<C extends CollectionName>(store: Store, collection: C, where?: Where<C>): Promise<Collections[C][]> {
  const out: Collections[C][] = [];
  let cursor: string | null = null;
  do {
    const page: Page<Collections[C]> = await store.query(collection, { ...(where ? { where } : {}), limit: 1000, cursor });
    out.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return out;
}

/** A JSON POST with no client-side timeout: a 600-shelter opening may take minutes on a loaded emulator. */
function post(url: string, headers: Record<string, string>, body: unknown): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

interface Instance {
  name: string;
  child: ChildProcess;
  owner: string;
  /** Jobs this instance finished, from its own structured log. */
  finished: Set<string>;
  /** Request ids seen on its job log lines. */
  requestIds: Set<string>;
  /** When (ms since epoch, from its log) it started each job's latest attempt. */
  started: Map<string, number>;
  /** When it logged that it is shutting down, how many attempts it started after that, and how long it says stopping took. */
  stopping: { at: number | null; startedAfter: number; tookMs: number | null; releasedJobs: number | null; leftLeased: string[]; steps: Array<{ step: string; ms: number }> };
  /** Everything it wrote (stdout and stderr), for the record of a failed run. */
  output: string[];
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** One orchestrator exactly as production runs it (server/main.ts), on the shared Firestore project. */
function startInstance(name: string, env: Record<string, string>): Promise<Instance> {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  // 'close', not 'exit': its last log lines (how long stopping took) are read by then.
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => child.once('close', (code, signal) => r({ code, signal })));
  const instance: Instance = { name, child, owner: '', finished: new Set(), requestIds: new Set(), started: new Map(), stopping: { at: null, startedAfter: 0, tookMs: null, releasedJobs: null, leftLeased: [], steps: [] }, output: [], exit };
  child.stderr!.on('data', (chunk: Buffer) => {
    process.stderr.write(chunk);
    instance.output.push(chunk.toString('utf8'));
  });
  // SL_THREE_LOG_DIR=dir keeps each instance's structured log (a.log, b.log, c.log) for a post-mortem.
  if (process.env.SL_THREE_LOG_DIR) child.stdout!.pipe(createWriteStream(join(process.env.SL_THREE_LOG_DIR, `${name}.log`)));
  return new Promise((resolve, reject) => {
    // Starting means transpiling the server (tsx): minutes of a 2-core machine shared with other suites.
    const timer = setTimeout(() => reject(new Error(`${name} did not start within ${PHASE_MS / 1000} s`)), PHASE_MS);
    void exit.then(({ code }) => reject(new Error(`${name} exited (${code}) before it listened`)));
    let rest = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      const lines = (rest + chunk.toString('utf8')).split('\n');
      rest = lines.pop()!;
      for (const line of lines) {
        instance.output.push(line);
        if (!line.startsWith('{')) continue;
        const entry = JSON.parse(line) as { msg?: string; jobId?: string; requestId?: string; worker?: string; time: number; ms?: number; releasedJobs?: number; leftLeased?: Array<{ jobId: string }>; steps?: Array<{ step: string; ms: number }> };
        if (entry.msg === 'Shelter Line is listening') {
          instance.owner = entry.worker!;
          clearTimeout(timer);
          resolve(instance);
        }
        if (entry.msg === 'job finished' && entry.jobId) instance.finished.add(entry.jobId);
        if (entry.msg === 'job attempt started' && entry.jobId) {
          instance.started.set(entry.jobId, entry.time);
          if (instance.stopping.at !== null) instance.stopping.startedAfter++;
        }
        if (entry.msg === 'shutting down') instance.stopping.at = entry.time;
        if (entry.msg === 'stopped') Object.assign(instance.stopping, { tookMs: entry.ms, releasedJobs: entry.releasedJobs, leftLeased: entry.leftLeased!.map((l) => l.jobId) });
        // Where its shutdown spent the time, from 'stopped' or from 'shutdown overran its deadline'.
        if (entry.steps) instance.stopping.steps = entry.steps;
        if (entry.jobId && entry.requestId) instance.requestIds.add(entry.requestId);
      }
    });
  });
}

describe.skipIf(!emulatorHost)('three orchestrator instances on one Firestore', () => {
  const projectId = `three-${randomBytes(4).toString('hex')}`;
  const dataDir = mkdtempSync(join(tmpdir(), 'sl-three-'));
  let drill: RunningDrill;
  let store: FirestoreStore;
  const instances: Instance[] = [];
  let env: Record<string, string> = {};

  beforeAll(async () => {
    await resetFirestore(projectId);
    store = new FirestoreStore({ projectId });
    // The drill is only the coordinator's side here (API, simulator, carriers): its own worker never runs.
    drill = await startDrill({
      dataDir, logger: pino({ level: 'silent' }), speed: 0, apiMember: false, importShelters: true,
      carriers: carriers(Math.ceil((SHELTERS * LINES) / 2) + 50),
      engine: { store: new FirestoreStore({ projectId }), runWorker: false, maintenanceEveryMs: 3_600_000 },
    });
    // 600 shelters in the drill's number area: copies of an imported Nanao shelter under new ids.
    const template = (await drill.server.deps.store.query('shelters', { limit: 1 })).items[0]!;
    const now = new Date().toISOString();
    const shelters: Shelter[] = Array.from({ length: SHELTERS }, (_, i) => ({ ...template, id: `load-${pad(i, 4)}`, name: `負荷試験避難所 ${i}`, version: 0, currentJobId: null, desiredStatus: 'closed', actualStatus: 'closed', shortCode: null, createdAt: now, updatedAt: now }));
    await drill.server.deps.store.putMany('shelters', shelters);
    env = {
      ORCH_STORE: 'firestore', FIRESTORE_PROJECT_ID: projectId, PORT: '0', HOST: '127.0.0.1',
      ORCH_PUBLIC_URL: drill.url, ORCH_SECRET_KEY: drill.server.deps.config.secretKey.toString('hex'),
      ORCH_ADMIN_TOKEN: drill.adminToken, ORCH_DATA_DIR: dataDir, ORCH_LOG_LEVEL: 'info',
      ORCH_JOB_LEASE_MS: String(LEASE_MS), ORCH_WORKER_CONCURRENCY: '12',
    };
  }, 300_000);

  afterAll(async () => {
    for (const i of instances) if (i.child.exitCode === null && i.child.signalCode === null) i.child.kill('SIGKILL');
    await drill?.stop();
    await store?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('share a mass opening: all claim, all converge, no number twice, a SIGKILLed instance is taken over and a SIGTERMed one leaves cleanly', async () => {
    const requestId = `mass-opening-${randomBytes(4).toString('hex')}`;
    const requested = Date.now();
    // The coordinator's mass opening (numbers planned in one pass, one job per shelter), then the instances start on the queue together.
    const status = await post(`${drill.url}/api/v1/shelters/open-bulk`, { authorization: `Bearer ${drill.adminToken}`, 'x-request-id': requestId }, { ids: Array.from({ length: SHELTERS }, (_, i) => `load-${pad(i, 4)}`), lines: LINES });
    expect(status).toBe(202);
    console.info(`[three instances] ${SHELTERS} shelters: open-bulk answered in ${((Date.now() - requested) / 1000).toFixed(1)} s`);
    const t0 = Date.now();
    const phase = (what: string) => console.info(`[three instances] ${what} at ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    instances.push(...(await Promise.all(['a', 'b', 'c'].map((n) => startInstance(n, env)))));
    const [a, b, c] = instances as [Instance, Instance, Instance];
    // A failed run shows what b said, whatever failed: its shutdown is the flaky part.
    onTestFailed(() => console.error(`[three instances] b's own output:\n${b.output.join('\n')}`));
    const count = (status: Job['status']) => store.count('jobs', { status, kind: 'open_shelter' });

    // SIGKILL instance a once the opening is well under way and a holds leases.
    let deadline = Date.now() + PHASE_MS;
    let orphaned: Job[] = [];
    for (;;) {
      if ((await count('succeeded')) >= SHELTERS / 10) {
        orphaned = (await all(store, 'jobs', { status: 'running' })).filter((j) => j.lease?.owner === a.owner);
        if (orphaned.length > 0) break;
      }
      if (Date.now() > deadline) throw new Error('the opening never got under way with instance a holding jobs');
      await sleep(50);
    }
    phase(`SIGKILL a holding ${orphaned.length} job(s)`);
    a.child.kill('SIGKILL');
    expect((await a.exit).signal).toBe('SIGKILL');
    // What a really left behind: jobs it may have finished between the look and the kill do not count.
    orphaned = (await all(store, 'jobs', { status: 'running' })).filter((j) => j.lease?.owner === a.owner);
    expect(orphaned.length).toBeGreaterThan(0);

    // SIGTERM b while it holds jobs: it stops claiming, hands back or finishes its jobs, exits in time.
    deadline = Date.now() + PHASE_MS;
    while ((await all(store, 'jobs', { status: 'running' })).every((j) => j.lease?.owner !== b.owner)) {
      if ((await count('queued')) === 0 && (await count('running')) === 0) throw new Error('the opening finished before b could be stopped mid-way');
      if (Date.now() > deadline) throw new Error('b never held a job');
      await sleep(20);
    }
    phase('SIGTERM b');
    const termAt = Date.now();
    b.child.kill('SIGTERM');
    const bExit = await b.exit;
    phase(`b exited (${bExit.code}) after ${((Date.now() - termAt) / 1000).toFixed(1)} s seen from here, ${b.stopping.tookMs} ms by its own clock, ${b.stopping.releasedJobs} job(s) handed back, ${b.stopping.leftLeased.length} left to their lease; steps ${b.stopping.steps.map((s) => `${s.step} at ${s.ms} ms`).join(', ') || 'none logged'}`);
    expect(bExit.code).toBe(0);
    // Its own measure, from the signal to exit (Cloud Run's limit is 10 s)...
    expect(b.stopping.tookMs).not.toBeNull();
    expect(b.stopping.tookMs!).toBeLessThan(10_000);
    // ...and from here, where this busy process (the coordinator, the simulator) may notice the exit late.
    expect(Date.now() - termAt).toBeLessThan(12_000);
    // It stopped claiming, and left no job leased to itself but those it named: one it could not hand
    // back in time (a transaction held its document) waits out its lease, and c finishes it (below).
    expect(b.stopping.at).not.toBeNull();
    expect(b.stopping.startedAfter).toBe(0);
    const leftByB = (await all(store, 'jobs', { status: 'running' })).filter((j) => j.lease?.owner === b.owner).map((j) => j.id);
    expect(leftByB.filter((id) => !b.stopping.leftLeased.includes(id)), 'jobs b left leased without naming them').toEqual([]);

    // Its jobs are taken over by the others once the lease runs out, and finished: succeeded in the
    // store and logged finished by b or c. Two channels: the store can show the job succeeded a moment
    // before the instance's log line has come down its pipe (one run checked in between and failed).
    deadline = Date.now() + PHASE_MS;
    const loggedFinished = (id: string) => b.finished.has(id) || c.finished.has(id);
    for (;;) {
      const jobs = await Promise.all(orphaned.map((j) => store.get('jobs', j.id)));
      if (jobs.every((j) => j!.status === 'succeeded') && orphaned.every((j) => loggedFinished(j.id))) break;
      if (Date.now() > deadline) throw new Error(`instance a's jobs were not taken over: ${jobs.map((j) => `${j!.id}:${j!.status}:${j!.lease?.owner}:${loggedFinished(j!.id) ? 'logged finished' : 'no finish logged'}`).join(', ')}`);
      await sleep(100);
    }
    const takenOver = await Promise.all(orphaned.map((j) => store.get('jobs', j.id)));
    // Taken over, not re-run from scratch by a fluke: a new attempt, after the dead lease ran out.
    for (const [k, j] of takenOver.entries()) expect(j!.attempts, j!.id).toBeGreaterThan(orphaned[k]!.attempts);
    for (const j of orphaned) {
      expect(loggedFinished(j.id), `${j.id} finished by b or c`).toBe(true);
      // Taken over only once a's lease had run out (the machine's one clock: instances log epoch ms).
      const startedAt = (c.finished.has(j.id) ? c : b).started.get(j.id)!;
      expect(startedAt, `${j.id} taken over after its lease`).toBeGreaterThanOrEqual(Date.parse(j.lease!.until));
    }
    phase(`a's ${orphaned.length} job(s) taken over`);

    // c finishes everything.
    deadline = Date.now() + PHASE_MS;
    while ((await count('succeeded')) < SHELTERS) {
      if ((await count('failed')) > 0) throw new Error(`jobs failed: ${JSON.stringify((await all(store, 'jobs', { status: 'failed' })).slice(0, 3).map((j) => j.errors))}`);
      if (Date.now() > deadline) throw new Error(`only ${await count('succeeded')} of ${SHELTERS} jobs succeeded in time`);
      await sleep(250);
    }
    phase(`all ${SHELTERS} opened`);
    c.child.kill('SIGTERM');
    expect((await c.exit).code).toBe(0);

    // Every instance claimed part of the work: b and c by their logs; a by the leases it held when it was
    // killed (its logger's unflushed lines die with it: one run saw a holding 10 leases with none logged).
    // The survivors finished jobs; the request id followed the jobs.
    expect(orphaned.length, 'jobs claimed by a').toBeGreaterThan(0);
    for (const i of [b, c]) expect(i.started.size, `jobs claimed by ${i.name}`).toBeGreaterThan(0);
    for (const i of [b, c]) expect(i.finished.size, `jobs finished by ${i.name}`).toBeGreaterThan(0);
    for (const id of leftByB) expect(c.finished.has(id), `${id}, left to its lease by b, finished by c`).toBe(true);
    for (const i of [b, c]) expect([...i.requestIds], i.name).toEqual([requestId]);
    expect([...a.requestIds].filter((r) => r !== requestId), 'a').toEqual([]);
    const jobs = await all(store, 'jobs');
    expect(jobs.filter((j) => j.kind === 'open_shelter').map((j) => j.requestId)).toEqual(Array(SHELTERS).fill(requestId));

    // Converged: each shelter open with its lines; no number held by two shelters; the carriers agree.
    const shelters = (await all(store, 'shelters')).filter((s) => s.id.startsWith('load-'));
    expect(shelters.filter((s) => s.actualStatus !== 'open').map((s) => `${s.id}:${s.actualStatus}`)).toEqual([]);
    const inService = await all(store, 'numbers', { state: 'in_service' });
    expect(inService.length).toBe(SHELTERS * LINES);
    const byShelter = new Map<string, PhoneNumber[]>();
    for (const n of inService) byShelter.set(n.shelterId!, [...(byShelter.get(n.shelterId!) ?? []), n]);
    expect([...byShelter.values()].every((ns) => ns.length === LINES)).toBe(true);
    expect(byShelter.size).toBe(SHELTERS);
    const reserved = await all(store, 'numbers', { state: 'reserved' });
    expect(reserved).toEqual([]);
    const ours = new Set(inService.map((n) => n.e164));
    for (const carrier of drill.carriers) {
      for (const sn of drill.sim.snapshot(carrier.account!.sid).numbers) {
        expect(sn.voice_url === `${drill.url}/twilio/voice/inbound`, sn.phone_number).toBe(ours.has(sn.phone_number));
      }
    }
  }, 4 * PHASE_MS + 120_000);
});
