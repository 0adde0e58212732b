import type { FraudReport } from '../model/index.js';
import { COUNTS_AS_CREDIBLE } from './report-lifecycle.js';

/** When credible reports about one number hold its shelter's outbound calls (configurable). */
export interface ReportPolicy {
  /** Credible reports about one number that restrict its shelter. */
  credibleReports: number;
  /** …when the calls they report fall within this span. */
  windowHours: number;
  /** How far around the reported time our call records are searched for the calls made on the number. */
  linkWindowMinutes: number;
}

export const DEFAULT_REPORT_POLICY: ReportPolicy = { credibleReports: 3, windowHours: 24, linkWindowMinutes: 60 };

export type RestrictionDecision =
  | { restrict: true; reportIds: string[]; reason: string }
  | { restrict: false; credible: number; needed: number };

/**
 * Pure: do the credible reports about one number reach the threshold within one window of the
 * reported call times? The earliest such window is named, with the reports in it.
 */
export function decideRestriction(reports: readonly FraudReport[], policy: ReportPolicy): RestrictionDecision {
  const credible = reports.filter((r) => COUNTS_AS_CREDIBLE.has(r.status)).sort((a, b) => a.calledAt.localeCompare(b.calledAt));
  const span = policy.windowHours * 3_600_000;
  let best = 0;
  for (let start = 0; start < credible.length; start++) {
    const t0 = Date.parse(credible[start]!.calledAt);
    const inWindow = credible.slice(start).filter((r) => Date.parse(r.calledAt) - t0 <= span);
    best = Math.max(best, inWindow.length);
    if (inWindow.length >= policy.credibleReports) {
      return {
        restrict: true,
        reportIds: inWindow.map((r) => r.id),
        reason: `${inWindow.length} credible reports about ${credible[start]!.e164} within ${policy.windowHours} h`,
      };
    }
  }
  return { restrict: false, credible: best, needed: policy.credibleReports };
}
