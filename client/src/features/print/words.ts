import type { Words } from '../../lib/words.js';

/** Words of the printed poster and municipality directory. */
export const printWords = {
  neverPrinted: ['未印刷', 'Not printed yet'],
  posterSpare: ['予備の番号', 'Other numbers'],
  posterNoLine: ['現在この避難所に通話できる回線はありません。', 'This shelter has no working line right now.'],
  posterEmergencyGo: ['緊急時は近くの特設公衆電話、または携帯電話から 110・118・119 に発信してください。', 'In an emergency, call 110, 118 or 119 from a nearby special public phone (特設公衆電話) or a mobile phone.'],
  poster171: ['災害用伝言ダイヤル 171：「171」にかけ、録音は「1」、再生は「2」。ご家族の安否の確認にご利用ください。', 'Disaster message dial 171: dial 171, press 1 to record, 2 to play back — to let your family know you are safe.'],
  posterSpecial: ['この電話から 171（災害用伝言ダイヤル）・188（消費者ホットライン）・189（児童相談所）・#7119（救急安心センター）・#8000（子ども医療電話相談）・#9110（警察相談）：かけられる回線があればつながります。#7119・#8000・#9110 は県の一般の番号につなぐこともあります。つながらないときは、ほかのかけ方を日本語と英語でご案内します。0570（ナビダイヤル）は1台1日60分まで。国際電話・0990・0180・00 で始まる事業者番号にはかけられません。', 'From this phone, 171 (disaster message dial), 188 (consumer hotline), 189 (child guidance centre), #7119 (ambulance advice), #8000 (children’s medical advice) and #9110 (police consultation) connect when a line can reach them; #7119, #8000 and #9110 may go to the prefecture’s ordinary number. Otherwise you hear, in Japanese and English, how else to reach them. 0570 numbers: up to 60 minutes a day per phone. International, 0990, 0180 and carrier-prefix (00…) calls cannot be made.'],
  posterPrinted: ['印刷 {when}', 'Printed {when}'],
  address: ['住所', 'Address'],
  health: ['稼働状態', 'Health'],
  posterTitle: ['避難所 臨時電話', 'Shelter telephone'],
  posterCallUs: ['この避難所へのお電話は', 'To call this shelter, dial'],
  posterShortCode: ['避難所間の短縮番号', 'Short code between shelters'],
  posterDirectory: ['ほかの避難所の番号がわからないときは 9000000（避難所案内）', 'Don’t know another shelter’s code? Dial 9000000 (shelter directory)'],
  posterEmergency: ['緊急通報（110・118・119）', 'Emergency calls (110 / 118 / 119)'],
  posterEmergencyOk: ['この電話から 110・118・119 に発信できます。', 'This phone can call 110, 118 and 119.'],
  posterEmergencyNo: ['この電話からは 110・118・119 に発信できません。特設公衆電話または携帯電話をご利用ください。', 'This phone cannot call 110, 118 or 119: use a special public phone (特設公衆電話) or a mobile phone.'],
  posterQr: ['スマートフォンで読み取ると、この避難所に電話をかけられます', 'Scan to call this shelter from a smartphone'],
  posterFooter: ['通話は無料です。提供: JUSA 加盟事業者 / Shelter Line', 'Calls are free. Provided by JUSA member carriers / Shelter Line'],
  directoryTitle: ['{m} 避難所電話帳', '{m} shelter phone directory'],
  print: ['印刷', 'Print'],
  directoryNoLine: ['回線なし', 'no working line'],
  directoryNoEmergency: ['（110・118・119不可）', ' (no 110 / 118 / 119)'],
  directoryNoEmergencyNote: ['（110・118・119不可）: この避難所の電話からは 110・118・119 に発信できません。特設公衆電話または携帯電話をご利用ください。災害用伝言ダイヤル 171 もご利用いただけます。', '(no 110 / 118 / 119): this shelter\'s phone cannot call 110, 118 or 119; use a special public phone (特設公衆電話) or a mobile phone. Disaster message dial 171 also works.'],
} satisfies Words;
