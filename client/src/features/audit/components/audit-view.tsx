import { useEffect, useState } from 'react';
import type { AuditEvent } from '../../../../../provisioning/model/index.js';
import { useI18n } from '../../../lib/i18n.js';
import { dateTime } from '../../../lib/format.js';
import { ErrorText } from '../../../lib/ui/status-badge.js';
import { fetchAudit } from '../api/audit.js';

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
                <td>{e.actor.label ?? e.actor.id} <span className="muted small">{e.actor.role}</span></td>
                <td className="mono">{e.action}</td>
                <td className="mono small">{e.entity.collection}/{e.entity.id}</td>
                <td>{e.from || e.to ? `${e.from ?? '∅'} → ${e.to ?? '∅'}` : ''}</td>
                <td>{e.reason}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {cursor && <button type="button" onClick={() => load(cursor)}>{t('more')}</button>}
    </section>
  );
}
