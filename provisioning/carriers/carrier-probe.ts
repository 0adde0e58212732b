import type { Carrier as CarrierDoc, CarrierProbeStreak, Job } from '../model/index.js';
import { newJob, PRIORITY } from '../jobs/job-queue.js';
import type { Store } from '../store/store.js';
import type { CarrierAdapter } from './carrier.js';

/**
 * How every carrier is watched, idle or busy: one cheap question (Twilio: fetch the account; an api
 * member: are its work orders answered) every `everyMs`, on the shared job queue, so however many
 * instances run, each carrier is asked once per interval.
 */
export interface ProbePolicy {
  everyMs: number;
  /** An answer that takes longer counts as a failed probe (a hung carrier is a dead one). */
  timeoutMs: number;
  /** Failed probes in a row that mark an up carrier down. */
  downAfter: number;
  /** Good probes in a row that bring a carrier the probes marked down back up. */
  upAfter: number;
}

/**
 * 5 s apart, 2 in a row either way. One failed or slow answer never flips a carrier; two do. An idle
 * 503 outage is seen within 2 intervals (≤ 10 s), a hung carrier within 2 intervals plus one timeout
 * (≤ 15 s). Three in a row would put a 503 outage at 15 s before the worker's poll: past the aim.
 */
export const DEFAULT_PROBE_EVERY_MS = 5_000;
export function probePolicy(everyMs = DEFAULT_PROBE_EVERY_MS): ProbePolicy {
  // A probe never waits longer than the interval, nor longer than 5 s: satellite links answer in under 2 s.
  return { everyMs, timeoutMs: Math.min(everyMs, 5_000), downAfter: 2, upAfter: 2 };
}

export interface ProbeAnswer {
  ok: boolean;
  detail: string;
  ms: number;
}

/**
 * One probe with a deadline in real time (the carrier's servers keep real time, whatever the drill's
 * calendar says): a carrier that does not answer within `timeoutMs` has failed it.
 */
export async function probeOnce(carrier: Pick<CarrierAdapter, 'health'>, timeoutMs: number): Promise<ProbeAnswer> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<ProbeAnswer>((resolve) => {
    timer = setTimeout(() => resolve({ ok: false, detail: `no answer within ${timeoutMs / 1000} s`, ms: timeoutMs }), timeoutMs);
  });
  const asked = carrier.health().then(
    (h) => ({ ok: h.ok, detail: h.detail, ms: Math.round(performance.now() - started) }),
    (err: unknown) => ({ ok: false, detail: err instanceof Error ? err.message : String(err), ms: Math.round(performance.now() - started) }),
  );
  try {
    return await Promise.race([asked, late]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Pure: the streak after one probe, and whether the carrier's health should change. A carrier is
 * marked down after `downAfter` failures in a row and back up after `upAfter` successes in a row,
 * counted since its health last changed (whoever changed it: a streak from before an outage the
 * adapter saw does not bring the carrier back on one answer). `carrier` is what the store says now,
 * so a verdict is given only when it would change something.
 */
export function judgeProbe(previous: CarrierProbeStreak | null | undefined, answer: ProbeAnswer, carrier: Pick<CarrierDoc, 'health' | 'healthChangedAt'>, policy: Pick<ProbePolicy, 'downAfter' | 'upAfter'>, at: Date): { streak: CarrierProbeStreak; verdict: 'up' | 'down' | null } {
  const health = carrier.health;
  const before = previous && carrier.healthChangedAt && previous.lastAt <= carrier.healthChangedAt ? null : previous;
  const streak: CarrierProbeStreak = {
    failures: answer.ok ? 0 : (before?.failures ?? 0) + 1,
    successes: answer.ok ? (before?.successes ?? 0) + 1 : 0,
    lastAt: at.toISOString(),
    lastOk: answer.ok,
    lastMs: answer.ms,
    lastDetail: answer.detail.slice(0, 300),
  };
  if (health !== 'down' && streak.failures >= policy.downAfter) return { streak, verdict: 'down' };
  if (health === 'down' && streak.successes >= policy.upAfter) return { streak, verdict: 'up' };
  return { streak, verdict: null };
}

/** One probe job per carrier, found by this id on every instance. */
export const probeJobId = (carrierId: string) => `job_probe_${carrierId}`;

export function newProbeJob(carrierId: string, at: Date): Job {
  return newJob('carrier_probe', at, { type: 'network' }, { id: probeJobId(carrierId), carrierId, priority: PRIORITY.failover, requestedBy: 'carrier health' });
}

/** A carrier probe comes back on its own: it never counts as work a drain waits for. */
export const isRecurringJob = (job: Pick<Job, 'kind'>) => job.kind === 'carrier_probe';

/**
 * Every carrier that may carry lines has its probe job queued or running. Cheap to call often: one
 * carriers query and one read of their probe jobs; a job is written only where one is missing or ended.
 */
export async function ensureCarrierProbes(store: Store, at: Date): Promise<number> {
  const carriers = (await store.query('carriers', { limit: 1000 })).items.filter((c) => c.status !== 'withdrawn');
  const jobs = await store.getMany('jobs', carriers.map((c) => probeJobId(c.id)));
  const missing = carriers.filter((_, i) => !jobs[i] || jobs[i]!.status === 'succeeded' || jobs[i]!.status === 'failed' || jobs[i]!.status === 'cancelled');
  let started = 0;
  for (const c of missing) {
    const wrote = await store.transaction(async (tx) => {
      const current = await tx.get('jobs', probeJobId(c.id));
      if (current && (current.status === 'queued' || current.status === 'running')) return false;
      // An ended job is started again under the same id: the version goes on from where it was.
      tx.put('jobs', { ...newProbeJob(c.id, at), version: (current?.version ?? -1) + 1, ...(current?.probe ? { probe: current.probe } : {}) });
      return true;
    });
    if (wrote) started++;
  }
  return started;
}
