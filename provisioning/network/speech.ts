/** One spoken sentence; every announcement is said in Japanese first, then in English. */
export interface Say {
  language: 'ja-JP' | 'en-US';
  text: string;
}

/** A bilingual announcement, Japanese first: evacuees and most callers are Japanese speakers. */
export function bilingual(ja: string, en: string): Say[] {
  return [
    { language: 'ja-JP', text: ja },
    { language: 'en-US', text: en },
  ];
}

/** Several announcements said as one: all the Japanese first, then all the English. */
export function combine(...parts: Say[][]): Say[] {
  const text = (language: Say['language']) =>
    parts.flatMap((p) => p.filter((s) => s.language === language).map((s) => s.text)).join(language === 'ja-JP' ? '' : ' ');
  return bilingual(text('ja-JP'), text('en-US'));
}

export const MESSAGES = {
  notInService: bilingual(
    'この避難所の電話は現在使われていません。お手数ですが、自治体の災害対策本部にお問い合わせください。',
    'This shelter telephone is no longer in service. Please contact the municipal disaster headquarters.',
  ),
  suspended: bilingual('この電話番号は現在ご利用いただけません。', 'This number is currently unavailable.'),
  voicemail: bilingual(
    'ただいま電話に出ることができません。発信音のあとに、お名前とご用件をお話しください。最長二分間録音できます。',
    'Nobody can answer right now. Please leave your name and message after the tone. You have up to two minutes.',
  ),
  messageSaved: bilingual('メッセージをお預かりしました。避難所にお伝えします。', 'Your message has been saved for the shelter. Goodbye.'),
  noMessage: bilingual('メッセージは録音されませんでした。', 'No message was recorded. Goodbye.'),
  emergencyGuidance: bilingual(
    'この電話からは緊急通報、百十番、百十八番、百十九番はできません。避難所の特設公衆電話、または携帯電話からおかけください。',
    'Emergency calls to 110, 118 or 119 cannot be made from this phone. Please use the special public phone at the shelter, or a mobile phone.',
  ),
  directoryPrompt: bilingual(
    'こちらは避難所電話の案内です。おつなぎする避難所の、4桁の番号と、シャープを押してください。ほかの都道府県の避難所は、9で始まる7桁の番号を押してください。',
    'This is the shelter telephone directory. Please enter the four-digit code of the shelter you want to reach, then the hash key. For a shelter in another prefecture, enter its seven-digit code starting with 9.',
  ),
  directoryUnknown: bilingual('その番号の避難所は見つかりませんでした。', 'No shelter has that code.'),
  directoryConnecting: bilingual('おつなぎします。', 'Connecting you now.'),
  directoryGoodbye: bilingual(
    '避難所を確認できませんでした。自治体の災害対策本部にお問い合わせください。失礼いたします。',
    'We could not find the shelter. Please contact the municipal disaster headquarters. Goodbye.',
  ),
} as const satisfies Record<string, Say[]>;

/** Why a call from a handset is not connected, each with the reason the caller hears. */
export const REFUSALS = {
  'unknown-handset': bilingual('この電話機は登録されていません。', 'This phone is not registered with the shelter network.'),
  'shelter-closed': bilingual('この避難所の電話は現在使われていません。', 'This shelter line is no longer in service.'),
  'no-line': bilingual(
    'この電話機の回線に発信用の番号がありません。別の電話機をお使いください。',
    'This phone has no outgoing number on its line. Please use another phone.',
  ),
  'unknown-short-code': bilingual('その番号の避難所は見つかりませんでした。', 'No shelter has that short code.'),
  international: bilingual('この電話から国際電話はおかけになれません。', 'International calls cannot be made from this phone.'),
  'carrier-prefix': bilingual(
    '事業者識別番号をつけた発信はできません。番号のみをおかけください。',
    'Calls with a carrier prefix cannot be made from this phone. Please dial the number only.',
  ),
  premium: bilingual('有料情報サービスの番号にはおかけになれません。', 'Premium-rate numbers cannot be called from this phone.'),
  'information-service': bilingual(
    '0180で始まる番号にはおかけになれません。',
    'Numbers starting with 0180 cannot be called from this phone.',
  ),
  'not-allowed': bilingual('この種類の番号にはおかけになれません。', 'This kind of number cannot be called from this phone.'),
  invalid: bilingual('おかけになった番号は正しくありません。番号をお確かめください。', 'The number you dialled is not valid. Please check the number.'),
  'outbound-restricted': bilingual(
    'この避難所の電話からの発信は、現在、緊急通報と避難所どうしの短縮番号に限られています。',
    'Calls from this shelter are currently limited to emergency numbers and shelter short codes.',
  ),
  'usage-limit': bilingual(
    'この電話機からの発信が上限に達しました。しばらくしてからおかけください。緊急通報はおかけになれます。',
    'This phone has reached its calling limit. Please try again later. Emergency calls can still be made.',
  ),
} as const satisfies Record<string, Say[]>;

export type RefusalReason = keyof typeof REFUSALS;
