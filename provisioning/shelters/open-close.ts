import type { Actor, Job, PhoneNumber, Shelter } from '../model/index.js';
import { collectWrites, type Store, type Writes } from '../store/store.js';
import { allDocuments } from '../store/paging.js';
import { commitAllocation, planAllocation, planShortCodes } from '../allocation/index.js';
import { longForm, prefectureOf } from '../numbers/short-code-scheme.js';
import { appendAudit } from '../audit/audit-log.js';
import { notFound } from '../errors.js';
import { sheltersOutsideArea, type Scoped } from '../access/area-scope.js';
import { PRIORITY } from '../jobs/job-queue.js';
import { requestReconcile } from '../jobs/request-reconcile.js';

type StateRequest = { actor: Actor; at: Date; lines?: number; evacuees?: number | null; reason?: string; shortCode?: string };

/** Pure: the shelter as asked for (status, lines, evacuees, short code), before its job is attached. */
function wantedState(s: Shelter, desired: 'open' | 'closed', ctx: StateRequest): Shelter {
  return {
    ...s,
    desiredStatus: desired,
    actualStatus: desired === 'open' ? (s.actualStatus === 'open' ? 'open' : 'opening') : s.actualStatus === 'closed' ? 'closed' : 'closing',
    ...(ctx.lines !== undefined ? { lines: ctx.lines } : {}),
    ...(ctx.evacuees !== undefined ? { evacuees: ctx.evacuees } : {}),
    ...(ctx.shortCode ? { shortCode: ctx.shortCode } : {}),
  };
}

/** The one flow of asking for a state: requestReconcile (job, supersede, audit) and the shelter.open/close audit row. */
function requestReconcileAndAudit(tx: Writes, s: Shelter, wanted: Shelter, desired: 'open' | 'closed', ctx: StateRequest): { shelter: Shelter; job: Job } {
  const { shelter, job } = requestReconcile(tx, wanted, {
    kind: desired === 'open' ? 'open_shelter' : 'close_shelter', at: ctx.at, actor: ctx.actor, priority: PRIORITY.shelter,
    reason: ctx.reason ?? null,
  });
  appendAudit(tx, {
    at: ctx.at, actor: ctx.actor, action: desired === 'open' ? 'shelter.open' : 'shelter.close',
    entity: { collection: 'shelters', id: s.id }, from: s.desiredStatus, to: desired, reason: ctx.reason ?? null,
    after: { lines: shelter.lines, jobId: job.id },
  });
  return { shelter, job };
}

/**
 * Opening or closing only writes the desired state and a job (202): the reconciler converges
 * the carriers. A newer request supersedes an older job for the same shelter.
 */
export async function requestShelterState(store: Store, shelterId: string, desired: 'open' | 'closed', ctx: StateRequest): Promise<{ shelter: Shelter; job: Job }> {
  return store.transaction(async (tx) => {
    const s = await tx.get('shelters', shelterId);
    if (!s) throw notFound('shelter', shelterId);
    const wanted = wantedState(s, desired, ctx);
    return requestReconcileAndAudit(tx, s, wanted, desired, ctx);
  });
}

type BulkResult = { shelterId: string; jobId?: string; error?: string };

/**
 * Asks many shelters open in one guarded write (shelter + job + audit each); a shelter changed
 * meanwhile falls back to its own transaction, so one busy shelter never fails the others.
 */
async function requestOpenMany(store: Store, ids: string[], codes: ReadonlyMap<string, string>, ctx: StateRequest): Promise<BulkResult[]> {
  const docs = await store.getMany('shelters', ids);
  // The same flow as one shelter's request, its writes collected to land as one guarded group.
  const asked = docs.flatMap((s) => {
    if (!s) return [];
    const collect = collectWrites();
    const code = codes.get(s.id);
    const { shelter, job } = requestReconcileAndAudit(collect, s, wantedState(s, 'open', { ...ctx, ...(code ? { shortCode: code } : {}) }), 'open', ctx);
    return [{ next: shelter, job, write: { expect: [{ collection: 'shelters' as const, id: s.id, version: s.version }], puts: collect.puts } }];
  });
  const landed = await store.commitGuarded(asked.map((a) => a.write));
  const out = new Map<string, BulkResult>();
  await Promise.all(
    asked.map(async ({ next, job }, k) => {
      if (landed[k]) return void out.set(next.id, { shelterId: next.id, jobId: job.id });
      try {
        const code = codes.get(next.id);
        const { job: retried } = await requestShelterState(store, next.id, 'open', { ...ctx, ...(code ? { shortCode: code } : {}) });
        out.set(next.id, { shelterId: next.id, jobId: retried.id });
      } catch (err) {
        out.set(next.id, { shelterId: next.id, error: (err as Error).message });
      }
    }),
  );
  return ids.map((id) => out.get(id) ?? { shelterId: id, error: notFound('shelter', id).message });
}

/**
 * A mass opening, as a pipeline: the lines of every shelter are planned in ONE pass over the pool
 * (so carrier load and diversity are balanced across the whole event), then committed many
 * shelters per grouped write; as soon as a group's lines are committed its shelters get their
 * jobs, so a running worker configures their carriers while later groups are still being written.
 */
export async function requestBulkOpen(store: Store, asked: string[], ctx: Scoped & { actor: Actor; at: Date; lines?: number; reason?: string; etocGraceDays: number; agingDays: number; groupSize?: number }): Promise<BulkResult[]> {
  // A shelter outside the caller's area is answered as an unknown one.
  const outside = await sheltersOutsideArea(store, ctx, asked);
  const ids = asked.filter((id) => !outside.has(id));
  const shelters = (await store.getMany('shelters', ids)).filter((s): s is Shelter => s !== null);
  const wanted = new Set(shelters.map((s) => s.id));
  const [carriers, available, aging, inService, reserved, openNow] = await Promise.all([
    allDocuments(store, 'carriers', { limit: 1000 }),
    allDocuments(store, 'numbers', { where: { state: 'available' }, limit: 1000 }),
    allDocuments(store, 'numbers', { where: { state: 'aging' }, limit: 1000 }),
    allDocuments(store, 'numbers', { where: { state: 'in_service' }, limit: 1000 }),
    allDocuments(store, 'numbers', { where: { state: 'reserved' }, limit: 1000 }),
    allDocuments(store, 'shelters', { where: { desiredStatus: 'open' }, limit: 1000 }),
  ]);
  const held = new Map<string, PhoneNumber[]>();
  for (const n of [...inService, ...reserved]) if (n.shelterId && wanted.has(n.shelterId)) held.set(n.shelterId, [...(held.get(n.shelterId) ?? []), n]);
  const load: Record<string, number> = {};
  for (const n of inService) load[n.carrierId] = (load[n.carrierId] ?? 0) + 1;
  const plan = planAllocation({
    shelters: shelters.map((s) => ({ id: s.id, areaCodes: s.areaCodes, lines: ctx.lines ?? s.lines, held: held.get(s.id) ?? [] })),
    pool: [...available, ...aging],
    carriers,
    load,
    now: ctx.at,
    etocGraceDays: ctx.etocGraceDays,
    excludeCarriers: carriers.filter((c) => c.health === 'down').map((c) => c.id),
  });
  // Short codes for the whole opening in the same pass (each job re-checks its own code).
  let codes = new Map<string, string>();
  try {
    const others = openNow.filter((s) => !wanted.has(s.id));
    codes = planShortCodes(shelters, new Set(others.flatMap((s) => (s.shortCode ? [longForm(prefectureOf(s.municipalityCode), s.shortCode)] : []))));
  } catch {
    // A prefecture's code space is exhausted: the jobs report it per shelter.
  }
  const request: StateRequest = { actor: ctx.actor, at: ctx.at, ...(ctx.lines !== undefined ? { lines: ctx.lines } : {}), ...(ctx.reason ? { reason: ctx.reason } : {}) };
  const results = new Map<string, BulkResult>();
  const open = async (group: string[]): Promise<void> => {
    for (const r of await requestOpenMany(store, group, codes, request)) results.set(r.shelterId, r);
  };
  await commitAllocation(store, plan, {
    at: ctx.at, actor: ctx.actor, agingDays: ctx.agingDays,
    shelters: new Map(shelters.map((s) => [s.id, s])), // read before their held lines were
    ...(ctx.groupSize ? { groupSize: ctx.groupSize } : {}),
    onCommitted: (committed) => open(committed.map((c) => c.shelterId)),
  });
  // Shelters without newly committed lines (short, conflicting, or already served) still get a job.
  const rest = [...new Set(ids)].filter((id) => !results.has(id));
  for (let i = 0; i < rest.length; i += 500) await open(rest.slice(i, i + 500));
  return asked.map((id) => results.get(id) ?? { shelterId: id, error: notFound('shelter', id).message });
}
