import type { Actor, FraudReport, TriageInput } from '../model/index.js';
import { appendAudit } from '../audit/audit-log.js';
import { conflict, notFound } from '../errors.js';
import type { Reader } from '../store/store.js';
import { canMoveReport } from './report-lifecycle.js';
import { decideRestriction, type RestrictionDecision } from './reports-act.js';
import { restrictOutbound } from './fraud-holds.js';
import type { ReportDeps } from './submit-report.js';
import { bumped } from '../store/versioned.js';

export interface Triaged {
  report: FraudReport;
  /** What the credible reports about this number now mean for its shelter. */
  restriction: RestrictionDecision | null;
}

/** Every report about one number (a number gets few: the window is rate-limited and deduplicated). */
export async function reportsAbout(store: Reader, e164: string): Promise<FraudReport[]> {
  return (await store.query('reports', { where: { e164 }, orderBy: { field: 'calledAt', direction: 'desc' }, limit: 1000 })).items;
}

/** An authority or admin triages a report; a credible one may restrict its shelter's outbound calls. */
export async function triageReport(deps: ReportDeps, id: string, input: TriageInput, ctx: { actor: Actor; at: Date }): Promise<Triaged> {
  const report = await deps.store.transaction(async (tx) => {
    const r = await tx.get('reports', id);
    if (!r) throw notFound('report', id);
    if (!canMoveReport(r.status, input.triage)) throw conflict(`a ${r.status} report cannot become ${input.triage}`, { state: r.status });
    const next = bumped(r, { status: input.triage, triagedAt: ctx.at.toISOString(), triagedBy: ctx.actor.label ?? ctx.actor.id, triageNote: input.note ?? null });
    tx.put('reports', next);
    appendAudit(tx, { at: ctx.at, actor: ctx.actor, action: 'report.triaged', entity: { collection: 'reports', id }, from: r.status, to: input.triage, reason: input.note ?? null });
    return next;
  });
  if (report.status !== 'credible') return { report, restriction: null };
  const restriction = decideRestriction(await reportsAbout(deps.store, report.e164), deps.policy);
  const shelterId = report.link.shelterId;
  if (restriction.restrict && shelterId) {
    await restrictOutbound(deps.store, { shelterId, e164: report.e164, reportIds: restriction.reportIds, reason: restriction.reason }, ctx);
  }
  return { report, restriction };
}
