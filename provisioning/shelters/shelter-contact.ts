import type { Actor, Shelter, ShelterContactInput } from '../model/index.js';
import type { Store } from '../store/store.js';
import { appendAudit } from '../audit/audit-log.js';
import { notFound } from '../errors.js';
import { bumpedAt } from '../store/versioned.js';

const CONTACT_FIELDS = ['contactName', 'contactPhone', 'notes'] as const;

/** An empty or blank field means "nobody / nothing": stored as null, not as "". */
const normalized = (v: string | null | undefined) => (v === undefined ? undefined : v === null || v.trim() === '' ? null : v);

/**
 * A coordinator edits who to call at the shelter and free notes. Only fields sent change; an
 * unchanged edit writes nothing. Every change is audited with before and after.
 */
export async function updateShelterContact(store: Store, id: string, input: ShelterContactInput, ctx: { actor: Actor; at: Date }): Promise<Shelter> {
  return store.transaction(async (tx) => {
    const before = await tx.get('shelters', id);
    if (!before) throw notFound('shelter', id);
    const changes: Partial<Shelter> = {};
    const was: Record<string, string | null> = {};
    const now: Record<string, string | null> = {};
    for (const f of CONTACT_FIELDS) {
      const v = normalized(input[f]);
      if (v === undefined || v === (before[f] ?? null)) continue;
      was[f] = before[f] ?? null;
      now[f] = v;
      changes[f] = v;
    }
    if (Object.keys(now).length === 0) return before;
    const next = bumpedAt(before, ctx.at, changes);
    tx.put('shelters', next);
    appendAudit(tx, { at: ctx.at, actor: ctx.actor, action: 'shelter.contact', entity: { collection: 'shelters', id }, before: was, after: now });
    return next;
  });
}

/** "I checked in with the shelter now": the time is the server's clock, never the caller's. */
export async function recordCheckIn(store: Store, id: string, ctx: { actor: Actor; at: Date }): Promise<Shelter> {
  return store.transaction(async (tx) => {
    const before = await tx.get('shelters', id);
    if (!before) throw notFound('shelter', id);
    const checkIn = { at: ctx.at.toISOString(), by: ctx.actor.label ?? ctx.actor.id };
    const next = bumpedAt(before, checkIn.at, { lastCheckIn: checkIn });
    tx.put('shelters', next);
    appendAudit(tx, {
      at: ctx.at, actor: ctx.actor, action: 'shelter.check-in', entity: { collection: 'shelters', id },
      before: { lastCheckIn: before.lastCheckIn?.at ?? null }, after: { lastCheckIn: checkIn.at },
    });
    return next;
  });
}
