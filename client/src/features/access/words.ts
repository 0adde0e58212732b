import type { Words } from '../../lib/words.js';

/** Words of the access view: named tokens, their roles and areas. */
export const accessWords = {
  tokensHelp: ['調整担当者ごとに名前付きのトークンを発行し、不要になったら失効させます。トークンは発行時に一度だけ表示されます。', 'Give each coordinator a named token; revoke it when it is no longer needed. A token is shown only once, when it is created.'],
  newToken: ['新しいトークン', 'New token'],
  tokenLabel: ['名前（誰が使うか）', 'Name (who uses it)'],
  tokenLabelExample: ['例: 七尾市災害対策本部 山田', 'e.g. Nanao HQ, Yamada'],
  tokenArea: ['担当地域', 'Area'],
  tokenAreaHelp: ['空欄なら全国。指定すると、その地域の避難所（番号・端末・処理・アラートを含む）だけを見て操作できます。複数は「、」で区切ります。政令指定都市はその区を含みます。', 'Leave empty for all of Japan. Set, the token sees and acts on only the shelters there (with their numbers, handsets, jobs and alerts). Separate several with commas; a designated city includes its wards.'],
  tokenAreaPrefectures: ['都道府県（名前またはコード）', 'Prefectures (name or code)'],
  tokenAreaPrefecturesExample: ['例: 静岡県、愛知県', 'e.g. 静岡県, 23'],
  tokenAreaMunicipalities: ['市区町村（名前またはコード）', 'Municipalities (name or code)'],
  tokenAreaMunicipalitiesExample: ['例: 七尾市、東京都府中市、221007', 'e.g. 七尾市, 東京都府中市, 221007'],
  areaEverywhere: ['全国', 'All Japan'],
  createToken: ['発行する', 'Create'],
  tokenShownOnce: ['「{label}」のトークンです。今だけ表示されます。コピーして本人に渡してください。', 'The token for “{label}”. It is shown only now: copy it and hand it over.'],
  copyToken: ['コピー', 'Copy'],
  copied: ['コピーしました', 'Copied'],
  createdAt: ['発行日時', 'Created'],
  lastUsed: ['最終利用', 'Last used'],
  neverUsed: ['未使用', 'Never used'],
  tokenState: ['状態', 'State'],
  tokenActive: ['有効', 'Active'],
  revokedAt: ['{at} に失効', 'Revoked {at}'],
  revoke: ['失効させる', 'Revoke'],
  revokeConfirm: ['「{label}」のトークンを失効させますか？このトークンではすぐにサインインできなくなります。', 'Revoke the token of “{label}”? It stops working at once.'],
} satisfies Words;
