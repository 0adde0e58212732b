import { api } from '../../../lib/http.js';
import type { FraudHold, FraudReport, Page, ReportTriage, SuspensionOutcome } from '../../../../../provisioning/model/index.js';

export const fetchReports = (cursor: string | null) =>
  api<Page<FraudReport>>('GET', `/api/v1/reports?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
export const triageReport = (id: string, triage: ReportTriage, note?: string) =>
  api<{ report: FraudReport }>('POST', `/api/v1/reports/${encodeURIComponent(id)}/triage`, { triage, ...(note ? { note } : {}) });
export const convertReport = (id: string, reason: string) =>
  api<SuspensionOutcome>('POST', `/api/v1/reports/${encodeURIComponent(id)}/suspension`, { reason });
export const fetchHolds = () => api<Page<FraudHold>>('GET', '/api/v1/fraud-holds?limit=200');
export const reviewHold = (shelterId: string, kind: 'restriction' | 'refusal', note: string) =>
  api<FraudHold>('POST', `/api/v1/shelters/${encodeURIComponent(shelterId)}/${kind === 'restriction' ? 'outbound-restriction' : 'line-refusal'}/review`, { note });
/** The CSV export of a period, for MIC and the police (a plain link: the session cookie rides along). */
export const exportUrl = (from: string, to: string) => `/api/v1/reports/export?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`;
