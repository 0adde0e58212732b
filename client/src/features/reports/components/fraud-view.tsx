import { useContext, useEffect, useState } from 'react';
import type { FraudHold, FraudReport, ReportTriage, Role, SuspensionOutcome } from '../../../../../provisioning/model/index.js';
import { useI18n } from '../../../lib/i18n.js';
import { dateTime, nationalNumber } from '../../../lib/format.js';
import { BoardStoreContext, useActionsEnabled } from '../../../lib/board-store.js';
import { When } from '../../../lib/ui/when.js';
import { ErrorText } from '../../../lib/ui/status-badge.js';
import { ConfirmDialog } from '../../../lib/ui/confirm-dialog.js';
import { useAction } from '../../../lib/ui/use-action.js';
import { SuspensionReportView } from '../../numbers/components/suspension-report.js';
import { convertReport, exportUrl, fetchHolds, fetchReports, reviewHold, triageReport } from '../api/reports.js';

const canTriage = (role: Role) => role === 'admin' || role === 'authority';
const TRIAGES: ReportTriage[] = ['credible', 'not_credible', 'needs_info'];

/** Shelters held after fraud reports or a fraud suspension; each hold is lifted by a review of the right role. */
function Holds({ role }: { role: Role }) {
  const { t, lang } = useI18n();
  const enabled = useActionsEnabled();
  const board = useContext(BoardStoreContext);
  // Holds are read over HTTP; the live board (coordinators, admins) knows the shelters' names.
  const shelterName = (id: string) => board?.getSnapshot().data.shelters.get(id)?.name ?? id;
  const [holds, setHolds] = useState<FraudHold[]>([]);
  const [note, setNote] = useState('');
  const { run, error, fail } = useAction();
  const load = () => fetchHolds().then((p) => setHolds(p.items.filter((h) => h.restriction || h.refusal)), fail);
  useEffect(() => void load(), []);
  const review = (h: FraudHold, kind: 'restriction' | 'refusal') =>
    run(async () => {
      await reviewHold(h.shelterId, kind, note || t('reviewedOnBoard'));
      setNote('');
      await load();
    });
  return (
    <section aria-labelledby="holds-h" className="card">
      <h2 id="holds-h">{t('fraudHolds')}</h2>
      <ErrorText error={error} />
      {holds.length === 0 ? <p className="muted">{t('noFraudHolds')}</p> : (
        <>
          <label>{t('reviewNote')}<input value={note} maxLength={2000} onChange={(e) => setNote(e.target.value)} /></label>
          <ul>
            {holds.map((h) => (
              <li key={h.id} data-hold-shelter={h.shelterId}>
                <strong translate="no">{shelterName(h.shelterId)}</strong>
                {h.restriction && (
                  <p>{t('outboundRestricted', { number: h.restriction.e164, since: dateTime(h.restriction.since, lang) })}{' '}
                    {(role === 'admin' || role === 'coordinator') && <button type="button" disabled={!enabled} onClick={() => review(h, 'restriction')}>{t('reviewRestriction')}</button>}</p>
                )}
                {h.refusal && (
                  <p>{t('newLinesRefused', { number: h.refusal.e164, handsets: h.refusal.revokedHandsetIds.length })}{' '}
                    {role === 'admin' && <button type="button" className="danger" disabled={!enabled} onClick={() => review(h, 'refusal')}>{t('reviewRefusal')}</button>}</p>
                )}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

/** The queue of the public reporting window (admin, authority): triage, turn into a suspension, export for MIC and the police. */
function ReportQueue({ role }: { role: Role }) {
  const { t } = useI18n();
  const enabled = useActionsEnabled();
  const [items, setItems] = useState<FraudReport[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const { run, error, fail } = useAction();
  const [converting, setConverting] = useState<FraudReport | null>(null);
  const [suspension, setSuspension] = useState<SuspensionOutcome | null>(null);
  const today = new Date().toISOString().slice(0, 10);
  const [period, setPeriod] = useState({ from: today, to: today });
  const load = (from: string | null) =>
    fetchReports(from).then((page) => {
      setItems((prev) => (from ? [...prev, ...page.items] : page.items));
      setCursor(page.nextCursor);
    }, fail);
  useEffect(() => void load(null), []);
  const act = (f: () => Promise<unknown>) =>
    run(async () => {
      await f();
      await load(null);
    });
  // A day in Japan runs from 00:00 JST; the export's `to` is exclusive.
  const jstStart = (day: string, plusDays = 0) => new Date(Date.parse(`${day}T00:00:00+09:00`) + plusDays * 86_400_000).toISOString();
  return (
    <section aria-labelledby="reports-h">
      <h2 id="reports-h">{t('reports')}</h2>
      <form className="row" onSubmit={(e) => e.preventDefault()}>
        <label>{t('from')}<input type="date" value={period.from} onChange={(e) => setPeriod({ ...period, from: e.target.value })} /></label>
        <label>{t('to')}<input type="date" value={period.to} onChange={(e) => setPeriod({ ...period, to: e.target.value })} /></label>
        <a className="button" href={exportUrl(jstStart(period.from), jstStart(period.to, 1))} download>{t('exportCsv')}</a>
      </form>
      <ErrorText error={error} />
      <div className="table-wrap">
        <table className="stack">
          <thead><tr><th scope="col">{t('calledAt')}</th><th scope="col">{t('number')}</th><th scope="col">{t('reportedWords')}</th><th scope="col">{t('heldBy')}</th><th scope="col">{t('status')}</th><th scope="col">{t('triage')}</th></tr></thead>
          <tbody>
            {items.map((r) => (
              <tr key={r.id} data-report-id={r.id}>
                <td data-label={t('calledAt')}><When at={r.calledAt} /></td>
                <td data-label={t('number')} className="mono tel">{nationalNumber(r.e164)}</td>
                <td data-label={t('reportedWords')} className="pre-wrap" translate="no">{r.description}</td>
                <td data-label={t('heldBy')}><span translate="no">{r.link.shelterName ?? r.link.shelterId ?? '—'}</span> · <span translate="no">{r.link.carrierName ?? '—'}</span> · {t('handsetsCalled', { n: r.link.handsetIds.length, calls: r.link.calls.length })}</td>
                <td data-label={t('status')}>{t(`report.${r.status}`)}</td>
                <td>
                  {canTriage(role) && r.status !== 'suspended' && TRIAGES.filter((x) => x !== r.status).map((x) => (
                    <button key={x} type="button" disabled={!enabled} onClick={() => act(() => triageReport(r.id, x))}>{t(`report.${x}`)}</button>
                  ))}
                  {canTriage(role) && r.status !== 'suspended' && r.status !== 'not_credible' && (
                    <button type="button" className="danger" disabled={!enabled} onClick={() => setConverting(r)}>{t('suspend')}</button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {cursor && <button type="button" onClick={() => load(cursor)}>{t('more')}</button>}
      {suspension && <SuspensionReportView report={suspension} />}
      <ConfirmDialog
        open={converting !== null}
        message={converting ? t('suspendReportConfirm', { number: converting.e164 }) : ''}
        onCancel={() => setConverting(null)}
        onConfirm={() => {
          const r = converting!;
          setConverting(null);
          void act(async () => setSuspension(await convertReport(r.id, t('suspendFromReport', { id: r.id }))));
        }}
      />
    </section>
  );
}

/** 不正対策: the reporting window's queue and the shelters it held, each action shown only to the role that may take it. */
export function FraudView({ role }: { role: Role }) {
  const { t } = useI18n();
  return (
    <section aria-labelledby="fraud-h">
      <h1 id="fraud-h">{t('fraud')}</h1>
      <p className="muted">{t('fraudHelp')} <a href="/report" translate="no">{`${location.origin}/report`}</a></p>
      {role !== 'authority' && <Holds role={role} />}
      {canTriage(role) && <ReportQueue role={role} />}
    </section>
  );
}
