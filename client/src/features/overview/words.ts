import type { Words } from '../../lib/words.js';

/** Words of the overview: the counts and the alerts. */
export const overviewWords = {
  sheltersOpen: ['開設中の避難所', 'Shelters open'],
  linesInService: ['使用中の回線', 'Lines in service'],
  handsetsSeen: ['稼働中の端末（24時間以内）', 'Handsets seen (24 h)'],
  activeCalls: ['通話中', 'Active calls'],
  availableByCarrier: ['事業者別の空き番号', 'Numbers available per carrier'],
  noAlerts: ['アラートはありません', 'No alerts'],
  resolvedAlerts: ['解決済み・お知らせ（{n} 件）', 'Resolved and notices ({n})'],
  resolvedAt: ['{at} に解決', 'resolved {at}'],
  printOutdated: ['古いポスターをまとめて印刷（{n} 件）', 'Reprint all out-of-date posters ({n})'],
  assignedTo: ['担当: {name}', 'Assigned to {name}'],
  unassigned: ['担当者なし', 'Unassigned'],
  assign: ['担当者を決める', 'Assign'],
  reassign: ['担当者を変更', 'Reassign'],
  unassign: ['担当を外す', 'Unassign'],
  assigneeName: ['担当者の名前', 'Assignee name'],
  alertUnworded: ['アラート（種類: {kind}）', 'Alert ({kind})'],
  directoriesOutOfDate: ['古くなった市町村の電話帳', 'Out-of-date municipality directories'],
} satisfies Words;
