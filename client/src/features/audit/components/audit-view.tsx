import { useEffect, useState } from 'react';

/** A reason the system wrote in English (three Latin words in a row) is folded away as a technical detail. */
const LATIN_SENTENCE = /[A-Za-z][A-Za-z'’]+(?:[\s,.:;!?()/–—-]+[A-Za-z][A-Za-z'’]+){2,}/;
const NUMBER_STATES = ['available', 'reserved', 'in_service', 'releasing', 'aging', 'suspended', 'withdrawn', 'error'] as const;
import type { AuditEvent } from '../../../../../provisioning/model/index.js';
import { useI18n } from '../../../lib/i18n.js';
import { dateTime } from '../../../lib/format.js';
import { ErrorText } from '../../../lib/ui/status-badge.js';
import { fetchAudit } from '../api/audit.js';
import { auditActionText, collectionText, roleText } from '../../../lib/messages.js';
import { TechnicalDetail } from '../../../lib/ui/technical-detail.js';

/** The append-only audit log (admin): paged from the API, not the live feed. */
export function AuditView() {
  const { t, lang } = useI18n();
  const [items, setItems] = useState<AuditEvent[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const load = (from: string | null) =>
    fetchAudit(from).then((page) => {
      setItems((prev) => (from ? [...prev, ...page.items] : page.items));
      setCursor(page.nextCursor);
    }, setError);
  useEffect(() => void load(null), []);
  // Number states have words on the board; other states are shown as their codes.
  const stateWord = (s: string | null) => (s === null ? '∅' : (NUMBER_STATES as readonly string[]).includes(s) ? t(`ns.${s as (typeof NUMBER_STATES)[number]}`) : s);
  return (
    <section aria-labelledby="audit-h">
      <h1 id="audit-h">{t('audit')}</h1>
      <p><a className="button" href="/api/v1/audit?format=csv&limit=1000" download="audit.csv">{t('exportCsv')}</a></p>
      <ErrorText error={error} />
      <div className="table-wrap">
        <table>
          <thead><tr><th scope="col">{t('when')}</th><th scope="col">{t('who')}</th><th scope="col">{t('action')}</th><th scope="col">{t('target')}</th><th scope="col">{t('change')}</th><th scope="col">{t('reason')}</th></tr></thead>
          <tbody>
            {items.map((e) => (
              <tr key={e.id}>
                <td>{dateTime(e.at, lang)}</td>
                <td><span translate="no">{e.actor.label ?? e.actor.id}</span> <span className="muted small">{roleText(e.actor.role, lang)}</span></td>
                <td data-action={e.action}>{auditActionText(e.action, lang) ?? <code>{e.action}</code>}</td>
                <td className="small">{collectionText(e.entity.collection, lang)} <span className="mono">{e.entity.id}</span></td>
                <td className="small">{e.from || e.to ? `${stateWord(e.from)} → ${stateWord(e.to)}` : ''}</td>
                <td>{e.reason && (e.actor.role === 'system' || LATIN_SENTENCE.test(e.reason) ? <TechnicalDetail text={e.reason} /> : e.reason)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {cursor && <button type="button" onClick={() => load(cursor)}>{t('more')}</button>}
    </section>
  );
}
