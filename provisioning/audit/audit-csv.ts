import type { AuditEntry } from '../model/index.js';
import { japanTime, spreadsheetCsv } from '../platform/spreadsheet-csv.js';

/** The export's columns, in order: what a reviewer reads first, then the codes a script keys on. */
export const AUDIT_CSV_COLUMNS = [
  '日時', '操作', '操作者', '役割', '対象の種類', '対象', '対象ID', '避難所', '変更前の状態', '変更後の状態', '理由', '変更前の内容', '変更後の内容', '操作コード', '操作者ID', 'イベントID',
] as const;

const ROLE_JA: Record<string, string> = { admin: '管理者', coordinator: '調整担当', viewer: '閲覧者', carrier: '通信事業者', authority: '警察・行政機関', system: 'システム' };

const COLLECTION_JA: Record<string, string> = {
  shelters: '避難所', numbers: '番号', carriers: '通信事業者', handsets: '端末', jobs: '処理', alerts: 'アラート', tokens: 'アクセストークン',
  workOrders: '作業指示', suspensions: '利用停止', reports: '申告', dialPlanSettings: 'ダイヤルプラン', specialNumberTranslations: '特番の読み替え',
};

/** Actions as a reviewer reads them; one not listed shows its code, which is an id, not a sentence. */
const ACTION_JA: Record<string, string> = {
  'alert.ack': 'アラートを確認', 'alert.assign': 'アラートの担当者を設定',
  'carrier.register': '通信事業者を登録', 'carrier.update': '通信事業者を更新', 'carrier.down': '通信事業者を停止扱い', 'carrier.up': '通信事業者を復旧扱い',
  'carrier.special_numbers': '通信事業者の特番対応を設定',
  'dial_plan.navi_dial_prefixes': 'ナビダイヤルの発信拒否番号を設定', 'dial_plan.translation_put': '特番の読み替えを登録', 'dial_plan.translation_delete': '特番の読み替えを削除',
  'drift.repaired': '設定のずれを修復', 'handset.register': '端末を登録', 'handset.revoked': '端末の設定を無効化', 'job.retry': '処理を再実行',
  'number.lend': '番号の貸し出し', 'number.available': '番号が空きに', 'number.reserved': '番号を割り当て', 'number.in_service': '番号の使用開始',
  'number.releasing': '番号の解除を開始', 'number.aging': '番号が保留期間に', 'number.suspended': '番号の利用停止', 'number.withdrawn': '番号が返却された', 'number.error': '番号の設定エラー',
  'poster.print': 'ポスターを印刷', 'reconcile.request': '再調整を依頼',
  'report.received': '申告を受付', 'report.triaged': '申告を判定', 'report.converted': '申告から利用停止',
  'shelter.import': '避難所を取り込み', 'shelter.patch': '避難所の情報を更新', 'shelter.upsert': '避難所を登録・更新', 'shelter.open': '避難所を開設', 'shelter.close': '避難所を閉鎖',
  'shelter.contact': '避難所の連絡先・メモを更新', 'shelter.check-in': '避難所と連絡を取った', 'shelter.test-call': '試験通話', 'shelter.test-call.refused': '試験通話（上限のため拒否）',
  'shelter.outbound_restricted': '避難所の発信を制限', 'shelter.outbound_restriction_reviewed': '発信制限を確認・解除',
  'shelter.new_lines_refused': '新たな番号の提供を拒否', 'shelter.new_lines_refusal_reviewed': '提供拒否を確認・解除',
  'suspension.lift': '利用停止を解除', 'suspension.not_lent': '利用停止要請（対象外の番号）', 'suspension.repeat': '利用停止要請（重複）',
  'token.bootstrap': '管理者トークンを設定', 'token.mint': 'アクセストークンを発行', 'token.revoke': 'アクセストークンを失効',
  'work_order.done': '作業指示の完了', 'work_order.failed': '作業指示の失敗', 'work_order.expired': '作業指示の期限切れ',
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
      japanTime(e.at), ACTION_JA[e.action] ?? e.action, e.actor.label ?? e.actor.id, ROLE_JA[e.actor.role] ?? e.actor.role,
      COLLECTION_JA[e.entity.collection] ?? e.entity.collection, e.entityName ?? '', e.entity.id, e.shelterName ?? '',
      e.from ?? '', e.to ?? '', e.reason ?? '', summary(e.before), summary(e.after), e.action, e.actor.id, e.id,
    ]),
  );
}
