import pLimit from 'p-limit';
import type { Actor, AuditEvent, PhoneNumber } from '../model/index.js';
import type { Store } from '../store/store.js';
import { IllegalTransitionError, applyTransition, assignability } from '../numbers/lifecycle.js';
import type { AllocationPlan, Assignment } from './plan-allocation.js';

export type CommitContext = { at: Date; actor: Actor; agingDays?: number; concurrency?: number };
export type Conflict = { shelterId: string; e164: string; reason: string };
export type CommitResult = { committed: Array<{ shelterId: string; e164s: string[] }>; conflicts: Conflict[] };

type ShelterOutcome = { e164s: string[]; conflicts: Conflict[] };

/**
 * Writes a plan as `reserved` numbers: one transaction per shelter, so a mass opening has no
 * single contended document. Each number is re-read and re-checked; one taken meanwhile is a
 * conflict for the caller to re-plan, never a second assignment.
 */
export async function commitAllocation(store: Store, plan: AllocationPlan, ctx: CommitContext): Promise<CommitResult> {
  const concurrency = ctx.concurrency ?? 8;
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new Error(`concurrency must be a whole number ≥ 1, got ${concurrency}`);
  const byShelter = new Map<string, Assignment[]>();
  for (const a of plan.assignments) {
    const list = byShelter.get(a.shelterId) ?? [];
    list.push(a);
    byShelter.set(a.shelterId, list);
  }
  const limit = pLimit(concurrency);
  const outcomes = await Promise.all(
    [...byShelter].map(([shelterId, list]) =>
      limit(async (): Promise<[string, ShelterOutcome]> => {
        try {
          return [shelterId, await commitShelter(store, shelterId, list, ctx)];
        } catch (err) {
          // One shelter's failure must not hide what the others committed: report it for re-planning.
          const reason = `could not commit: ${err instanceof Error ? err.message : String(err)}`;
          return [shelterId, { e164s: [], conflicts: list.map((a) => ({ shelterId, e164: a.e164, reason })) }];
        }
      }),
    ),
  );
  const result: CommitResult = { committed: [], conflicts: [] };
  for (const [shelterId, o] of outcomes) {
    if (o.e164s.length > 0) result.committed.push({ shelterId, e164s: o.e164s });
    result.conflicts.push(...o.conflicts);
  }
  return result;
}

function commitShelter(store: Store, shelterId: string, list: Assignment[], ctx: CommitContext): Promise<ShelterOutcome> {
  return store.transaction(async (tx) => {
    const docs = await Promise.all(list.map((a) => tx.get('numbers', a.e164)));
    const e164s: string[] = [];
    const conflicts: Conflict[] = [];
    const writes: Array<{ number: PhoneNumber; event: AuditEvent }> = [];
    list.forEach((a, i) => {
      const n = docs[i] ?? null;
      const conflict = (reason: string): void => void conflicts.push({ shelterId, e164: a.e164, reason });
      if (n === null) return conflict('the number is no longer lent by any carrier');
      if ((n.state === 'reserved' || n.state === 'in_service') && n.shelterId === shelterId) {
        e164s.push(n.e164); // already committed by an earlier attempt
        return;
      }
      if (n.carrierId !== a.carrierId) return conflict(`the number is now lent by carrier ${n.carrierId}, not ${a.carrierId}`);
      const verdict = assignability(n, shelterId, ctx.at);
      if (!verdict.ok) return conflict(verdict.reason);
      try {
        const t = applyTransition(n, 'reserved', {
          at: ctx.at,
          actor: ctx.actor,
          reason: `allocated to shelter ${shelterId}: ${a.reasons.join('; ')}`,
          shelterId,
          ...(ctx.agingDays === undefined ? {} : { agingDays: ctx.agingDays }),
        });
        writes.push({ number: { ...t.number, reasons: a.reasons, why: a.why }, event: t.event });
        e164s.push(n.e164);
      } catch (err) {
        if (err instanceof IllegalTransitionError) return conflict(err.detail);
        throw err;
      }
    });
    for (const w of writes) {
      tx.put('numbers', w.number);
      tx.put('audit', w.event);
    }
    return { e164s, conflicts };
  });
}
