import type { Words } from '../../lib/words.js';

/** Words of the numbers view: a number's state and suspending one. */
export const numberWords = {
  'numberState.available': ['空き', 'Available'],
  'numberState.reserved': ['割当済（設定中）', 'Reserved'],
  'numberState.in_service': ['使用中', 'In service'],
  'numberState.releasing': ['解除中', 'Releasing'],
  'numberState.aging': ['再利用までの保留期間', 'Quarantined before reuse'],
  'numberState.suspended': ['利用停止', 'Suspended'],
  'numberState.withdrawn': ['返却済', 'Withdrawn'],
  'numberState.error': ['エラー', 'Error'],
  suspendHelp: ['警察等からの要請により、番号を直ちに停止し、契約者の連鎖を報告します。', 'On a police request, stop the number at once and report the contractor chain.'],
  suspendAlready: ['{number} は既に停止されています（最初の要請の報告）', '{number} was already suspended (the first request\'s report)'],
  suspendNotLent: ['{number} は現在どの事業者も貸し出していないため、停止するものはありません', '{number} is not lent by any member now: nothing to stop'],
  suspendForFraud: ['詐欺に利用された番号：この期間に発信した端末を失効し、避難所への新たな発信用番号の提供を拒否する', 'Used for fraud: revoke the handsets that called on it, and refuse the shelter a new outbound line'],
  revokedHandsets: ['失効した端末', 'Revoked handsets'],
  windowCalls: ['{from} 〜 {to} の通話記録', 'Call records from {from} to {to}'],
  noWindowCalls: ['この期間の通話はありません', 'No calls in this window'],
  callTime: ['日時', 'Time'],
  calledNumber: ['相手先の番号', 'Number called'],
  handset: ['端末', 'Handset'],
  suspendDone: ['{number} を停止しました（経路の置換: {routing}）', '{number} suspended (routing replaced: {routing})'],
  requestReference: ['要請の受付番号（任意）', 'Request reference (optional)'],
} satisfies Words;
