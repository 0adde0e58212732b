import type { JobKind, JobStatus, Message, MessageCode, Role } from '../../../provisioning/model/index.js';
import type { Lang } from './i18n.js';

type Pair = readonly [ja: string, en: string];

/** Every message code the server sends, in both languages; a code without its words is a type error. */
const MESSAGES: Record<MessageCode, Pair> = {
  'alert.carrier_down': ['通信事業者「{carrier}」が停止しています。この事業者の回線を使う避難所には代わりの回線を割り当てます。', 'Carrier {carrier} is down. Shelters with lines on it get replacement lines.'],
  'alert.carrier_up': ['通信事業者「{carrier}」が復旧しました。', 'Carrier {carrier} is back up.'],
  'alert.shelter_no_line': ['避難所「{shelter}」に通話できる回線がありません。', 'Shelter {shelter} has no working line.'],
  'alert.shelter_no_emergency': ['避難所「{shelter}」には 110・118・119 に発信できる回線がありません。特設公衆電話または携帯電話を案内してください。', 'Shelter {shelter} has no line that can call 110/118/119: point people to a special public phone (特設公衆電話) or a mobile phone.'],
  'alert.certification_lapsed': ['{carrier}：認定が失効しました。この事業者からの新しい割り当てを止めています。使用中の番号は担当者が判断するまで残ります。', '{carrier}: certification lapsed. New assignments from this carrier are frozen; its numbers in service stay until a coordinator decides.'],
  'alert.certification_renewed': ['{carrier}：認定が更新されました。番号の貸し出しを再開します。', '{carrier}: certification renewed; the carrier lends again.'],
  'alert.certification_expiring': ['{carrier}：{certification}はあと {days} 日で期限切れです。', '{carrier}: the {certification} certification expires in {days} days.'],
  'alert.job_failed': ['処理「{kind}」が {attempts} 回試みても完了しませんでした。', 'Task “{kind}” failed after {attempts} attempts.'],
  'alert.sip_domain_held_elsewhere': ['事業者 {carrier}：当方の SIP ドメイン名が別の Twilio アカウントで使われています（削除後の予約期間を含む）。ORCH_DEPLOYMENT_ID を別の値にして再起動する（新しい名前でドメインを作成し、端末は設定ファイルから新しい名前を受け取ります）か、保有者に削除を依頼するか、削除された名前を Twilio が解放するのを待ってください（最長 30 日）。それまでこの事業者には端末を登録できません（番号への着信は動作します）。', 'Carrier {carrier}: our SIP domain name is held by another Twilio account (or reserved after a deletion). Set ORCH_DEPLOYMENT_ID to another value and restart (the domain is then made under a new name; handsets take it from their configuration), have the holder delete it, or wait for Twilio to free a deleted name (up to 30 days); until then handsets cannot register on this carrier (its numbers still ring).'],
  'alert.number_not_on_account': ['番号 {number} は事業者 {carrier} のアカウントにありません。使用を止め（撤回）、避難所には別の番号を割り当てます。会員に再貸与か撤回を依頼してください。', 'Number {number} is not on the account of carrier {carrier}: set aside (withdrawn); its shelter gets another number. Ask the member to lend it again or withdraw it.'],
  'alert.work_order_expired': ['通信事業者「{carrier}」が作業指示（{action}）を期限内に完了しませんでした。', 'Carrier {carrier} did not complete a work order ({action}) in time.'],
  'alert.abuse_limit': ['避難所の端末からの発信が上限（{limit}）に達しました。緊急通報以外の発信を止めています。', 'Calls from a handset of this shelter hit the {limit} limit; further calls are refused except emergency calls.'],
  'alert.fraud_restricted': ['不正利用の申告が続いたため、この避難所の発信を緊急通報と短縮番号に限っています。調整担当が確認してください。', 'After credible fraud reports, outbound calls from this shelter are limited to emergency numbers and short codes; a coordinator must review.'],
  'alert.fraud_suspended': ['番号 {number} を不正利用のため利用停止し、端末 {handsets} 台の設定を無効にしました。管理者が確認するまで新しい発信回線は割り当てません。', 'Number {number} suspended for fraud; {handsets} handset(s) revoked; no new outbound line until an admin review.'],
  'reason.reclaimed_aging': ['以前この避難所が使っていた番号を戻しました（保留期間中）', "Reclaimed: this shelter's number before (still in quarantine)"],
  'reason.reclaimed': ['以前この避難所が使っていた番号を戻しました', "Reclaimed: this shelter's number before"],
  'reason.area_emergency': ['避難所の市外局番 {area} の番号で、110・118・119 に発信できます', "0AB-J {area} in the shelter's number area, emergency-capable"],
  'reason.area_plain': ['避難所の市外局番 {area} の番号です（110・118・119 には発信できません）', "0AB-J {area} in the shelter's number area, not emergency-capable"],
  'reason.ip050_fallback': ['050番号で代用しています（110・118・119 不可）。この地域の市外局番の番号が残っていません', '050 fallback (cannot call 110/118/119): no number of the area left'],
  'reason.other_carrier': ['他の回線（{carriers}）とは別の通信事業者です', "Different carrier from the shelter's other lines ({carriers})"],
  'reason.same_carrier_emergency': ['他の回線（{carriers}）と同じ事業者です。緊急通報できる番号が残っているのはこの事業者だけです', "Same carrier as the other lines ({carriers}): only it has an emergency-capable number left"],
  'reason.same_carrier_only': ['他の回線（{carriers}）と同じ事業者です。他の事業者に使える番号が残っていません', 'Same carrier as the other lines ({carriers}): no other carrier has a number left'],
  'reason.least_loaded': ['使用回線がもっとも少ない事業者です（現在 {lines} 回線）', 'Least-loaded carrier ({lines} lines in use)'],
  'reason.only_carrier': ['番号が残っている唯一の事業者です（現在 {lines} 回線）', 'Only suitable carrier with a number left ({lines} lines in use)'],
};

const JOB_KINDS: Record<JobKind, Pair> = {
  open_shelter: ['避難所の開設', 'Opening a shelter'],
  close_shelter: ['避難所の閉鎖', 'Closing a shelter'],
  failover: ['障害時の回線切替', 'Failover'],
  suspend_number: ['番号の利用停止', 'Suspending a number'],
  drift_repair: ['設定のずれの修復', 'Repairing configuration drift'],
  routing_check: ['着信設定の確認', 'Checking routing'],
  handset: ['端末の設定', 'Setting up a handset'],
  carrier_probe: ['通信事業者の稼働確認', 'Probing a carrier'],
};

/** Words for the code-valued parameters of messages (a limit, a certification, a work order's action). */
const PARAM_WORDS: Record<string, Pair> = {
  'handset-concurrent': ['端末ごとの同時通話数', 'concurrent calls per handset'],
  'handset-calls-per-hour': ['端末ごとの1時間の発信数', 'calls per hour per handset'],
  'shelter-concurrent': ['避難所ごとの同時通話数', 'concurrent calls per shelter'],
  'shelter-calls-per-hour': ['避難所ごとの1時間の発信数', 'calls per hour per shelter'],
  'shelter-minutes-per-day': ['避難所ごとの1日の通話分数', 'call minutes per day per shelter'],
  'handset-navi-dial-minutes-per-day': ['端末ごとの1日のナビダイヤル通話分数', '0570 minutes per day per handset'],
  etoc: ['電気通信事業者協会の認定（ETOC）', 'ETOC'],
  numberUsePlan: ['番号使用計画の認定', 'number-use-plan'],
  route_number: ['番号の着信先の設定', 'routing a number'],
  reset_number: ['番号設定の初期化', 'resetting a number'],
  intercept_number: ['番号の案内への切替', 'intercepting a number'],
  create_credential: ['端末の認証情報の作成', 'creating handset credentials'],
  delete_credential: ['端末の認証情報の削除', 'deleting handset credentials'],
};

const JOB_STATUSES: Record<JobStatus, Pair> = {
  queued: ['待機中', 'Queued'],
  running: ['実行中', 'Running'],
  succeeded: ['完了', 'Done'],
  failed: ['失敗', 'Failed'],
  cancelled: ['取り消し', 'Cancelled'],
};

const ROLES: Record<Role | 'system', Pair> = {
  admin: ['管理者', 'admin'],
  coordinator: ['調整担当', 'coordinator'],
  viewer: ['閲覧者', 'viewer'],
  carrier: ['通信事業者', 'carrier'],
  authority: ['警察・行政機関', 'authority'],
  system: ['システム', 'system'],
};

const SEVERITIES: Record<'info' | 'warning' | 'critical', Pair> = { info: ['お知らせ', 'Info'], warning: ['注意', 'Warning'], critical: ['重大', 'Critical'] };

/** Audit actions by prefix; an unknown one shows its code, which is an id, not a sentence. */
const AUDIT_ACTIONS: Record<string, Pair> = {
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
  'work_order.done': ['作業指示の完了', 'Work order done'],
  'work_order.failed': ['作業指示の失敗', 'Work order failed'],
  'work_order.expired': ['作業指示の期限切れ', 'Work order expired'],
};

const COLLECTIONS: Record<string, Pair> = {
  shelters: ['避難所', 'Shelter'], numbers: ['番号', 'Number'], carriers: ['通信事業者', 'Carrier'], handsets: ['端末', 'Handset'],
  jobs: ['処理', 'Task'], alerts: ['アラート', 'Alert'], tokens: ['アクセストークン', 'Token'], workOrders: ['作業指示', 'Work order'], suspensions: ['利用停止', 'Suspension'],
};

/** Problem types (the slug after /problems/) as a person reads them; the server's detail is English and shown only in English. */
const PROBLEMS: Record<string, Pair> = {
  unauthenticated: ['トークンが正しくないか、期限が切れています。', 'The token is wrong or has expired.'],
  forbidden: ['この操作の権限がありません。', 'You may not do this.'],
  'not-found': ['見つかりません。', 'Not found.'],
  validation: ['入力内容に誤りがあります。', 'Some fields are not valid.'],
  invalid: ['入力内容に誤りがあります。', 'Some fields are not valid.'],
  conflict: ['他の操作と重なりました。もう一度お試しください。', 'This clashed with another change; try again.'],
  'illegal-transition': ['いまの状態ではこの操作はできません。', 'This cannot be done in the current state.'],
  unprocessable: ['この内容では処理できません。', 'This request cannot be processed.'],
  unavailable: ['一時的に処理できません。しばらくしてからお試しください。', 'Temporarily unavailable; try again shortly.'],
  'carrier-pending': ['通信事業者の応答を待っています。', 'Waiting for the carrier.'],
  'carrier-failed': ['通信事業者が処理を拒否したか、失敗しました。', 'The carrier refused or failed.'],
  'rate-limited': ['操作が多すぎます。少し待ってからお試しください。', 'Too many requests; wait a moment.'],
  'test-call-limited': ['試験通話の回数が上限に達しました。しばらくしてからもう一度お試しください。', 'Too many test calls for now; try again later.'],
  'token-revoked': ['このトークンは無効にされました。管理者から新しいトークンを受け取り、サインインしてください。', 'This token was revoked; sign in with a new one from your admin.'],
  'session-ended': ['サインアウトされました。もう一度サインインしてください。', 'You were signed out; sign in again.'],
  'session-expired': ['サインインの有効期限が切れました。もう一度サインインしてください。', 'Your sign-in expired; sign in again.'],
  'too-large': ['データが大きすぎます。', 'The data is too large.'],
  'idempotency-key-in-progress': ['同じ操作を処理中です。', 'The same action is still running.'],
  network: ['サーバーに接続できません。接続が戻ると操作できます。', 'The orchestrator cannot be reached; actions work again once it is back.'],
  internal: ['サーバー側で問題が起きました（記録済み）。', 'Something went wrong on our side; it has been logged.'],
};
const CALL_WORDS: Record<string, Pair> = {
  inbound: ['着信', 'Inbound'], outbound: ['発信', 'Outbound'], directory: ['案内番号', 'Directory'],
  routed: ['接続中', 'Routed'], queued: ['待機', 'Queued'], ringing: ['呼出中', 'Ringing'], 'in-progress': ['通話中', 'In progress'],
  completed: ['終了', 'Completed'], busy: ['話中', 'Busy'], failed: ['失敗', 'Failed'], 'no-answer': ['応答なし', 'No answer'], canceled: ['取り消し', 'Cancelled'],
};
/** Call directions and Twilio's CallStatus words; an unknown status shows as it came (an id). */
export const callWord = (w: string, lang: Lang): string => pick(CALL_WORDS[w], lang) ?? w;

const pick = (p: Pair | undefined, lang: Lang): string | undefined => p && p[lang === 'ja' ? 0 : 1];
const fill = (text: string, params: Record<string, string | number>, lang: Lang, wordParam?: (k: string, v: string | number) => string | undefined) =>
  text.replace(/\{(\w+)\}/g, (_, k: string) => {
    const v = params[k];
    if (v === undefined) return '';
    return wordParam?.(k, v) ?? String(v);
  });

export function messageText(m: Message, lang: Lang): string {
  // A job kind inside a message is itself a code: word it too.
  return fill(pick(MESSAGES[m.code], lang) ?? m.code, m.params, lang, (k, v) => (k === 'kind' ? jobKindText(String(v) as JobKind, lang) : k === 'limit' || k === 'certification' || k === 'action' ? pick(PARAM_WORDS[String(v)], lang) : undefined));
}
export const jobKindText = (k: JobKind, lang: Lang): string => pick(JOB_KINDS[k], lang) ?? k;
export const jobStatusText = (s: JobStatus, lang: Lang): string => pick(JOB_STATUSES[s], lang) ?? s;
export const roleText = (r: Role | 'system', lang: Lang): string => pick(ROLES[r], lang) ?? r;
export const severityText = (s: keyof typeof SEVERITIES, lang: Lang): string => pick(SEVERITIES[s], lang) ?? s;
export const auditActionText = (a: string, lang: Lang): string | undefined => pick(AUDIT_ACTIONS[a], lang);
export const collectionText = (c: string, lang: Lang): string => pick(COLLECTIONS[c], lang) ?? c;
export const AUDIT_ACTION_CODES = Object.keys(AUDIT_ACTIONS);
export function problemText(type: string | undefined, lang: Lang): string | undefined {
  const slug = type?.split('/problems/')[1];
  return slug ? pick(PROBLEMS[slug], lang) : undefined;
}
