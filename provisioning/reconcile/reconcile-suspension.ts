import type { EngineDeps } from './engine-deps.js';
import type { JobAttempt } from './job-attempt.js';
import { DONE, type ReconcileResult } from './reconcile-result.js';
import { bumped, bumpedAt } from '../store/versioned.js';

/** Replaces a suspended number's routing by the intercept (the queued path, when the carrier was unreachable at request time). */
export async function reconcileSuspension(deps: EngineDeps, run: JobAttempt): Promise<ReconcileResult> {
  if (run.job.subject.type !== 'number') return DONE;
  const { e164 } = run.job.subject;
  const number = await deps.store.get('numbers', e164);
  if (!number || number.state !== 'suspended') return DONE;
  const carrier = await deps.carriers.get(number.carrierId);
  await run.step(`intercept ${e164}`, () => carrier.interceptNumber(e164, deps.urls.intercept('suspended')));
  const effectiveAt = deps.clock.now().toISOString();
  await deps.store.transaction(async (tx) => {
    const n = await tx.get('numbers', e164);
    const report = n?.suspension ? await tx.get('suspensions', n.suspension.requestId) : null;
    if (!n || n.state !== 'suspended' || !n.suspension) return;
    tx.put('numbers', bumpedAt(n, effectiveAt, { suspension: { ...n.suspension, effectiveAt } }));
    if (report && !report.effectiveAt) tx.put('suspensions', bumped(report, { effectiveAt }));
  });
  return DONE;
}
