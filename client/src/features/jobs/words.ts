import type { Words } from '../../lib/words.js';

/** Words of the work-in-progress view. */
export const jobWords = {
  actions: ['操作', 'Actions'],
  job: ['処理', 'Task'],
  steps: ['手順', 'Steps'],
  retry: ['再実行', 'Retry'],
  updated: ['更新', 'Updated'],
  jobError: ['エラーが {n} 件あります', '{n} error(s)'],
} satisfies Words;
