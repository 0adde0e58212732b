import type { ReportStatus } from '../model/index.js';

/**
 * The one table of a report's life: for each status, the statuses it may go to. A triage can be
 * revised (new facts arrive); a report an authority turned into a suspension stays so.
 */
export const REPORT_TRANSITIONS: Readonly<Record<ReportStatus, readonly ReportStatus[]>> = {
  received: ['credible', 'not_credible', 'needs_info', 'suspended'],
  needs_info: ['credible', 'not_credible', 'needs_info', 'suspended'],
  credible: ['not_credible', 'needs_info', 'suspended'],
  not_credible: ['credible', 'needs_info'],
  suspended: [],
};

export function canMoveReport(from: ReportStatus, to: ReportStatus): boolean {
  return REPORT_TRANSITIONS[from].includes(to);
}

/** Statuses that count toward restricting a number's shelter: credible, and already acted on. */
export const COUNTS_AS_CREDIBLE: ReadonlySet<ReportStatus> = new Set(['credible', 'suspended']);
