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
  'own-short-code': bilingual(
    'おかけになった短縮番号は、この避難所の番号です。ほかの避難所の番号をおかけください。',
    'The short code you dialled is this shelter’s own. Please dial the code of another shelter.',
  ),
  'withhold-unavailable': bilingual(
    'この電話の回線では、184をつけて番号を非通知にすることができません。184をつけずに、避難所の番号を通知しておかけください。',
    'This phone’s line cannot withhold its number with 184. Please dial without 184; the shelter’s number will be shown.',
  ),
  'directory-unavailable': bilingual(
    '避難所案内は、この電話からはご利用いただけません。避難所の4桁の番号を直接おかけください。',
    'The shelter directory cannot be reached from this phone. Please dial the shelter’s four-digit code directly.',
  ),
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
  'navi-dial-refused': bilingual(
    'このナビダイヤル、0570で始まる番号には、災害対策本部の設定により避難所の電話からおかけになれません。',
    'This 0570 navi-dial number has been blocked for shelter phones by the disaster headquarters.',
  ),
  'navi-dial-limit': bilingual(
    'この電話機から今日の0570で始まる番号への通話時間が上限に達しました。ほかの番号や緊急通報はおかけになれます。',
    'This phone has used today’s minutes for 0570 numbers. Other numbers and emergency calls can still be made.',
  ),
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

/**
 * What each special number is and how to reach it when no member line can dial it, Japanese
 * first. Only facts of the national services themselves; regional numbers come from the
 * operators' translation table, never from here.
 */
export const SPECIAL_GUIDANCE = {
  '171': bilingual(
    '災害用伝言ダイヤル、イチナナイチは、この電話からはおかけになれません。避難所の特設公衆電話か携帯電話から171をダイヤルし、録音は1、再生は2を押して、連絡を取りたい方の電話番号を市外局番からおかけください。インターネットの災害用伝言板、ウェブイチナナイチもご利用いただけます。',
    'The disaster message dial 171 cannot be reached from this phone. From the special public phone at the shelter or a mobile phone, dial 171, press 1 to record or 2 to listen, then enter the phone number of the person, starting with its area code. The web171 message board on the internet can also be used.',
  ),
  '#7119': bilingual(
    '救急安心センター、シャープ7119には、この電話からはおつなぎできません。携帯電話からおかけください。救急車が必要なときは、緊急通報ができる電話から、いつでも119番におかけになれます。',
    'The emergency advice line #7119 cannot be reached from this phone. Please call it from a mobile phone. If you need an ambulance, 119 can always be called from a phone that can make emergency calls.',
  ),
  '#8000': bilingual(
    '子ども医療電話相談、シャープ8000には、この電話からはおつなぎできません。携帯電話からおかけください。救急車が必要なときは、緊急通報ができる電話から、いつでも119番におかけになれます。',
    'The children’s medical advice line #8000 cannot be reached from this phone. Please call it from a mobile phone. If you need an ambulance, 119 can always be called from a phone that can make emergency calls.',
  ),
  '#9110': bilingual(
    '警察相談専用電話、シャープ9110には、この電話からはおつなぎできません。携帯電話からおかけください。事件や事故の緊急時は、緊急通報ができる電話から110番におかけください。',
    'The police consultation line #9110 cannot be reached from this phone. Please call it from a mobile phone. In an emergency, call 110 from a phone that can make emergency calls.',
  ),
  '188': bilingual(
    '消費者ホットライン、イヤヤは、この電話からはおかけになれません。携帯電話か一般の固定電話から188におかけください。お近くの消費生活センターなどの相談窓口につながります。',
    'The consumer hotline 188, for scams and fraud, cannot be reached from this phone. Please dial 188 from a mobile phone or an ordinary landline; it connects you to your local consumer affairs centre.',
  ),
  '189': bilingual(
    '児童相談所虐待対応ダイヤル、イチハヤクは、この電話からはおかけになれません。携帯電話か一般の固定電話から189におかけください。お近くの児童相談所につながります。子どもの命に危険があるときは、緊急通報ができる電話から110番におかけください。',
    'The child abuse hotline 189 cannot be reached from this phone. Please dial 189 from a mobile phone or an ordinary landline; it connects you to the local child guidance centre. If a child is in danger, call 110 from a phone that can make emergency calls.',
  ),
} as const satisfies Record<string, Say[]>;

/** A `#` number that is none of the services we know. */
export const UNKNOWN_SERVICE = bilingual(
  'シャープで始まるその番号のサービスには、この電話からはおつなぎできません。携帯電話からおかけください。',
  'The # service you dialled cannot be reached from this phone. Please call it from a mobile phone.',
);
