import type { Actor, JobKind, JobStatus, Message, NumberKind, Role } from '../../../provisioning/model/index.js';
// The values the board takes from the model: the words of the server's message codes (shared with the API's English)
// and of the audit log's codes (shared with the audit CSV).
import { MESSAGE_WORDS } from '../../../provisioning/model/message-words.js';
import { AUDIT_ACTION_WORDS as AUDIT_ACTIONS, ROLE_WORDS as ROLES } from '../../../provisioning/model/audit-words.js';
import type { Lang } from './i18n.js';

type Pair = readonly [ja: string, en: string];

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
  etoc: ['電話事業者認証機構の認定（ETOC）', 'ETOC'],
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


const SEVERITIES: Record<'info' | 'warning' | 'critical', Pair> = { info: ['お知らせ', 'Info'], warning: ['注意', 'Warning'], critical: ['重大', 'Critical'] };


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

/** How the board names what a message refers to by id: a carrier and a shelter by their names, a number as people write it. */
export interface Names {
  carrier(id: string): string;
  shelter(id: string): string;
  number(e164: string): string;
}

/** A piece of worded text: our words, or a name or a person's own words, kept as written (rendered translate="no"). */
export type Part = string | { name: string };
export const partsText = (parts: Part[]): string => parts.map((p) => (typeof p === 'string' ? p : p.name)).join('');

/**
 * A message in the reader's language, in parts: coded parameters (a job kind, a limit, a work
 * order's action) worded, ids named through `names`, a person's reason kept as typed.
 */
export function messageParts(m: Message, lang: Lang, names?: Names): Part[] {
  const words = MESSAGE_WORDS[m.code];
  const template: string = words ? words[lang] : m.code;
  return template.split(/\{(\w+)\}/).flatMap((piece, i): Part[] => {
    if (i % 2 === 0) return piece ? [piece] : [];
    const v = m.params[piece];
    if (v === undefined) return [];
    const text = String(v);
    switch (piece) {
      case 'kind': return [jobKindText(text as JobKind, lang)];
      case 'limit': case 'certification': case 'action': return [pick(PARAM_WORDS[text], lang) ?? text];
      case 'carrier': return [{ name: names?.carrier(text) ?? text }];
      case 'shelter': return [{ name: names?.shelter(text) ?? text }];
      case 'number': return [{ name: names?.number(text) ?? text }];
      case 'carriers': case 'by': case 'reason': return [{ name: text }];
      default: return [text];
    }
  });
}

export const messageText = (m: Message, lang: Lang, names?: Names): string => partsText(messageParts(m, lang, names));

/** The id of the token ORCH_ADMIN_TOKEN sets at start (provisioning/access/tokens.ts). */
const BOOTSTRAP_ADMIN_ID = 'tok_bootstrap_admin';
const BOOTSTRAP_ADMIN: Pair = ['管理者（初期トークン）', 'Admin (initial token)'];
/** The system's own parts by their actor id; any other is "the system". */
const SYSTEM_ACTORS: Record<string, Pair> = {
  system: ['システム', 'System'],
  reconciler: ['システム（避難所の自動設定）', 'System (shelter set-up)'],
  public: ['申告窓口（一般の方から）', 'Public reporting window'],
};

/** Who acted, as a reader says it: the system and the start-up admin in words, a carrier by its name, a person by the name they were given. */
export function actorName(actor: Pick<Actor, 'id' | 'role' | 'label'> & { carrierId?: string | null }, lang: Lang, names?: Names): Part {
  if (actor.id === BOOTSTRAP_ADMIN_ID) return pick(BOOTSTRAP_ADMIN, lang)!;
  if (actor.role === 'system') return pick(SYSTEM_ACTORS[actor.id] ?? SYSTEM_ACTORS.system, lang)!;
  if (actor.role === 'carrier' && actor.carrierId) return { name: names?.carrier(actor.carrierId) ?? actor.carrierId };
  return { name: actor.label ?? actor.id };
}

/** A token by the name it was given (a person, a desk, a member); the start-up admin's in words. */
export const tokenName = (token: { id: string; label: string }, lang: Lang): Part => (token.id === BOOTSTRAP_ADMIN_ID ? pick(BOOTSTRAP_ADMIN, lang)! : { name: token.label });

const NUMBER_KINDS: Record<NumberKind, Pair> = {
  '0ABJ': ['固定電話（市外局番）', 'Geographic (0AB-J)'],
  '050': ['IP電話（050）', 'IP phone (050)'],
  mobile: ['携帯電話', 'Mobile'],
  tollfree: ['フリーダイヤル', 'Toll-free'],
  other: ['その他', 'Other'],
};
export const numberKindText = (k: NumberKind, lang: Lang): string => pick(NUMBER_KINDS[k], lang) ?? k;
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
