/**
 * The words of every message the server sends as a code (messages.ts): English for the API's
 * readable fields and the logs, Japanese and English for the board. One table for both, so a
 * wording is changed once. Plain data with no imports: the one value the board takes from the
 * model (the rest crosses as types), so it costs the board's bundle only these strings.
 * Parameters are names, numbers, ids and codes the board words itself — or, in `{reason}`, a
 * person's own words, shown as they were typed.
 */
export const MESSAGE_WORDS = {
  // Alerts: what happened
  'alert.carrier_down': {
    en: 'Carrier {carrier} is down. Shelters with lines on it get replacement lines.',
    ja: '通信事業者「{carrier}」が停止しています。この事業者の回線を使う避難所には代わりの回線を割り当てます。',
  },
  'alert.carrier_up': { en: 'Carrier {carrier} is back up.', ja: '通信事業者「{carrier}」が復旧しました。' },
  'alert.shelter_no_line': { en: 'Shelter {shelter} has no working line.', ja: '避難所「{shelter}」に通話できる回線がありません。' },
  'alert.shelter_no_emergency': {
    en: 'Shelter {shelter} has no line that can call 110/118/119: point people to a 特設公衆電話 or a mobile phone.',
    ja: '避難所「{shelter}」には 110・118・119 に発信できる回線がありません。特設公衆電話または携帯電話を案内してください。',
  },
  'alert.certification_lapsed': {
    en: '{carrier}: certification lapsed. New assignments from this carrier are frozen; its numbers in service stay until a coordinator decides.',
    ja: '{carrier}：認定が失効しました。この事業者からの新しい割り当てを止めています。使用中の番号は担当者が判断するまで残ります。',
  },
  'alert.certification_renewed': { en: '{carrier}: certification renewed; the carrier lends again.', ja: '{carrier}：認定が更新されました。番号の貸し出しを再開します。' },
  'alert.certification_expiring': { en: '{carrier}: the {certification} certification expires in {days} days.', ja: '{carrier}：{certification}はあと {days} 日で期限切れです。' },
  'alert.job_failed': { en: 'Job “{kind}” failed after {attempts} attempts.', ja: '処理「{kind}」が {attempts} 回試みても完了しませんでした。' },
  'alert.sip_domain_held_elsewhere': {
    en: 'Carrier {carrier}: our SIP domain name is held by another Twilio account (or reserved after a deletion). Set {setting} to another value and restart (the domain is then made under a new name; handsets take it from their configuration), have the holder delete it, or wait for Twilio to free a deleted name (up to 30 days); until then handsets cannot register on this carrier (its numbers still ring).',
    ja: '事業者 {carrier}：端末の登録先ドメインの名前が別のアカウントで使われています（削除後の予約期間を含む）。設定 {setting} を別の値にして再起動する（新しい名前でドメインを作成し、端末は設定ファイルから新しい名前を受け取ります）か、保有者に削除を依頼するか、削除された名前が解放されるのを待ってください（最長 30 日）。それまでこの事業者には端末を登録できません（番号への着信は動作します）。',
  },
  'alert.number_not_on_account': {
    en: 'Number {number} is not on the account of carrier {carrier}: set aside (withdrawn); its shelter gets another number. Ask the member to lend it again or withdraw it.',
    ja: '番号 {number} は事業者 {carrier} のアカウントにありません。使用を止め（撤回）、避難所には別の番号を割り当てます。会員に再貸与か撤回を依頼してください。',
  },
  'alert.work_order_expired': {
    en: 'Carrier {carrier} did not complete work order {order} ({action}) in time.',
    ja: '通信事業者「{carrier}」が作業指示（{action}）を期限内に完了しませんでした。',
  },
  'alert.abuse_limit': {
    en: 'Outbound calls from a handset of shelter {shelter} hit the {limit} limit; further calls are refused except emergency calls.',
    ja: '避難所「{shelter}」の端末からの発信が上限（{limit}）に達しました。緊急通報以外の発信を止めています。',
  },
  'alert.fraud_restricted': {
    en: 'Shelter {shelter}: outbound calls restricted to emergency numbers and short codes after credible fraud reports; a coordinator must review.',
    ja: '不正利用の申告が続いたため、避難所「{shelter}」の発信を緊急通報と短縮番号に限っています。調整担当が確認してください。',
  },
  'alert.fraud_suspended': {
    en: 'Number {number} of shelter {shelter} suspended for fraud; {handsets} handset(s) revoked; no new outbound line until an admin review.',
    ja: '番号 {number} を不正利用のため利用停止し、端末 {handsets} 台の設定を無効にしました。管理者が確認するまで新しい発信回線は割り当てません。',
  },
  // Alerts: why (the technical text, when there is one, stays beside it as the alert's detail)
  'cause.calls_failed': {
    en: '{count} calls in a row failed; the carrier last answered {status}.',
    ja: 'この事業者への呼び出しが {count} 回続けて失敗しました（最後の応答: {status}）。',
  },
  'cause.carrier_unreachable': {
    en: '{count} calls in a row failed; the carrier could not be reached.',
    ja: 'この事業者への呼び出しが {count} 回続けて失敗しました（接続できません）。',
  },
  'cause.probe_failed': {
    en: '{count} health probes in a row got no answer from the carrier.',
    ja: 'この事業者への死活確認が {count} 回続けて応答しませんでした。',
  },
  'cause.probe_answered': { en: '{count} health probes in a row were answered.', ja: 'この事業者への死活確認に {count} 回続けて応答がありました。' },
  'cause.calls_succeed': { en: 'Calls to the carrier succeed again.', ja: 'この事業者への呼び出しが再び成功しています。' },
  'cause.marked_down': { en: 'Marked down by {by}: {reason}', ja: '{by} が停止扱いにしました。理由：{reason}' },
  'cause.marked_up': { en: 'Marked up by {by}: {reason}', ja: '{by} が復旧扱いにしました。理由：{reason}' },
  // Why a number was chosen (allocation)
  'reason.reclaimed_aging': {
    en: "reclaimed: this shelter's number before (aging until {until})",
    ja: '以前この避難所が使っていた番号を戻しました（保留期間中）',
  },
  'reason.reclaimed': { en: "reclaimed: this shelter's number before (its quarantine is over)", ja: '以前この避難所が使っていた番号を戻しました' },
  'reason.area_emergency': { en: "0AB-J {area} in the shelter's number area, emergency-capable", ja: '避難所の市外局番 {area} の番号で、110・118・119 に発信できます' },
  'reason.area_plain': { en: "0AB-J {area} in the shelter's number area, not emergency-capable", ja: '避難所の市外局番 {area} の番号です（110・118・119 には発信できません）' },
  'reason.ip050_fallback': {
    en: "050 fallback (cannot call 110/118/119): no 0AB-J number of the shelter's area left from a suitable carrier",
    ja: '050番号で代用しています（110・118・119 不可）。この地域の市外局番の番号が残っていません',
  },
  'reason.other_carrier': { en: "different carrier from the shelter's other line(s) ({carriers})", ja: '他の回線（{carriers}）とは別の通信事業者です' },
  'reason.same_carrier_emergency': {
    en: "same carrier as the shelter's other line(s) ({carriers}): only that carrier has an emergency-capable 0AB-J of the area left",
    ja: '他の回線（{carriers}）と同じ事業者です。緊急通報できる番号が残っているのはこの事業者だけです',
  },
  'reason.same_carrier_only': {
    en: "same carrier as the shelter's other line(s) ({carriers}): no other carrier has an eligible number left",
    ja: '他の回線（{carriers}）と同じ事業者です。他の事業者に使える番号が残っていません',
  },
  'reason.least_loaded': { en: 'least-loaded carrier ({lines} line(s))', ja: '使用回線がもっとも少ない事業者です（現在 {lines} 回線）' },
  'reason.only_carrier': { en: 'only suitable carrier with a number left ({lines} line(s))', ja: '番号が残っている唯一の事業者です（現在 {lines} 回線）' },
} as const satisfies Record<string, { en: string; ja: string }>;

export type MessageWordsCode = keyof typeof MESSAGE_WORDS;
