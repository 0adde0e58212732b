import { message, type Carrier } from '../model/index.js';
import type { Store } from '../store/store.js';
import { appendAudit, SYSTEM_ACTOR } from '../audit/audit-log.js';
import { raiseAlert, resolveAlerts } from '../alerts/alerts.js';
import { certificationWarnings, lendingEligibility } from './certification.js';
import { bumpedAt } from '../store/versioned.js';

export interface CertificationCheckReport {
  frozen: string[];
  unfrozen: string[];
  warnings: number;
}

/**
 * The daily certification check: a carrier whose ETOC mark (or its grace) or number-use-plan
 * certification lapsed is frozen for NEW assignments and an alert is raised; its numbers already
 * in service stay until a coordinator decides. A renewed certification lifts the freeze.
 */
export async function checkCertifications(store: Store, now: Date, opts: { etocGraceDays: number; warnDays?: number }): Promise<CertificationCheckReport> {
  const report: CertificationCheckReport = { frozen: [], unfrozen: [], warnings: 0 };
  const { items } = await store.query('carriers', { limit: 1000 });
  for (const c of items) {
    const eligibility = lendingEligibility({ ...c, status: 'active' }, now, { etocGraceDays: opts.etocGraceDays });
    const lapsed = !eligibility.canLend || (c.certifications.numberUsePlan !== null && !eligibility.canLend0ABJ);
    const frozenByUs = c.status === 'frozen' && c.frozenBy === 'certification';
    if (lapsed && c.status === 'active') {
      const reason = `certification lapsed: ${eligibility.reasons.join('; ')}`;
      await setStatus(store, c, 'frozen', reason, now);
      report.frozen.push(c.id);
      await raiseAlert(store, now, {
        severity: 'critical', kind: 'certification_lapsed', carrierId: c.id,
        text: message('alert.certification_lapsed', { carrier: c.name }), detail: eligibility.reasons.join('; '),
      });
    } else if (!lapsed && frozenByUs) {
      await setStatus(store, c, 'active', 'certification renewed', now);
      report.unfrozen.push(c.id);
      await resolveAlerts(store, now, { kind: 'certification_lapsed', carrierId: c.id });
      await raiseAlert(store, now, { severity: 'info', kind: 'certification_renewed', carrierId: c.id, text: message('alert.certification_renewed', { carrier: c.name }), notice: true });
    }
    for (const w of certificationWarnings(c, now, { warnDays: opts.warnDays ?? 30, etocGraceDays: opts.etocGraceDays })) {
      if (w.severity !== 'warning') continue;
      report.warnings++;
      await raiseAlert(store, now, { severity: 'warning', kind: `certification_expiring_${w.certification}`, carrierId: c.id, text: message('alert.certification_expiring', { carrier: c.name, certification: w.certification, days: w.daysLeft }) });
    }
  }
  return report;
}

async function setStatus(store: Store, c: Carrier, status: Carrier['status'], reason: string, now: Date): Promise<void> {
  await store.transaction(async (tx) => {
    const cur = await tx.get('carriers', c.id);
    if (!cur) return;
    tx.put('carriers', bumpedAt(cur, now, { status, statusReason: reason, frozenBy: status === 'frozen' ? 'certification' : null }));
    appendAudit(tx, { at: now, actor: SYSTEM_ACTOR, action: status === 'frozen' ? 'carrier.freeze' : 'carrier.unfreeze', entity: { collection: 'carriers', id: c.id }, from: cur.status, to: status, reason });
  });
}
