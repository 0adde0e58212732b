import type { Role } from './audit-event.js';

/**
 * The words of the audit log's codes, Japanese first: the board shows them and the audit CSV
 * (provisioning/audit/audit-csv.ts) writes the Japanese, from this one table, so a wording is changed
 * once. Plain data like message-words.ts: the board takes it as a value at the cost of these strings.
 */
type Pair = readonly [ja: string, en: string];

/** Audit actions; an unknown one shows its code, which is an id, not a sentence. */
export const AUDIT_ACTION_WORDS: Readonly<Record<string, Pair>> = {
  'alert.ack': ['アラートを確認', 'Alert acknowledged'],
  'alert.assign': ['アラートの担当者を設定', 'Alert assigned'],
  'carrier.register': ['通信事業者を登録', 'Carrier registered'],
  'carrier.update': ['通信事業者を更新', 'Carrier updated'],
  'carrier.down': ['通信事業者を停止扱い', 'Carrier marked down'],
  'carrier.up': ['通信事業者を復旧扱い', 'Carrier marked up'],
  'drift.repaired': ['設定のずれを修復', 'Drift repaired'],
  'handset.register': ['端末を登録', 'Handset registered'],
  'job.retry': ['処理を再実行', 'Task retried'],
  'number.lend': ['番号の貸し出し', 'Numbers lent'],
  'poster.print': ['ポスターを印刷', 'Poster printed'],
  'reconcile.request': ['再調整を依頼', 'Reconcile requested'],
  'shelter.import': ['避難所を取り込み', 'Shelters imported'],
  'shelter.patch': ['避難所の情報を更新', 'Shelter details updated'],
  'shelter.upsert': ['避難所を登録・更新', 'Shelter saved'],
  'shelter.open': ['避難所を開設', 'Shelter opened'],
  'shelter.close': ['避難所を閉鎖', 'Shelter closed'],
  'shelter.contact': ['避難所の連絡先・メモを更新', 'Shelter contact and notes updated'],
  'shelter.check-in': ['避難所と連絡を取った', 'Checked in with the shelter'],
  'shelter.test-call': ['試験通話', 'Test call'],
  'shelter.test-call.refused': ['試験通話（上限のため拒否）', 'Test call refused (limit)'],
  'suspension.lift': ['利用停止を解除', 'Suspension lifted'],
  'suspension.not_lent': ['利用停止要請（対象外の番号）', 'Suspension request for a number not lent'],
  'suspension.repeat': ['利用停止要請（重複）', 'Repeated suspension request'],
  'token.bootstrap': ['管理者トークンを設定', 'Admin token set'],
  'token.mint': ['アクセストークンを発行', 'Access token issued'],
  'token.revoke': ['アクセストークンを失効', 'Access token revoked'],
  'number.available': ['番号が空きに', 'Number available'],
  'number.reserved': ['番号を割り当て', 'Number reserved'],
  'number.in_service': ['番号の使用開始', 'Number in service'],
  'number.releasing': ['番号の解除を開始', 'Number releasing'],
  'number.aging': ['番号が保留期間に', 'Number quarantined'],
  'number.suspended': ['番号の利用停止', 'Number suspended'],
  'number.withdrawn': ['番号が返却された', 'Number withdrawn'],
  'number.error': ['番号の設定エラー', 'Number error'],
  'directory.print': ['市町村の電話帳を印刷', 'Directory printed'],
  'carrier.freeze': ['通信事業者の新規割り当てを停止', 'Carrier frozen'],
  'carrier.unfreeze': ['通信事業者の新規割り当てを再開', 'Carrier unfrozen'],
  'carrier.special_numbers': ['特番の接続可否を更新', 'Special numbers updated'],
  'dial_plan.translation_put': ['特番の転送先を登録', 'Special-number translation saved'],
  'dial_plan.translation_delete': ['特番の転送先を削除', 'Special-number translation deleted'],
  'dial_plan.navi_dial_prefixes': ['ナビダイヤルの番号帯を更新', 'Navi Dial prefixes updated'],
  'handset.revoked': ['端末を失効', 'Handset revoked'],
  'report.received': ['不審な電話の申告を受付', 'Report received'],
  'report.triaged': ['申告を判定', 'Report triaged'],
  'report.converted': ['申告に基づき利用停止', 'Report turned into a suspension'],
  'shelter.outbound_restricted': ['避難所の発信を制限', 'Shelter outbound restricted'],
  'shelter.new_lines_refused': ['避難所への新たな番号の提供を拒否', 'New lines refused to the shelter'],
  'shelter.outbound_restriction_reviewed': ['発信制限を確認して解除', 'Outbound restriction reviewed'],
  'shelter.new_lines_refusal_reviewed': ['番号提供の拒否を確認して解除', 'Refusal of new lines reviewed'],
  'work_order.done': ['作業指示の完了', 'Work order done'],
  'work_order.failed': ['作業指示の失敗', 'Work order failed'],
  'work_order.expired': ['作業指示の期限切れ', 'Work order expired'],
};

/** Who acted, by role. */
export const ROLE_WORDS: Readonly<Record<Role | 'system', Pair>> = {
  admin: ['管理者', 'admin'],
  coordinator: ['調整担当', 'coordinator'],
  viewer: ['閲覧者', 'viewer'],
  carrier: ['通信事業者', 'carrier'],
  authority: ['警察・行政機関', 'authority'],
  system: ['システム', 'system'],
};
