import type { Actor, SuspensionOutcome, SuspensionReport } from '../model/index.js';
import { newId } from '../platform/ids.js';
import { applyTransition, canTransition } from '../numbers/lifecycle.js';
import { toE164OrThrow } from '../numbers/japanese-number.js';
import { appendAudit } from '../audit/audit-log.js';
import { conflict, notFound } from '../errors.js';
import { describeError } from '../errors.js';
import { newJob, PRIORITY } from '../jobs/job-queue.js';
import { requestReconcile } from '../jobs/request-reconcile.js';
import { alertShelterService, computeShelterHealth, readShelterHealth } from '../carriers/shelter-health-sync.js';
import type { CarrierDirectory } from '../carriers/carrier-directory.js';
import type { WebhookUrls } from '../carriers/webhook-urls.js';
import type { Clock } from '../platform/clock.js';
import type { Logger } from '../platform/logger.js';
import type { Store } from '../store/store.js';
import { bumped } from '../store/versioned.js';

/** What suspending and lifting need: the store, the carrier holding the number, and the intercept URL. */
export interface SuspensionDeps {
  store: Store;
  carriers: CarrierDirectory;
  urls: WebhookUrls;
  clock: Clock;
  logger: Logger;
  agingDays: number;
}

/**
 * 番号の利用停止: on an authority's request the number is suspended in the same request, its
 * routing replaced by an intercept at once when the carrier answers (else by a top-priority
 * job), and the report names the whole lending chain.
 */
export async function suspendNumber(deps: SuspensionDeps, input: { number: string; reason: string; requestId?: string }, ctx: { actor: Actor; at: Date }): Promise<SuspensionOutcome> {
  const e164 = toE164OrThrow(input.number);
  const requestedAt = ctx.at.toISOString();
  const reportId = newId('sus', ctx.at);
  const requestedBy = ctx.actor.label ?? ctx.actor.id;
  // Every request is recorded and answered with what was done, whatever state the number is in.
  const early = await deps.store.transaction(async (tx): Promise<SuspensionOutcome | null> => {
    const n = await tx.get('numbers', e164);
    const carrier = n ? await tx.get('carriers', n.carrierId) : null;
    if (n?.state === 'suspended') {
      const first = n.suspension ? await tx.get('suspensions', n.suspension.requestId) : null;
      appendAudit(tx, { at: ctx.at, actor: ctx.actor, action: 'suspension.repeat', entity: { collection: 'numbers', id: e164 }, reason: input.reason });
      const base: Omit<SuspensionReport, 'outcome'> = first ?? {
        id: reportId, version: 0, e164, carrierId: n.carrierId, carrierName: carrier?.name ?? n.carrierId, lendingChain: carrier?.lendingChain ?? [],
        shelterId: n.shelterId, shelterName: null, reason: input.reason, requestedBy, requestedAt, effectiveAt: n.suspension?.effectiveAt ?? null, routingReplaced: 'queued', liftedAt: null, liftReason: null, fraud: null,
      };
      return { ...base, outcome: 'already-suspended', firstReportId: first?.id ?? null };
    }
    if (n && canTransition(n.state, 'suspended')) return null;
    const notLent: SuspensionOutcome = {
      outcome: 'not-lent', id: reportId, e164, state: n?.state ?? null, lastCarrierId: n?.carrierId ?? null, lastCarrierName: carrier?.name ?? null,
      lendingChain: carrier ? [...carrier.lendingChain, carrier.name] : [], lentAt: n?.lentAt ?? null, previousShelterId: n?.previousShelterId ?? n?.shelterId ?? null,
      requestedAt, requestedBy, reason: input.reason,
    };
    if (n) {
      tx.put('suspensions', {
        id: reportId, version: 0, outcome: 'not-lent', e164, carrierId: n.carrierId, carrierName: carrier?.name ?? n.carrierId, lendingChain: notLent.lendingChain,
        shelterId: null, shelterName: null, reason: input.reason, requestedBy, requestedAt, effectiveAt: null, routingReplaced: 'queued', liftedAt: null, liftReason: null, fraud: null,
      });
    }
    appendAudit(tx, { at: ctx.at, actor: ctx.actor, action: 'suspension.not_lent', entity: { collection: 'numbers', id: e164 }, reason: input.reason });
    return notLent;
  });
  if (early) return early;
  const report = await deps.store.transaction(async (tx) => {
    const n = await tx.get('numbers', e164);
    if (!n) throw notFound('number', e164);
    const [carrier, shelter] = await Promise.all([tx.get('carriers', n.carrierId), n.shelterId ? tx.get('shelters', n.shelterId) : Promise.resolve(null)]);
    const { number, event } = applyTransition(n, 'suspended', { at: ctx.at, actor: ctx.actor, reason: input.reason });
    const doc: SuspensionReport = {
      id: reportId, version: 0, outcome: 'suspended', e164, carrierId: n.carrierId, carrierName: carrier?.name ?? n.carrierId,
      lendingChain: [...(carrier?.lendingChain ?? []), carrier?.name ?? n.carrierId, 'Shelter Line (JUSA shelter network)', ...(shelter ? [`${shelter.name} (${shelter.id})`] : [])],
      shelterId: n.shelterId, shelterName: shelter?.name ?? null, reason: input.reason, requestedBy,
      requestedAt, effectiveAt: null, routingReplaced: 'queued', liftedAt: null, liftReason: null, fraud: null,
    };
    tx.put('numbers', { ...number, suspension: { requestId: reportId, requestedAt, reason: input.reason, requestedBy: doc.requestedBy, previousState: n.state } });
    tx.put('audit', event);
    tx.put('suspensions', doc);
    return doc;
  });

  let final = report;
  try {
    const carrier = await deps.carriers.get(report.carrierId);
    await carrier.interceptNumber(e164, deps.urls.intercept('suspended'));
    const effectiveAt = deps.clock.now().toISOString();
    final = { ...report, effectiveAt, routingReplaced: 'immediately', version: 1 };
    await deps.store.transaction(async (tx) => {
      const n = await tx.get('numbers', e164);
      tx.put('suspensions', final);
      if (n?.suspension) tx.put('numbers', bumped(n, { suspension: { ...n.suspension, effectiveAt } }));
    });
  } catch (err) {
    deps.logger.warn({ e164, error: describeError(err) }, 'suspension intercept queued: carrier not reachable now');
    await deps.store.transaction(async (tx) => {
      tx.put('jobs', newJob('suspend_number', deps.clock.now(), { type: 'number', e164 }, { carrierId: report.carrierId, priority: PRIORITY.suspension, requestedBy: report.requestedBy, requestId: ctx.actor.requestId }));
    });
  }
  // The shelter lost a line: its service says so at once, and a reconcile allocates a replacement.
  if (report.shelterId) {
    const shelter = await deps.store.transaction(async (tx) => {
      const inputs = await readShelterHealth(tx, report.shelterId!, deps.store);
      if (!inputs || inputs.shelter.desiredStatus !== 'open') return null;
      const health = computeShelterHealth(inputs, deps.clock.now());
      for (const h of health.handsets) tx.put('handsets', h);
      return requestReconcile(tx, health.shelter, { kind: 'open_shelter', at: deps.clock.now(), actor: ctx.actor, reason: null, priority: PRIORITY.failover, carrierId: report.carrierId }).shelter;
    });
    await alertShelterService(deps.store, shelter, deps.clock.now());
  }
  return { ...final, outcome: 'suspended' };
}

/** Only an admin lifts a suspension, with a reason; the number then ages before anyone gets it. */
export async function liftSuspension(deps: SuspensionDeps, rawNumber: string, reason: string, ctx: { actor: Actor; at: Date }) {
  const e164 = toE164OrThrow(rawNumber);
  return deps.store.transaction(async (tx) => {
    const n = await tx.get('numbers', e164);
    if (!n) throw notFound('number', e164);
    if (n.state !== 'suspended') throw conflict(`number ${e164} is not suspended`);
    const report = n.suspension ? await tx.get('suspensions', n.suspension.requestId) : null;
    const { number, event } = applyTransition({ ...n, shelterId: null }, 'aging', { at: ctx.at, actor: ctx.actor, reason, agingDays: deps.agingDays });
    tx.put('numbers', number);
    tx.put('audit', event);
    if (report) tx.put('suspensions', bumped(report, { liftedAt: ctx.at.toISOString(), liftReason: reason }));
    appendAudit(tx, { at: ctx.at, actor: ctx.actor, action: 'suspension.lift', entity: { collection: 'numbers', id: e164 }, reason });
    return number;
  });
}
