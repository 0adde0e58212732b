import type { Words } from '../../lib/words.js';

/** Words of the audit log and its filters. */
export const auditWords = {
  who: ['実行者', 'Who'],
  auditFilters: ['監査ログの絞り込み', 'Filter the audit log'],
  clearFilters: ['絞り込みを解除', 'Clear filters'],
  auditShelterNarrow: ['避難所を名前で絞り込む', 'Narrow the shelters by name'],
  auditShelterMore: ['ほか {n} か所（名前で絞り込んでください）', '{n} more (narrow them by name)'],
  auditLines: ['{n} 回線', '{n} line(s)'],
  auditJob: ['処理「{kind}」', 'task “{kind}”'],
  auditNumbers: ['番号 {numbers}', 'number(s) {numbers}'],
} satisfies Words;
