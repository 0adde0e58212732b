import type { FraudReport } from '../model/index.js';
import { japanTime, spreadsheetCsv } from '../platform/spreadsheet-csv.js';
import type { Reader } from '../store/store.js';
import { eachDocument } from '../store/paging.js';

/** The columns of the export shared with MIC and the police, in order (README documents each one). */
export const REPORT_CSV_COLUMNS = [
  'report_id', 'received_at', 'called_at', 'number', 'status', 'triaged_at', 'triaged_by', 'carrier_id', 'carrier_name',
  'shelter_id', 'shelter_name', 'link_basis', 'handset_ids', 'calls_in_window', 'suspension_id', 'duplicates', 'description', 'contact',
] as const;

/** Reports as CSV for MIC and the police; times in Japan time with their offset, read as they are. */
export function reportsToCsv(reports: readonly FraudReport[]): string {
  return spreadsheetCsv(
    REPORT_CSV_COLUMNS,
    reports.map((r) => [
      r.id, japanTime(r.receivedAt), japanTime(r.calledAt), r.e164, r.status, japanTime(r.triagedAt), r.triagedBy ?? '', r.link.carrierId ?? '', r.link.carrierName ?? '',
      r.link.shelterId ?? '', r.link.shelterName ?? '', r.link.basis, r.link.handsetIds.join(' '), r.link.calls.length, r.suspensionId ?? '', r.duplicates, r.description, r.contact ?? '',
    ]),
  );
}

/** Reports received in [from, to), oldest first: one scan down the receivedAt order, stopping at `from`. */
export async function reportsReceivedBetween(store: Reader, from: Date, to: Date): Promise<FraudReport[]> {
  const out: FraudReport[] = [];
  for await (const r of eachDocument(store, 'reports', { orderBy: { field: 'receivedAt', direction: 'desc' }, limit: 500 })) {
    const t = Date.parse(r.receivedAt);
    if (t >= to.getTime()) continue;
    if (t < from.getTime()) break;
    out.push(r);
  }
  return out.reverse();
}
