import type { Actor, Collections, Job, PhoneNumber, Shelter } from '../model/index.js';
import type { Page, Store, Where } from '../store/store.js';
import { commitAllocation, planAllocation, planShortCodes } from '../allocation/index.js';
import { appendAudit } from '../audit/audit-log.js';
import { conflict, notFound } from '../errors.js';
import { PRIORITY } from '../jobs/job-queue.js';
import { requestReconcile } from '../jobs/request-reconcile.js';
import { jobProgress } from './registry.js';

/**
 * Opening or closing only writes the desired state and a job (202): the reconciler converges
 * the carriers. A newer request supersedes an older job for the same shelter.
 */
export async function requestShelterState(store: Store, shelterId: string, desired: 'open' | 'closed', ctx: { actor: Actor; at: Date; lines?: number; evacuees?: number | null; reason?: string; shortCode?: string }): Promise<{ shelter: Shelter; job: Job }> {
  return store.transaction(async (tx) => {
    const s = await tx.get('shelters', shelterId);
    if (!s) throw notFound('shelter', shelterId);
    const wanted: Shelter = {
      ...s,
      desiredStatus: desired,
      actualStatus: desired === 'open' ? (s.actualStatus === 'open' ? 'open' : 'opening') : s.actualStatus === 'closed' ? 'closed' : 'closing',
      ...(ctx.lines !== undefined ? { lines: ctx.lines } : {}),
      ...(ctx.evacuees !== undefined ? { evacuees: ctx.evacuees } : {}),
      ...(ctx.shortCode ? { shortCode: ctx.shortCode } : {}),
    };
    const { shelter, job } = requestReconcile(tx, wanted, {
      kind: desired === 'open' ? 'open_shelter' : 'close_shelter', at: ctx.at, actor: ctx.actor, priority: PRIORITY.shelter,
      reason: ctx.reason ?? (desired === 'open' ? 'opened' : 'closed'),
    });
    appendAudit(tx, {
      at: ctx.at, actor: ctx.actor, action: desired === 'open' ? 'shelter.open' : 'shelter.close',
      entity: { collection: 'shelters', id: shelterId }, from: s.desiredStatus, to: desired, reason: ctx.reason ?? null,
      after: { lines: shelter.lines, jobId: job.id },
    });
    return { shelter, job };
  });
}

async function allPagesOf<C extends 'numbers' | 'carriers' | 'shelters'>(store: Store, collection: C, where: Record<string, string>): Promise<Collections[C][]> {
  const out: Collections[C][] = [];
  let cursor: string | null = null;
  do {
    const page: Page<Collections[C]> = await store.query(collection, { where: where as Where<C>, limit: 1000, cursor });
    out.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return out;
}

/**
 * A mass opening: the lines of every shelter are planned in ONE pass over the pool (so carrier
 * load and diversity are balanced across the whole event), committed one shelter per
 * transaction (no shared hot document), then each shelter gets its job, which finds its lines
 * already reserved and goes straight to configuring the carriers.
 */
export async function requestBulkOpen(store: Store, ids: string[], ctx: { actor: Actor; at: Date; lines?: number; reason?: string; etocGraceDays: number; agingDays: number }) {
  const shelters = (await Promise.all(ids.map((id) => store.get('shelters', id)))).filter((s): s is Shelter => s !== null);
  const wanted = new Set(shelters.map((s) => s.id));
  const [carriers, available, aging, inService, reserved] = await Promise.all([
    allPagesOf(store, 'carriers', {}),
    allPagesOf(store, 'numbers', { state: 'available' }),
    allPagesOf(store, 'numbers', { state: 'aging' }),
    allPagesOf(store, 'numbers', { state: 'in_service' }),
    allPagesOf(store, 'numbers', { state: 'reserved' }),
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
  await commitAllocation(store, plan, { at: ctx.at, actor: ctx.actor, agingDays: ctx.agingDays });
  // Short codes for the whole opening in the same pass (each job re-checks its own code).
  const openNow = (await allPagesOf(store, 'shelters', { desiredStatus: 'open' })).filter((s) => !wanted.has(s.id));
  let codes = new Map<string, string>();
  try {
    codes = planShortCodes(shelters, new Set(openNow.map((s) => s.shortCode).filter((c): c is string => !!c)));
  } catch {
    // Code space exhausted: the jobs report it per shelter.
  }
  const results: Array<{ shelterId: string; jobId?: string; error?: string }> = [];
  for (const id of ids) {
    try {
      const code = codes.get(id);
      const { job } = await requestShelterState(store, id, 'open', { ...ctx, ...(code ? { shortCode: code } : {}) });
      results.push({ shelterId: id, jobId: job.id });
    } catch (err) {
      results.push({ shelterId: id, error: (err as Error).message });
    }
  }
  return results;
}

export async function getJob(store: Store, id: string) {
  const job = await store.get('jobs', id);
  if (!job) throw notFound('job', id);
  return { ...job, progress: jobProgress(job) };
}

export async function listJobs(store: Store, q: { status?: Job['status']; shelterId?: string; limit?: number; cursor?: string | null }) {
  const where: Record<string, string> = {};
  if (q.status) where.status = q.status;
  if (q.shelterId) where.shelterId = q.shelterId;
  return store.query('jobs', { where, orderBy: { field: 'createdAt', direction: 'desc' }, limit: q.limit, cursor: q.cursor ?? null });
}

/** A failed job is tried again from where it stopped (done steps are kept). */
export async function retryJob(store: Store, id: string, ctx: { actor: Actor; at: Date }) {
  return store.transaction(async (tx) => {
    const job = await tx.get('jobs', id);
    if (!job) throw notFound('job', id);
    if (job.status !== 'failed' && job.status !== 'cancelled') throw conflict(`job ${id} is ${job.status}; only a failed or cancelled job can be retried`);
    const next: Job = { ...job, status: 'queued', attempts: 0, runAfter: ctx.at.toISOString(), finishedAt: null, lease: null, version: job.version + 1, updatedAt: ctx.at.toISOString() };
    tx.put('jobs', next);
    appendAudit(tx, { at: ctx.at, actor: ctx.actor, action: 'job.retry', entity: { collection: 'jobs', id }, from: job.status, to: 'queued' });
    return next;
  });
}
