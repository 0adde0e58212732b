import { useMemo } from 'react';
import { useBoard } from '../../../lib/board-store.js';
import { useI18n } from '../../../lib/i18n.js';
import { overviewStats } from '../overview-stats.js';
import { ShelterMap } from '../../map/components/shelter-map.js';
import { Link } from '../../../lib/router.js';
import { severityText } from '../../../lib/messages.js';
import { Worded } from '../../../lib/ui/worded.js';
import { When } from '../../../lib/ui/when.js';
import { dateTime } from '../../../lib/format.js';
import { ActionLink } from '../../../lib/ui/action-link.js';
import { directoryStates } from '../../print/directory-state.js';
import { TechnicalDetail } from '../../../lib/ui/technical-detail.js';
import type { Alert } from '../../../../../provisioning/model/index.js';
import { AlertAssignee } from './alert-assignee.js';
import { canAct } from '../../auth/api/session.js';

export function Overview() {
  const { t, lang } = useI18n();
  const board = useBoard();
  const s = useMemo(() => overviewStats(board.data, new Date()), [board.rev]);
  const max = Math.max(1, ...s.perCarrier.map((c) => c.available));
  const directories = useMemo(() => directoryStates(board.data.shelters.values()).filter((d) => d.outOfDate), [board.revs.shelters]);
  // An alert from before codes existed has only English: show its kind on a Japanese board.
  const alertText = (a: Alert) => (a.text ? <Worded message={a.text} /> : lang === 'en' ? a.message : t('alertUnworded', { kind: a.kind }));
  return (
    <section aria-labelledby="overview-h">
      <h1 id="overview-h">{t('overview')}</h1>
      <ul className="stats" aria-live="polite">
        <li className={`card ${s.sheltersNoLine ? 'bad' : ''}`} data-stat="no-line">
          <Link to="/shelters?service=no_line"><span className="stat">{s.sheltersNoLine}</span><span>{t('sheltersNoLine')}</span></Link>
        </li>
        <li className={`card ${s.sheltersNoEmergency ? 'warn' : ''}`} data-stat="no-emergency">
          <Link to="/shelters?service=no_emergency"><span className="stat">{s.sheltersNoEmergency}</span><span>{t('sheltersNoEmergency')}</span></Link>
        </li>
        <li className="card" data-stat="shelters-open"><span className="stat">{s.sheltersOpen}</span><span>{t('sheltersOpen')} <small className="muted">/ {s.sheltersTotal}</small></span></li>
        <li className="card" data-stat="lines"><span className="stat">{s.linesWorking}</span><span>{t('workingLines')}</span></li>
        <li className="card" data-stat="handsets"><span className="stat">{s.handsetsSeen}</span><span>{t('handsetsSeen')}</span></li>
        <li className="card" data-stat="calls"><span className="stat">{s.activeCalls}</span><span>{t('activeCalls')}</span></li>
      </ul>
      <div className="grid-2">
        <div className="card">
          <h2>{t('availableByCarrier')}</h2>
          <ul className="bars">
            {s.perCarrier.map((c) => (
              <li key={c.id} className={c.usable ? '' : 'unavailable'} data-pool={c.id} data-pool-down={c.usable ? 'no' : 'yes'}>
                <span><span translate="no">{c.name}</span> <span className={`badge h-${c.health}`}>{t(`carrierHealth.${c.health}`)}</span></span>
                <meter min={0} max={max} value={c.usable ? c.available : 0} aria-label={`${c.name}: ${c.available}${c.usable ? '' : ` (${t('poolUnavailable')})`}`} />
                <span className="mono">{c.usable ? c.available : <><s>{c.available}</s> <small>{t('poolUnavailable')}</small></>}</span>
              </li>
            ))}
          </ul>
          {s.postersOutOfDate > 0 && (
            <p className="warn" data-testid="posters-out-of-date">{t('posterOutOfDate')}: {s.postersOutOfDate} · <ActionLink to="/print/posters?outdated=1">{t('printOutdated', { n: s.postersOutOfDate })}</ActionLink></p>
          )}
          {directories.length > 0 && (
            <p className="warn" data-testid="directories-out-of-date">
              {t('directoriesOutOfDate')}:{' '}
              {directories.map((d, i) => <span key={d.code}>{i > 0 && ' · '}<ActionLink to={`/print/directory/${d.code}`}>{d.name}</ActionLink></span>)}
            </p>
          )}
          <h2>{t('alerts')}</h2>
          {s.alerts.length === 0 ? <p className="muted">{t('noAlerts')}</p> : (
            <ul className="alerts" data-testid="alerts-live">
              {s.alerts.slice(0, 20).map((a) => (
                <li key={a.id} className={`alert ${a.severity}`} data-alert-kind={a.kind} data-alert-code={a.text?.code} data-carrier-id={a.carrierId ?? undefined}>
                  <strong>{severityText(a.severity, lang)}</strong> {a.shelterId ? <Link to={`/shelters/${encodeURIComponent(a.shelterId)}`}>{alertText(a)}</Link> : alertText(a)} <small className="muted"><When at={a.createdAt} /></small>
                  {a.cause && <p className="alert-cause" data-alert-cause={a.cause.code}><Worded message={a.cause} /></p>}
                  {a.detail && <TechnicalDetail text={a.detail} />}
                  <AlertAssignee alert={a} canAssign={canAct(board.role)} />
                </li>
              ))}
            </ul>
          )}
          {s.resolvedAlerts.length > 0 && (
            <details className="resolved-alerts">
              <summary>{t('resolvedAlerts', { n: s.resolvedAlerts.length })}</summary>
              <ul className="alerts" data-testid="alerts-resolved">
                {s.resolvedAlerts.slice(0, 20).map((a) => (
                  <li key={a.id} className="alert resolved" data-alert-kind={a.kind} data-alert-code={a.text?.code}>
                    <span>{alertText(a)}</span> <small><When at={a.createdAt} /> · {t('resolvedAt', { at: dateTime(a.resolvedAt!, lang) })}</small>
                  </li>
                ))}
              </ul>
            </details>
          )}
        </div>
        <ShelterMap heading="h2" />
      </div>
    </section>
  );
}
