import { createHash } from 'node:crypto';
import { FraudReport, type ReportInput } from '../model/index.js';
import { parseJapaneseNumber } from '../numbers/japanese-number.js';
import { appendAudit } from '../audit/audit-log.js';
import { invalid } from '../errors.js';
import type { Actor } from '../model/index.js';
import type { Store } from '../store/store.js';
import { linkNumberHistory } from './link-number-history.js';
import type { ReportPolicy } from './reports-act.js';
import { bumped } from '../store/versioned.js';

export interface ReportDeps {
  store: Store;
  policy: ReportPolicy;
}

/** The public reporting window acts as nobody in particular; the audit says so. */
export const PUBLIC_REPORTER: Actor = { id: 'public', role: 'system', label: 'reporting window (申告窓口)' };

/** A clock skew a reporter's phone may have; beyond it a time is in the future. */
const FUTURE_TOLERANCE_MS = 5 * 60_000;
/** Reports are about recent calls; older ones go to the police directly. */
const MAX_AGE_DAYS = 365;
/** A form's `datetime-local` has no zone: people in Japan mean Japan time. */
const LOCAL_TIME = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2})(:\d{2})?$/;

/** The reported time as an instant: ISO with an offset, or a zone-less local time read as JST. */
export function parseReportedTime(text: string, now: Date): Date {
  const local = LOCAL_TIME.exec(text);
  const at = new Date(local ? `${local[1]}T${local[2]}${local[3] ?? ':00'}+09:00` : text);
  if (Number.isNaN(at.getTime()) || (!local && !/[zZ]|[+-]\d{2}:?\d{2}$/.test(text))) {
    throw invalid('日時の形式が正しくありません。例: 2024-01-09T10:15 (not a date and time)', { fields: ['calledAt'] });
  }
  if (at.getTime() > now.getTime() + FUTURE_TOLERANCE_MS) throw invalid('未来の日時は指定できません (the call cannot be in the future)', { fields: ['calledAt'] });
  if (at.getTime() < now.getTime() - MAX_AGE_DAYS * 86_400_000) throw invalid('1年以上前の通話は警察にご相談ください (older than a year: please contact the police)', { fields: ['calledAt'] });
  return at;
}

/** The same report sent twice (reload, double click) has the same key: number, minute, words, contact. */
function dedupeId(e164: string, calledAt: Date, description: string, contact: string | null): string {
  const minute = calledAt.toISOString().slice(0, 16);
  const words = description.normalize('NFKC').replace(/\s+/g, ' ').trim();
  return `rep_${createHash('sha256').update(JSON.stringify([e164, minute, words, contact ?? ''])).digest('hex').slice(0, 32)}`;
}

export interface Submitted {
  report: FraudReport;
  /** True when this was the same report again: nothing new was stored, its count went up. */
  duplicate: boolean;
}

/**
 * Takes one report from the public window: checks it (a Japanese number, a past time), links it
 * to the number's history, and stores it once however often it is sent.
 */
export async function submitReport(deps: ReportDeps, input: ReportInput, ctx: { at: Date; channel: 'form' | 'json' }): Promise<Submitted> {
  const parsed = parseJapaneseNumber(input.number);
  if (!parsed.ok) throw invalid(`日本の電話番号として正しくありません (${parsed.reason})`, { fields: ['number'] });
  const calledAt = parseReportedTime(input.calledAt, ctx.at);
  const contact = input.contact && input.contact.length > 0 ? input.contact : null;
  const id = dedupeId(parsed.e164, calledAt, input.description, contact);
  const span = deps.policy.linkWindowMinutes * 60_000;
  const link = await linkNumberHistory(deps.store, parsed.e164, { start: new Date(calledAt.getTime() - span), end: new Date(calledAt.getTime() + span) });
  return deps.store.transaction(async (tx) => {
    const prior = await tx.get('reports', id);
    if (prior) {
      tx.put('reports', bumped(prior, { duplicates: prior.duplicates + 1 }));
      return { report: prior, duplicate: true };
    }
    const report = FraudReport.parse({
      id, version: 0, e164: parsed.e164, calledAt: calledAt.toISOString(), description: input.description, contact,
      receivedAt: ctx.at.toISOString(), channel: ctx.channel, link,
    });
    tx.put('reports', report);
    // The reporter's words and contact stay in the report; the log keeps only what happened.
    appendAudit(tx, {
      at: ctx.at, actor: PUBLIC_REPORTER, action: 'report.received', entity: { collection: 'reports', id },
      after: { e164: report.e164, calledAt: report.calledAt, shelterId: link.shelterId, carrierId: link.carrierId, handsets: link.handsetIds.length, calls: link.calls.length },
    });
    return { report, duplicate: false };
  });
}
