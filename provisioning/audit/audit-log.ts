import { actorOf, auditFilterFields, type Actor, type AuditEntry, type AuditEvent } from '../model/index.js';
import { newId } from '../platform/ids.js';
import { encodeCursor, type Store, type Transaction } from '../store/store.js';

export interface AuditInput {
  at: Date;
  actor: Actor;
  action: string;
  entity: { collection: string; id: string };
  from?: string | null;
  to?: string | null;
  reason?: string | null;
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
  /** The shelter the event concerns when its entity is not the shelter itself (a number, a handset). */
  shelterId?: string | null;
}


export function auditEvent(input: AuditInput): AuditEvent {
  return {
    id: newId('aud', input.at),
    version: 0,
    at: input.at.toISOString(),
    actor: actorOf(input.actor),
    action: input.action,
    entity: input.entity,
    from: input.from ?? null,
    to: input.to ?? null,
    reason: input.reason ?? null,
    before: input.before ?? null,
    after: input.after ?? null,
    ...auditFilterFields(input.actor, input.entity, input.shelterId),
  };
}

/** The audit log is append-only: events are only ever put with a fresh id. */
export function appendAudit(tx: Transaction, input: AuditInput): AuditEvent {
  const event = auditEvent(input);
  tx.put('audit', event);
  return event;
}

export interface AuditFilter {
  limit?: number;
  cursor?: string | null;
  action?: string;
  actor?: string;
  shelterId?: string;
  /** Instants, inclusive. */
  from?: string;
  to?: string;
}

/** The smallest id of an event at or after `at` (ids are time-ordered: `aud_` + base-36 ms + sequence). */
const firstIdAt = (ms: number) => `aud_${ms.toString(36).padStart(10, '0')}`;

/**
 * The log newest first, filtered by action, actor, shelter (equality, in the store) and a date
 * range. Ids sort by time, so `to` starts the scan just past its instant and `from` ends the page
 * at the first older event: no range index is needed on either store.
 */
export async function listAudit(store: Store, opts: AuditFilter) {
  const where: Record<string, string> = {};
  if (opts.action) where.action = opts.action;
  if (opts.actor) where.actorId = opts.actor;
  if (opts.shelterId) where.shelterId = opts.shelterId;
  const cursor = opts.cursor ?? (opts.to ? encodeCursor(null, firstIdAt(Date.parse(opts.to) + 1)) : null);
  const page = await store.query('audit', { where, orderBy: { field: 'id', direction: 'desc' }, limit: opts.limit, cursor });
  if (!opts.from) return page;
  const from = Date.parse(opts.from);
  const items = page.items.filter((e) => Date.parse(e.at) >= from);
  return { items, nextCursor: items.length < page.items.length ? null : page.nextCursor };
}

export const SYSTEM_ACTOR: Actor = { id: 'system', role: 'system', label: 'orchestrator' };

const NAMED = ['shelters', 'carriers', 'tokens', 'handsets'] as const;
type Named = (typeof NAMED)[number];

/** Names instead of ids where a name exists: one batched read per collection for the whole page. */
export async function withEntityNames(store: Store, events: AuditEvent[]): Promise<AuditEntry[]> {
  const wanted = new Map<Named, Set<string>>(NAMED.map((c) => [c, new Set<string>()]));
  for (const e of events) {
    if ((NAMED as readonly string[]).includes(e.entity.collection)) wanted.get(e.entity.collection as Named)!.add(e.entity.id);
    if (e.shelterId) wanted.get('shelters')!.add(e.shelterId);
  }
  const names = new Map<string, string | null>();
  await Promise.all(NAMED.map(async (c) => {
    const ids = [...wanted.get(c)!];
    if (ids.length === 0) return;
    const docs = await store.getMany(c, ids);
    docs.forEach((d, i) => {
      if (!d) return;
      const name = 'name' in d ? d.name : 'label' in d ? (d.label ?? null) : null;
      names.set(`${c}/${ids[i]}`, name);
    });
  }));
  return events.map((e) => ({
    ...e,
    entityName: names.get(`${e.entity.collection}/${e.entity.id}`) ?? null,
    shelterName: e.shelterId && e.entity.collection !== 'shelters' ? (names.get(`shelters/${e.shelterId}`) ?? null) : null,
  }));
}
