import { actorOf, auditFilterFields, type Actor, type AuditEntry, type AuditEvent } from '../model/index.js';
import { newId } from '../platform/ids.js';
import { encodeCursor, InvalidCursorError, pageLimit, type Page, type Store, type Writes } from '../store/store.js';

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
export function appendAudit(tx: Writes, input: AuditInput): AuditEvent {
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

/** Grouped allocation rows name their first shelter as the entity and the others in `related`. */
const GROUPED_ACTION = 'number.reserved';
const MERGED = 'm.';

/** A shelter's log is two streams (its own events; grouped rows naming it): the cursor carries where each stands, null once one is done. */
function decodeMerged(cursor: string): [string | null, string | null] {
  if (!cursor.startsWith(MERGED)) throw new InvalidCursorError();
  try {
    const v: unknown = JSON.parse(Buffer.from(cursor.slice(MERGED.length), 'base64url').toString('utf8'));
    if (Array.isArray(v) && v.length === 2 && v.every((x) => x === null || typeof x === 'string')) return v as [string | null, string | null];
  } catch {
    /* fall through */
  }
  throw new InvalidCursorError();
}
const encodeMerged = (a: string | null, b: string | null) => MERGED + Buffer.from(JSON.stringify([a, b]), 'utf8').toString('base64url');

/**
 * The log newest first, filtered by action, actor, shelter (equality, in the store) and a date
 * range. Ids sort by time, so `to` starts the scan just past its instant and `from` ends the page
 * at the first older event: no range index is needed on either store. A shelter's filter also
 * finds the grouped allocation rows that name it among their `related` shelters: both streams
 * are read newest first and merged.
 */
export async function listAudit(store: Store, opts: AuditFilter): Promise<Page<AuditEvent>> {
  const where: Record<string, string> = {};
  if (opts.action) where.action = opts.action;
  if (opts.actor) where.actorId = opts.actor;
  const start = opts.to ? encodeCursor(null, firstIdAt(Date.parse(opts.to) + 1)) : null;
  const limit = pageLimit(opts.limit);
  const byId = { field: 'id' as const, direction: 'desc' as const };
  let page: Page<AuditEvent>;
  if (!opts.shelterId) {
    page = await store.query('audit', { where, orderBy: byId, limit, cursor: opts.cursor ?? start });
  } else {
    const grouped = !opts.action || opts.action === GROUPED_ACTION;
    const [ca, cb] = opts.cursor ? decodeMerged(opts.cursor) : [start ?? '', grouped ? (start ?? '') : null];
    const empty: Page<AuditEvent> = { items: [], nextCursor: null };
    const [own, named] = await Promise.all([
      ca === null ? empty : store.query('audit', { where: { ...where, shelterId: opts.shelterId }, orderBy: byId, limit, cursor: ca || null }),
      cb === null ? empty : store.query('audit', { where: { ...where, action: GROUPED_ACTION }, contains: { field: 'related', value: opts.shelterId }, orderBy: byId, limit, cursor: cb || null }),
    ]);
    const taken = [...own.items, ...named.items].sort((x, y) => (x.id < y.id ? 1 : x.id > y.id ? -1 : 0)).filter((e, i, all) => i === 0 || all[i - 1]!.id !== e.id).slice(0, limit);
    // Where each stream stands after this page: past its last event shown, or done when all it had is shown and it had no more.
    const next = (stream: Page<AuditEvent>, was: string | null): string | null => {
      if (was === null) return null;
      const shown = stream.items.filter((e) => taken.some((t) => t.id === e.id));
      if (shown.length === stream.items.length && !stream.nextCursor) return null;
      const last = shown.at(-1);
      return last ? encodeCursor(last.id, last.id) : was;
    };
    const na = next(own, ca);
    const nb = next(named, cb);
    page = { items: taken, nextCursor: na === null && nb === null ? null : encodeMerged(na, nb) };
  }
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
