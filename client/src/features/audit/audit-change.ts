import type { AuditEntry } from '../../../../provisioning/model/index.js';
import { translate, type Lang, type MessageKey } from '../../lib/i18n.js';
import { jobKindText, type Names, type Part } from '../../lib/messages.js';

type Pair = readonly [ja: string, en: string];

/** The states an entry's `from`/`to` hold, by what they are states of (the action's prefix); job ids are never among them. */
const STATE_KEYS: Record<string, (state: string) => MessageKey | undefined> = {
  number: (s) => (['available', 'reserved', 'in_service', 'releasing', 'aging', 'suspended', 'withdrawn', 'error'].includes(s) ? (`numberState.${s}` as MessageKey) : undefined),
  carrier: (s) => (['up', 'degraded', 'down'].includes(s) ? (`carrierHealth.${s}` as MessageKey) : ['active', 'frozen', 'withdrawn'].includes(s) ? (`carrierStatus.${s}` as MessageKey) : undefined),
  report: (s) => (['received', 'credible', 'not_credible', 'needs_info', 'suspended'].includes(s) ? (`report.${s}` as MessageKey) : undefined),
};
const SHELTER_STATES: Record<string, Pair> = { open: ['開設', 'open'], closed: ['閉鎖', 'closed'] };
const WORK_ORDER_STATES: Record<string, Pair> = { pending: ['未完了', 'pending'], done: ['完了', 'done'], failed: ['失敗', 'failed'], expired: ['期限切れ', 'expired'] };

function stateWord(kind: string, state: string, lang: Lang): Part {
  const pair = kind === 'shelter' ? SHELTER_STATES[state] : kind === 'work_order' ? WORK_ORDER_STATES[state] : undefined;
  if (pair) return pair[lang === 'ja' ? 0 : 1];
  const key = STATE_KEYS[kind]?.(state);
  // A state the board has no words for yet is shown as the code it is, not as a sentence.
  return key ? translate(lang, key) : { name: state };
}

/**
 * Pure: what an audit entry changed, as a reader says it. States in words ("閉鎖 → 開設", "正常 →
 * 停止"), the task a reconcile asked for instead of job ids, the lines a shelter was opened with,
 * the numbers it was given. Empty when the action's own words say it all.
 */
export function auditChange(e: Pick<AuditEntry, 'action' | 'from' | 'to' | 'after'>, lang: Lang, names: Names): Part[] {
  const kind = e.action.split('.')[0]!;
  const after = (e.after ?? {}) as Record<string, unknown>;
  const t = (key: MessageKey, params?: Record<string, string | number>) => translate(lang, key, params);
  switch (e.action) {
    case 'reconcile.request': {
      const parts: Part[] = [t('auditJob', { kind: jobKindText(after.kind as never, lang) })];
      if (typeof after.carrierId === 'string') parts.push(' · ', { name: names.carrier(after.carrierId) });
      return parts;
    }
    case 'shelter.open':
      return typeof after.lines === 'number' ? [t('auditLines', { n: after.lines })] : [];
    case 'shelter.close':
      return [];
    case 'number.reserved': {
      // Allocation records one entry per shelter, keyed by the numbers it was given.
      const numbers = Object.keys(after).filter((k) => k.startsWith('+'));
      if (numbers.length > 0) return [t('auditNumbers', { numbers: numbers.map(names.number).join('、') })];
      break;
    }
  }
  if (!e.from && !e.to) return [];
  const parts: Part[] = [];
  if (e.from) parts.push(stateWord(kind, e.from, lang), ' → ');
  if (e.to) parts.push(stateWord(kind, e.to, lang));
  return parts;
}
