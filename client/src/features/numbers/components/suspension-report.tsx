import type { SuspensionOutcome } from '../../../../../provisioning/model/index.js';
import { useI18n } from '../../../lib/i18n.js';
import { dateTime, nationalNumber } from '../../../lib/format.js';
import { When } from '../../../lib/ui/when.js';

const shown = (n: string | null) => (n === null ? '—' : n.startsWith('+') ? nationalNumber(n) : n);

/**
 * The report a suspension answers with, as the authorities need it: the lending chain and, for
 * fraud, the handsets revoked and every call on the number in the window (time, number called, duration).
 */
export function SuspensionReportView({ report }: { report: SuspensionOutcome }) {
  const { t, lang } = useI18n();
  if (report.outcome === 'not-lent') {
    return <div role="status" className="card" data-suspension-outcome="not-lent"><p>{t('suspendNotLent', { number: report.e164 })}</p></div>;
  }
  const fraud = report.fraud;
  return (
    <div role="status" className="card" data-suspension-outcome={report.outcome} data-suspension-id={report.id}>
      <p>{t(report.outcome === 'already-suspended' ? 'suspendAlready' : 'suspendDone', { number: report.e164, routing: report.routingReplaced })}</p>
      <p>{report.carrierName} → {report.lendingChain.join(' → ')}{report.shelterName ? ` → ${report.shelterName}` : ''}</p>
      {fraud && (
        <>
          <h3>{t('revokedHandsets')}</h3>
          {fraud.handsetIds.length === 0 ? <p className="muted">{t('none')}</p> : (
            <ul>{fraud.handsetIds.map((h) => <li key={h} className="mono" data-revoked-handset={h}>{h}</li>)}</ul>
          )}
          <h3>{t('windowCalls', { from: dateTime(fraud.windowStart, lang), to: dateTime(fraud.windowEnd, lang) })}</h3>
          {fraud.calls.length === 0 ? <p className="muted">{t('noWindowCalls')}</p> : (
            <div className="table-wrap">
              <table className="stack">
                <thead><tr><th scope="col">{t('callTime')}</th><th scope="col">{t('calledNumber')}</th><th scope="col">{t('callSeconds')}</th><th scope="col">{t('handset')}</th></tr></thead>
                <tbody>
                  {fraud.calls.map((c) => (
                    <tr key={c.callId} data-window-call={c.callId}>
                      <td data-label={t('callTime')}><When at={c.startedAt} /></td>
                      <td data-label={t('calledNumber')} className="mono tel">{shown(c.to)}</td>
                      <td data-label={t('callSeconds')}>{c.durationSeconds}</td>
                      <td data-label={t('handset')} className="mono" translate="no">{c.handsetId ?? '—'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
    </div>
  );
}
