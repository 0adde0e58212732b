import type { AuditEntry } from '../model/index.js';
import { AUDIT_ACTION_WORDS, ROLE_WORDS } from '../model/audit-words.js';
import { japanTime, spreadsheetCsv } from '../platform/spreadsheet-csv.js';

/** The export's columns, in order: what a reviewer reads first, then the codes a script keys on. */
export const AUDIT_CSV_COLUMNS = [
  '日時', '操作', '操作者', '役割', '対象の種類', '対象', '対象ID', '避難所', '変更前の状態', '変更後の状態', '理由', '変更前の内容', '変更後の内容', '操作コード', '操作者ID', 'イベントID',
] as const;

const COLLECTION_JA: Record<string, string> = {
  shelters: '避難所', numbers: '番号', carriers: '通信事業者', handsets: '端末', jobs: '処理', alerts: 'アラート', tokens: 'アクセストークン',
  workOrders: '作業指示', suspensions: '利用停止', reports: '申告', dialPlanSettings: 'ダイヤルプラン', specialNumberTranslations: '特番の読み替え',
};

/** A value of a before/after summary as words: lists joined, records as `key=value`, never JSON. */
function readable(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return value.map(readable).join(', ');
  if (typeof value === 'object') return Object.entries(value).map(([k, v]) => `${k}=${readable(v)}`).join(' ');
  return String(value);
}

/** A summary, one `key: value` line per member (Excel wraps the cell). */
function summary(record: Record<string, unknown> | null): string {
  return record ? Object.entries(record).map(([k, v]) => `${k}: ${readable(v)}`).join('\n') : '';
}

/** The audit log as the CSV a reviewer opens in Excel, like the shelters and reports exports: one row per event. */
export function auditToCsv(entries: readonly AuditEntry[]): string {
  return spreadsheetCsv(
    AUDIT_CSV_COLUMNS,
    entries.map((e) => [
      japanTime(e.at), AUDIT_ACTION_WORDS[e.action]?.[0] ?? e.action, e.actor.label ?? e.actor.id, ROLE_WORDS[e.actor.role]?.[0] ?? e.actor.role,
      COLLECTION_JA[e.entity.collection] ?? e.entity.collection, e.entityName ?? '', e.entity.id, e.shelterName ?? '',
      e.from ?? '', e.to ?? '', e.reason ?? '', summary(e.before), summary(e.after), e.action, e.actor.id, e.id,
    ]),
  );
}
