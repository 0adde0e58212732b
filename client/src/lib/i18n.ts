import { createContext, createElement, useContext, useEffect, useState, type ReactNode } from 'react';

export type Lang = 'ja' | 'en';

/** Japanese first; every key has both languages, so a missing one is a type error. */
const dict = {
  appTitle: ['Shelter Line 避難所電話ボード', 'Shelter Line board'],
  skipToMain: ['本文へ移動', 'Skip to content'],
  nav: ['メニュー', 'Menu'],
  overview: ['概況', 'Overview'],
  map: ['地図', 'Map'],
  shelters: ['避難所', 'Shelters'],
  carriers: ['事業者', 'Carriers'],
  numbers: ['番号', 'Numbers'],
  jobs: ['ジョブ', 'Jobs'],
  audit: ['監査ログ', 'Audit log'],
  suspend: ['番号の利用停止', 'Suspend a number'],
  language: ['English', '日本語'],
  languageLabel: ['表示言語を英語に切り替える', 'Switch the language to Japanese'],
  signIn: ['サインイン', 'Sign in'],
  signOut: ['サインアウト', 'Sign out'],
  token: ['アクセストークン', 'Access token'],
  tokenHelp: ['管理者から受け取ったトークンを入力してください。ブラウザにはトークンではなくセッションだけが保存されます。', 'Enter the token you were given. The browser keeps only a session, never the token.'],
  signedInAs: ['{label}（{role}）', '{label} ({role})'],
  live: ['ライブ', 'Live'],
  connecting: ['接続中…', 'Connecting…'],
  reconnecting: ['再接続中…', 'Reconnecting…'],
  sheltersOpen: ['開設中の避難所', 'Shelters open'],
  linesInService: ['使用中の回線', 'Lines in service'],
  handsetsSeen: ['稼働中の端末（24時間以内）', 'Handsets seen (24 h)'],
  activeCalls: ['通話中', 'Active calls'],
  availableByCarrier: ['事業者別の空き番号', 'Numbers available per carrier'],
  alerts: ['アラート', 'Alerts'],
  noAlerts: ['アラートはありません', 'No alerts'],
  search: ['検索', 'Search'],
  searchPlaceholder: ['名称・住所・短縮番号', 'Name, address, short code'],
  filterStatus: ['状態', 'Status'],
  all: ['すべて', 'All'],
  name: ['名称', 'Name'],
  status: ['状態', 'Status'],
  shortCode: ['短縮番号', 'Short code'],
  handsets: ['端末', 'Handsets'],
  evacuees: ['避難者 / 収容人数', 'Evacuees / capacity'],
  progress: ['進捗', 'Progress'],
  actions: ['操作', 'Actions'],
  open: ['開設', 'Open'],
  close: ['閉鎖', 'Close'],
  openSelected: ['選択した {n} 件を開設', 'Open the {n} selected'],
  select: ['{name} を選択', 'Select {name}'],
  confirmOpen: ['「{name}」を開設し、電話番号を割り当てますか？', 'Open “{name}” and give it phone numbers?'],
  confirmClose: ['「{name}」を閉鎖しますか？番号と端末の設定は解除されます。', 'Close “{name}”? Its numbers and handsets will be torn down.'],
  confirmBulk: ['{n} 件の避難所を開設しますか？', 'Open {n} shelters?'],
  lines: ['回線数', 'Lines'],
  reason: ['理由', 'Reason'],
  cancel: ['キャンセル', 'Cancel'],
  confirm: ['実行', 'Confirm'],
  'st.closed': ['閉鎖', 'Closed'],
  'st.opening': ['開設処理中', 'Opening'],
  'st.open': ['開設中', 'Open'],
  'st.degraded': ['一部障害', 'Degraded'],
  'st.closing': ['閉鎖処理中', 'Closing'],
  'st.error': ['エラー', 'Error'],
  back: ['一覧へ戻る', 'Back to the list'],
  address: ['住所', 'Address'],
  phoneNumbers: ['電話番号', 'Phone numbers'],
  noNumbers: ['番号はまだ割り当てられていません', 'No numbers assigned yet'],
  whyThisNumber: ['この番号の理由', 'Why this number'],
  emergencyCapable: ['緊急通報可', 'Emergency calls'],
  noEmergency: ['緊急通報不可', 'No emergency calls'],
  carrier: ['事業者', 'Carrier'],
  state: ['状態', 'State'],
  lastSeen: ['最終確認', 'Last seen'],
  never: ['未接続', 'Never'],
  registerHandset: ['端末を登録', 'Register a handset'],
  mac: ['MACアドレス', 'MAC address'],
  vendor: ['メーカー', 'Vendor'],
  label: ['表示名', 'Label'],
  register: ['登録', 'Register'],
  provisioningUrl: ['自動設定URL', 'Provisioning URL'],
  provisioningOnce: ['このURLは今だけ表示されます。端末に設定してください。', 'This URL is shown only now: put it into the handset.'],
  calls: ['通話履歴', 'Call activity'],
  noCalls: ['通話はまだありません', 'No calls yet'],
  voiceMessages: ['伝言メッセージ', 'Voice messages'],
  noVoiceMessages: ['伝言はありません', 'No voice messages'],
  printPoster: ['掲示用ポスターを印刷', 'Print the poster'],
  printDirectory: ['市町村の避難所電話帳を印刷', 'Print the municipality directory'],
  job: ['ジョブ', 'Job'],
  steps: ['手順', 'Steps'],
  errors: ['エラー', 'Errors'],
  retry: ['再実行', 'Retry'],
  kind: ['種類', 'Kind'],
  updated: ['更新', 'Updated'],
  health: ['稼働状態', 'Health'],
  certifications: ['認定', 'Certifications'],
  pool: ['番号プール', 'Number pool'],
  markDown: ['停止扱いにする', 'Mark down'],
  markUp: ['復旧扱いにする', 'Mark up'],
  confirmDown: ['「{name}」を停止扱いにしますか？他事業者への切替が始まります。', 'Mark “{name}” down? Its shelters fail over to other carriers.'],
  confirmUp: ['「{name}」を復旧扱いにしますか？', 'Mark “{name}” up again?'],
  expiresIn: ['あと {n} 日で期限切れ', 'expires in {n} days'],
  expired: ['期限切れ', 'expired'],
  numberUsePlan: ['番号使用計画の認定', 'Number-use plan (MIC)'],
  etoc: ['ETOC認定', 'ETOC mark'],
  none: ['なし', 'none'],
  'h.up': ['正常', 'Up'],
  'h.degraded': ['低下', 'Degraded'],
  'h.down': ['停止', 'Down'],
  number: ['番号', 'Number'],
  shelter: ['避難所', 'Shelter'],
  suspendHelp: ['警察等からの要請により、番号を直ちに停止し、契約者の連鎖を報告します。', 'On a police request, stop the number at once and report the contractor chain.'],
  suspendDone: ['{number} を停止しました（経路の置換: {routing}）', '{number} suspended (routing replaced: {routing})'],
  when: ['日時', 'When'],
  who: ['実行者', 'Who'],
  action: ['操作', 'Action'],
  target: ['対象', 'Target'],
  change: ['変更', 'Change'],
  more: ['さらに読み込む', 'Load more'],
  exportCsv: ['CSVで書き出す', 'Export CSV'],
  mapTitle: ['避難所の地図（オフライン）', 'Shelter map (offline)'],
  mapSource: ['基図: 能登半島の概略海岸線（手作業で簡略化、測量精度なし）。避難所の位置: 七尾市 指定避難所オープンデータ（CC BY 4.0）。', 'Base map: a hand-simplified Noto Peninsula coastline (not survey-accurate). Shelter positions: Nanao City designated-shelter open data (CC BY 4.0).'],
  legend: ['凡例', 'Legend'],
  posterTitle: ['避難所 臨時電話', 'Shelter telephone'],
  posterCallUs: ['この避難所へのお電話は', 'To call this shelter, dial'],
  posterShortCode: ['避難所間の短縮番号', 'Short code between shelters'],
  posterEmergency: ['緊急通報（110・118・119）', 'Emergency calls (110 / 118 / 119)'],
  posterEmergencyOk: ['この電話から 110・118・119 に発信できます。', 'This phone can call 110, 118 and 119.'],
  posterEmergencyNo: ['この電話からは 110・118・119 に発信できません。特設公衆電話または携帯電話をご利用ください。', 'This phone cannot call 110, 118 or 119: use a special public phone (特設公衆電話) or a mobile phone.'],
  posterQr: ['スマートフォンで読み取ると、この避難所に電話をかけられます', 'Scan to call this shelter from a smartphone'],
  posterFooter: ['通話は無料です。提供: JUSA 加盟事業者 / Shelter Line', 'Calls are free. Provided by JUSA member carriers / Shelter Line'],
  directoryTitle: ['{m} 避難所電話帳', '{m} shelter phone directory'],
  print: ['印刷', 'Print'],
  notFound: ['見つかりません', 'Not found'],
  forbidden: ['この操作の権限がありません', 'You may not do this'],
  saved: ['受け付けました', 'Accepted'],
  total: ['合計', 'Total'],
  available: ['空き', 'available'],
  inService: ['使用中', 'in service'],
  noShelters: ['該当する避難所はありません', 'No shelters match'],
  nearby: ['件', 'shown'],
} satisfies Record<string, [string, string]>;

export type MessageKey = keyof typeof dict;

export function translate(lang: Lang, key: MessageKey, params: Record<string, string | number> = {}): string {
  const text = dict[key][lang === 'ja' ? 0 : 1];
  return text.replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? `{${name}}`));
}

interface I18n {
  lang: Lang;
  setLang(lang: Lang): void;
  t(key: MessageKey, params?: Record<string, string | number>): string;
}

const I18nContext = createContext<I18n>({ lang: 'ja', setLang: () => undefined, t: (k, p) => translate('ja', k, p) });

export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLang] = useState<Lang>(() => (localStorage.getItem('sl-lang') === 'en' ? 'en' : 'ja'));
  useEffect(() => {
    localStorage.setItem('sl-lang', lang);
    document.documentElement.lang = lang;
  }, [lang]);
  return createElement(I18nContext.Provider, { value: { lang, setLang, t: (k, p) => translate(lang, k, p) } }, children);
}

export const useI18n = (): I18n => useContext(I18nContext);
