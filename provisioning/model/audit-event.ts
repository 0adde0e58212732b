import { z } from 'zod';
import { Id, Instant } from './common.js';

export const Role = z.enum(['admin', 'coordinator', 'viewer', 'carrier', 'authority']);
export type Role = z.infer<typeof Role>;

/** Who did something: a token's holder, or the orchestrator itself (`system`). */
export const Actor = z.object({
  id: z.string(),
  role: z.union([Role, z.literal('system')]),
  label: z.string().optional(),
  carrierId: Id.optional(),
  /** The HTTP request acting, when one is: the jobs it queues carry it (not part of the audit record). */
  requestId: z.string().optional(),
});
export type Actor = z.infer<typeof Actor>;

/** One append-only line of the audit log: who, when, why, from, to. */
export const AuditEvent = z.object({
  /** Time-ordered: sorting ids sorts events by time. */
  id: Id,
  version: z.number().int().nonnegative().default(0),
  at: Instant,
  actor: Actor,
  action: z.string(),
  entity: z.object({ collection: z.string(), id: z.string() }),
  /**
   * Other documents of `entity.collection` the event covers: a mass opening records the lines it
   * gave up to 100 shelters in one row (entity: the first shelter; related: the others).
   */
  related: z.array(z.string()).optional(),
  from: z.string().nullable().default(null),
  to: z.string().nullable().default(null),
  reason: z.string().nullable().default(null),
  /** Short before/after summaries, never secrets. */
  before: z.record(z.string(), z.unknown()).nullable().default(null),
  after: z.record(z.string(), z.unknown()).nullable().default(null),
  /** Indexed copies for the log's filters: who (the actor's id) and which shelter the event concerns. Absent on events written before them. */
  actorId: z.string().optional(),
  shelterId: Id.nullable().optional(),
});
export type AuditEvent = z.infer<typeof AuditEvent>;

/** The actor as the log keeps it: a principal's other members (its token id) are not part of the record. */
export function actorOf(a: Actor): Actor {
  return { id: a.id, role: a.role, ...(a.label !== undefined ? { label: a.label } : {}), ...(a.carrierId !== undefined ? { carrierId: a.carrierId } : {}) };
}

/** The filter copies every event carries: the actor's id, and the shelter (its own entity, or the one named). */
export function auditFilterFields(actor: Actor, entity: { collection: string; id: string }, shelterId?: string | null): { actorId: string; shelterId: string | null } {
  return { actorId: actor.id, shelterId: shelterId ?? (entity.collection === 'shelters' ? entity.id : null) };
}
