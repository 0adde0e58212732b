import { message, type Actor, type ReportCall, type SuspensionOutcome } from '../model/index.js';
import { appendAudit } from '../audit/audit-log.js';
import { conflict, notFound } from '../errors.js';
import { describeError } from '../errors.js';
import { toE164OrThrow } from '../numbers/japanese-number.js';
import { canTransition } from '../numbers/lifecycle.js';
import { raiseAlert } from '../alerts/alerts.js';
import { suspendNumber, type SuspensionDeps } from '../suspensions/suspend-number.js';
import { callsOnNumber } from './link-number-history.js';
import { canMoveReport } from './report-lifecycle.js';
import { completeRefusal, refuseNewLines } from './fraud-holds.js';
import { reportsAbout } from './triage-report.js';
import type { ReportPolicy } from './reports-act.js';
import { bumped, bumpedAt } from '../store/versioned.js';

/** Without a window the request names, the day before it is searched for the calls made on the number. */
const DEFAULT_WINDOW_MS = 24 * 3_600_000;

export interface FraudSuspensionInput {
  number: string;
  reason: string;
  requestId?: string;
  window?: { from: string; to: string };
  reportIds?: string[];
}

/**
 * 番号の利用停止 for fraud, with the refusal of new numbers: the shelter that held the number is
 * refused new outbound lines (put first, so the replacement line the suspension asks for is
 * refused too), the number is suspended, and the handsets that called on it in the window are
 * revoked. The report lists those handsets and calls for the police.
 */
export async function suspendForFraud(deps: SuspensionDeps, input: FraudSuspensionInput, ctx: { actor: Actor; at: Date }): Promise<SuspensionOutcome> {
  const e164 = toE164OrThrow(input.number);
  const start = input.window ? new Date(input.window.from) : new Date(ctx.at.getTime() - DEFAULT_WINDOW_MS);
  const end = input.window ? new Date(input.window.to) : ctx.at;
  if (start.getTime() > end.getTime()) throw conflict('the window ends before it starts', { fields: ['window'] });
  const number = await deps.store.get('numbers', e164);
  const calls = await callsOnNumber(deps.store, e164, start, end);
  const shelterId = calls.find((c) => c.shelterId)?.shelterId ?? number?.shelterId ?? null;
  const suspendable = number !== null && (number.state === 'suspended' || canTransition(number.state, 'suspended'));
  if (shelterId && suspendable) await refuseNewLines(deps.store, { shelterId, e164, reason: input.reason }, ctx);

  const outcome = await suspendNumber(deps, { number: e164, reason: input.reason, ...(input.requestId ? { requestId: input.requestId } : {}) }, ctx);
  if (outcome.outcome === 'not-lent' || !shelterId) return outcome;

  const handsetIds = [...new Set(calls.flatMap((c) => (c.handsetId ? [c.handsetId] : [])))].sort();
  const revoked: string[] = [];
  for (const handsetId of handsetIds) if (await revokeHandset(deps, handsetId, e164, input.reason, ctx)) revoked.push(handsetId);
  const reportCalls: ReportCall[] = calls.map((c) => ({ callId: c.id, shelterId: c.shelterId, handsetId: c.handsetId, direction: c.direction, to: c.to, from: c.from, startedAt: c.startedAt, durationSeconds: c.durationSeconds, status: c.status }));
  const fraud = { windowStart: start.toISOString(), windowEnd: end.toISOString(), handsetIds, calls: reportCalls, reportIds: input.reportIds ?? [] };
  const suspensionId = outcome.outcome === 'suspended' ? outcome.id : outcome.firstReportId;
  await completeRefusal(deps.store, shelterId, { suspensionId, revokedHandsetIds: revoked }, ctx.at);
  if (suspensionId) {
    await deps.store.transaction(async (tx) => {
      const doc = await tx.get('suspensions', suspensionId);
      if (doc) tx.put('suspensions', bumped(doc, { fraud }));
    });
  }
  await raiseAlert(deps.store, ctx.at, {
    severity: 'critical', kind: 'fraud_suspension', shelterId,
    text: message('alert.fraud_suspended', { number: e164, shelter: shelterId, handsets: revoked.length }),
  });
  return { ...outcome, fraud } as SuspensionOutcome;
}

/** Revokes a handset at once (the dial plan stops knowing it); its SIP credentials are removed from the carriers. */
async function revokeHandset(deps: SuspensionDeps, handsetId: string, e164: string, reason: string, ctx: { actor: Actor; at: Date }): Promise<boolean> {
  const handset = await deps.store.transaction(async (tx) => {
    const h = await tx.get('handsets', handsetId);
    if (!h || h.status === 'revoked') return null;
    tx.put('handsets', bumpedAt(h, ctx.at, { status: 'revoked' }));
    appendAudit(tx, { at: ctx.at, actor: ctx.actor, action: 'handset.revoked', entity: { collection: 'handsets', id: handsetId }, from: 'active', to: 'revoked', reason: `called on ${e164}, suspended for fraud: ${reason}` });
    return h;
  });
  if (!handset) return false;
  for (const cred of handset.credentials.filter((c) => c.state === 'active' || c.state === 'pending')) {
    try {
      const carrier = await deps.carriers.get(cred.carrierId);
      await carrier.deleteCredential(handset.shelterId, cred.username);
      await deps.store.transaction(async (tx) => {
        const h = await tx.get('handsets', handsetId);
        if (h) tx.put('handsets', bumped(h, { credentials: h.credentials.map((c) => (c.carrierId === cred.carrierId ? { ...c, state: 'deleted' as const } : c)) }));
      });
    } catch (err) {
      // The handset is already refused by the dial plan; the carrier-side credential goes with the shelter's teardown.
      deps.logger.warn({ handsetId, carrierId: cred.carrierId, error: describeError(err) }, 'revoked handset: credential not removed at the carrier yet');
    }
  }
  return true;
}

/** An authority turns a report into a suspension in one step: the window covers the credible reports about the number. */
export async function convertReport(deps: SuspensionDeps & { policy: ReportPolicy }, id: string, input: { reason: string; requestId?: string }, ctx: { actor: Actor; at: Date }): Promise<SuspensionOutcome> {
  const report = await deps.store.get('reports', id);
  if (!report) throw notFound('report', id);
  if (!canMoveReport(report.status, 'suspended')) throw conflict(`a ${report.status} report cannot be turned into a suspension`, { state: report.status });
  const related = (await reportsAbout(deps.store, report.e164)).filter((r) => r.id === id || r.status === 'credible');
  const times = related.map((r) => Date.parse(r.calledAt));
  const span = deps.policy.linkWindowMinutes * 60_000;
  const window = { from: new Date(Math.min(...times) - span).toISOString(), to: new Date(Math.max(...times) + span).toISOString() };
  const outcome = await suspendForFraud(deps, { number: report.e164, reason: input.reason, ...(input.requestId ? { requestId: input.requestId } : {}), window, reportIds: related.map((r) => r.id) }, ctx);
  const suspensionId = outcome.outcome === 'suspended' ? outcome.id : outcome.outcome === 'already-suspended' ? outcome.firstReportId : null;
  await deps.store.transaction(async (tx) => {
    const r = await tx.get('reports', id);
    if (!r || !canMoveReport(r.status, 'suspended')) return;
    tx.put('reports', bumped(r, { status: 'suspended', suspensionId, triagedAt: ctx.at.toISOString(), triagedBy: ctx.actor.label ?? ctx.actor.id }));
    appendAudit(tx, { at: ctx.at, actor: ctx.actor, action: 'report.converted', entity: { collection: 'reports', id }, from: r.status, to: 'suspended', reason: input.reason, after: { suspensionId, outcome: outcome.outcome } });
  });
  return outcome;
}
