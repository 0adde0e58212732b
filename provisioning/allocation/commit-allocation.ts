import { actorOf, auditFilterFields, type Actor, type AuditEvent, type PhoneNumber, type Shelter } from '../model/index.js';
import { newId } from '../platform/ids.js';
import type { DocWrite, GuardedWrite, Store } from '../store/store.js';
import { IllegalTransitionError, applyTransition, assignability } from '../numbers/lifecycle.js';
import type { AllocationPlan, Assignment } from './plan-allocation.js';
import { bumpedAt } from '../store/versioned.js';

export type CommitContext = {
  at: Date;
  actor: Actor;
  /**
   * Each planned shelter as it was read BEFORE its held lines were: a shelter's group lands only if
   * the shelter is still at that version, and bumps it, so two allocations planned from one view of
   * a shelter (two instances, two jobs) can never both land and over-fill it.
   */
  shelters: ReadonlyMap<string, Shelter>;
  agingDays?: number;
  /**
   * Shelters per grouped write: one SQLite transaction (default 2000: fewer, larger commits write
   * fewer pages), or a few Firestore batches (default 500, so carrier work starts sooner).
   */
  groupSize?: number;
  /** Told after each group lands, so carrier work can start before the whole plan is written. */
  onCommitted?: (committed: CommitResult['committed']) => void | Promise<void>;
};
export type Conflict = { shelterId: string; e164: string; reason: string };
export type CommitResult = { committed: Array<{ shelterId: string; e164s: string[] }>; conflicts: Conflict[] };

/** One number a shelter is given, as the audit records it. */
type LineChange = { e164: string; before: AuditEvent['before']; after: AuditEvent['after']; reasons: string[] };
/** What one shelter's part of the plan becomes once checked against the numbers as they are now. */
type ShelterDecision = { shelterId: string; held: string[]; write: GuardedWrite | null; reserved: string[]; changes: LineChange[]; conflicts: Conflict[] };

/**
 * Writes a plan as `reserved` numbers, many shelters per grouped write (Store.commitGuarded): each
 * shelter's numbers are re-read and re-checked, then written only if no one changed them (nor the
 * shelter) since, with the shelter's version bumped; the audit row is shared by up to 100 shelters
 * that land together (written atomically with them): 3 writes for a 2-line shelter, plus 1 per 100.
 * A number or shelter changed meanwhile is a conflict of that shelter alone, for the caller to
 * re-plan; never a second assignment, never more lines than the plan saw wanted.
 */
export async function commitAllocation(store: Store, plan: AllocationPlan, ctx: CommitContext): Promise<CommitResult> {
  const groupSize = ctx.groupSize ?? (store.kind === 'sqlite' ? 2000 : 500);
  if (!Number.isInteger(groupSize) || groupSize < 1) throw new Error(`groupSize must be a whole number ≥ 1, got ${groupSize}`);
  const byShelter = new Map<string, Assignment[]>();
  for (const a of plan.assignments) {
    const list = byShelter.get(a.shelterId) ?? [];
    list.push(a);
    byShelter.set(a.shelterId, list);
  }
  const shelters = [...byShelter];
  const result: CommitResult = { committed: [], conflicts: [] };
  for (let i = 0; i < shelters.length; i += groupSize) {
    const part = shelters.slice(i, i + groupSize);
    const docs = await store.getMany('numbers', part.flatMap(([, list]) => list.map((a) => a.e164)));
    let k = 0;
    const decisions = part.map(([shelterId, list]) => decideShelter(shelterId, list, docs.slice(k, (k += list.length)), ctx));
    const writing = decisions.filter((d) => d.write !== null);
    const landed = await store.commitGuarded(
      writing.map((d) => d.write!),
      (idx) => auditOf(idx.map((i) => writing[i]!), ctx),
    );
    const committed: CommitResult['committed'] = [];
    let w = 0;
    for (const d of decisions) {
      const ok = d.write ? landed[w++]! : true;
      const e164s = ok ? [...d.held, ...d.reserved] : d.held;
      result.conflicts.push(...d.conflicts);
      if (!ok) for (const e164 of d.reserved) result.conflicts.push({ shelterId: d.shelterId, e164, reason: 'the number or its shelter changed while this allocation was being written' });
      if (e164s.length > 0) committed.push({ shelterId: d.shelterId, e164s });
    }
    result.committed.push(...committed);
    if (committed.length > 0) await ctx.onCommitted?.(committed);
  }
  return result;
}

/** Pure: which of a shelter's planned numbers it may still have, and the guarded write that reserves them. */
function decideShelter(shelterId: string, list: Assignment[], docs: Array<PhoneNumber | null>, ctx: CommitContext): ShelterDecision {
  const d: ShelterDecision = { shelterId, held: [], write: null, reserved: [], changes: [], conflicts: [] };
  const shelter = ctx.shelters.get(shelterId);
  if (!shelter) {
    for (const a of list) d.conflicts.push({ shelterId, e164: a.e164, reason: `shelter ${shelterId} was not read before its allocation was planned` });
    return d;
  }
  const next: PhoneNumber[] = [];
  const changes: LineChange[] = [];
  list.forEach((a, i) => {
    const n = docs[i] ?? null;
    const conflict = (reason: string): void => void d.conflicts.push({ shelterId, e164: a.e164, reason });
    if (n === null) return conflict('the number is no longer lent by any carrier');
    if ((n.state === 'reserved' || n.state === 'in_service') && n.shelterId === shelterId) return void d.held.push(n.e164); // an earlier attempt committed it
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
      next.push({ ...t.number, reasons: a.reasons, why: a.why });
      changes.push({ e164: n.e164, before: t.event.before, after: t.event.after, reasons: a.reasons });
      d.reserved.push(n.e164);
    } catch (err) {
      if (err instanceof IllegalTransitionError) return conflict(err.detail);
      throw err;
    }
  });
  if (next.length === 0) return d;
  d.changes = changes;
  d.write = {
    expect: [...next.map((n) => ({ collection: 'numbers' as const, id: n.e164, version: n.version - 1 })), { collection: 'shelters' as const, id: shelterId, version: shelter.version }],
    puts: [
      ...next.map((n) => ({ collection: 'numbers' as const, doc: n })),
      { collection: 'shelters' as const, doc: bumpedAt(shelter, ctx.at) },
    ],
  };
  return d;
}

/** One audit row for shelters whose lines landed together: each number's before/after and why it was chosen. */
function auditOf(decisions: ShelterDecision[], ctx: CommitContext): DocWrite {
  const [first, ...rest] = decisions.map((d) => d.shelterId);
  const changes = decisions.flatMap((d) => d.changes);
  const event: AuditEvent = {
    id: newId('aud', ctx.at),
    version: 0,
    at: ctx.at.toISOString(),
    actor: actorOf(ctx.actor),
    action: 'number.reserved',
    entity: { collection: 'shelters', id: first! },
    ...(rest.length > 0 ? { related: rest } : {}),
    from: null,
    to: 'reserved',
    reason: decisions.map((d) => `allocated to shelter ${d.shelterId}: ${d.changes.map((c) => `${c.e164} (${c.reasons.join('; ')})`).join(' | ')}`).join(' || '),
    before: Object.fromEntries(changes.map((c) => [c.e164, c.before])),
    after: Object.fromEntries(changes.map((c) => [c.e164, c.after])),
    // The shelter filter finds a grouped row by its first shelter here, and by `related` for the others (audit-log.ts).
    ...auditFilterFields(ctx.actor, { collection: 'shelters', id: first! }),
  };
  return { collection: 'audit', doc: event };
}
