import { message } from '../model/messages.js';
import { carrierHealthChanged } from '../shelters/carrier-health.js';
import { judgeProbe, probeOnce } from '../carriers/carrier-probe.js';
import { RECONCILER, type EngineDeps } from './engine-deps.js';
import type { JobAttempt } from './job-attempt.js';
import { DONE, type ReconcileResult } from './reconcile-result.js';

/**
 * A carrier's probe job, one run: ask the carrier the cheap question, count the streak, change its
 * health when the streak says so, and name the moment of the next probe (one interval after this
 * one started), or none for a carrier that left.
 */
export async function runCarrierProbe(deps: EngineDeps, run: JobAttempt): Promise<ReconcileResult> {
  const carrierId = run.job.carrierId!;
  const startedAt = deps.clock.now();
  const doc = await deps.store.get('carriers', carrierId);
  if (!doc || doc.status === 'withdrawn') {
    await run.note('health probe', doc ? `carrier ${carrierId} is withdrawn: no more probes` : `carrier ${carrierId} no longer exists`);
    return DONE;
  }
  const answer = await probeOnce(await deps.carriers.get(carrierId), deps.probe.timeoutMs);
  const at = deps.clock.now();
  const { streak, verdict } = judgeProbe(run.job.probe, answer, doc, deps.probe, at);
  run.job = { ...run.job, probe: streak };
  if (verdict === 'down') {
    await carrierHealthChanged(deps.store, carrierId, 'down', { at, actor: RECONCILER, reason: `health probe: ${streak.failures} probes in a row failed: ${answer.detail}`, cause: message('cause.probe_failed', { count: streak.failures }) });
  } else if (verdict === 'up' && !doc.manualDown) {
    // What the adapter's own calls showed belongs to the outage: start afresh.
    deps.carriers.invalidate(carrierId);
    await carrierHealthChanged(deps.store, carrierId, 'up', { at, actor: RECONCILER, reason: `health probe: ${streak.successes} probes in a row answered: ${answer.detail}`, cause: message('cause.probe_answered', { count: streak.successes }) });
  }
  const said = answer.ok ? `answered in ${answer.ms} ms` : `failed (${streak.failures} in a row): ${answer.detail}`;
  await run.note('health probe', verdict ? `${said}; carrier marked ${verdict}` : said);
  return { is: 'again', at: new Date(startedAt.getTime() + deps.probe.everyMs) };
}
