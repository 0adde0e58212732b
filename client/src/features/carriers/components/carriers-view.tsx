import { TechnicalDetail } from '../../../lib/ui/technical-detail.js';
import { useMemo, useState } from 'react';
import { useActionsEnabled, useBoard } from '../../../lib/board-store.js';
import type { PublicCarrier } from '../../../../../provisioning/model/index.js';
import { useI18n } from '../../../lib/i18n.js';
import { ConfirmDialog } from '../../../lib/ui/confirm-dialog.js';
import { ErrorText } from '../../../lib/ui/status-badge.js';
import { useDraft } from '../../../lib/use-draft.js';
import { canAct } from '../../auth/api/session.js';
import { runCarrierPreflight, setCarrierDown } from '../api/carrier-actions.js';
import { certificationLines } from '../certification-warnings.js';
import { Worded } from '../../../lib/ui/worded.js';
import { useAction } from '../../../lib/ui/use-action.js';

function HealthToggle({ carrier }: { carrier: PublicCarrier }) {
  const { t } = useI18n();
  const down = carrier.health !== 'down';
  const [asking, setAsking] = useState(false);
  const enabled = useActionsEnabled();
  const [reason, setReason] = useDraft(`carrier-reason:${carrier.id}`, { text: '' });
  const [error, setError] = useState<unknown>(null);
  // The reason is required and sent as typed: the alert, the audit and each failover say it in the coordinator's words.
  return (
    <>
      <button type="button" className={down ? 'danger' : 'primary'} disabled={!enabled} onClick={() => setAsking(true)}>{down ? t('markDown') : t('markUp')}</button>
      <ConfirmDialog
        open={asking}
        message={t(down ? 'confirmDown' : 'confirmUp', { name: carrier.name })}
        onCancel={() => setAsking(false)}
        onConfirm={async () => {
          try {
            await setCarrierDown(carrier.id, down, reason.text.trim());
            setReason({ text: '' });
            setAsking(false);
          } catch (err) {
            setError(err);
          }
        }}
      >
        <label>{t('reason')}<input value={reason.text} required maxLength={500} onChange={(e) => setReason({ text: e.target.value })} /></label>
        <ErrorText error={error} />
      </ConfirmDialog>
    </>
  );
}

/** The limit the deployment holds the member to now (learnt from its 429s) beside what it declared, and its 429 count. */
function CarrierLimit({ carrier: c }: { carrier: PublicCarrier }) {
  const { t } = useI18n();
  const concurrency = Math.min(c.capacity.concurrency, c.throttle?.concurrency ?? c.capacity.concurrency);
  const rate = Math.min(c.capacity.requestsPerSecond, c.throttle?.requestsPerSecond ?? c.capacity.requestsPerSecond);
  const reduced = concurrency < c.capacity.concurrency;
  return (
    <p className={`small ${reduced ? 'warn' : ''}`} data-effective-concurrency={concurrency} data-throttled={c.throttle?.tooManyRequests ?? 0}>
      {t('apiLimit', { concurrency, rate: Math.round(rate * 10) / 10, declared: c.capacity.concurrency })} · {t('throttledCount', { n: c.throttle?.tooManyRequests ?? 0 })}
    </p>
  );
}

/** The member's preflight: a button (admins) and the last report kept on the carrier, what to fix in the reader's language. */
function Preflight({ carrier: c, canRun }: { carrier: PublicCarrier; canRun: boolean }) {
  const { t, lang } = useI18n();
  const enabled = useActionsEnabled();
  const { run, busy: running, error } = useAction();
  if (c.kind !== 'twilio') return null;
  const report = c.preflight;
  return (
    <div data-preflight={report ? (report.ok ? 'ok' : 'fix') : 'none'}>
      <h3>{t('preflight')}</h3>
      {report ? (
        <ul className="small">
          <li>{report.ok ? t('preflightOk') : t('preflightFix')} · {report.at.slice(0, 16).replace('T', ' ')}</li>
          {report.checks.map((k) => (
            <li key={k.check} data-check={k.check} className={k.ok ? '' : 'warn'}>
              {k.ok ? '✓' : '⚠'} {t(`preflight.${k.check}`)}{k.fix ? `: ${lang === 'ja' ? k.fix.ja : k.fix.en}` : ''}
              <TechnicalDetail text={k.detail} />
            </li>
          ))}
        </ul>
      ) : <p className="muted small">{t('preflightNever')}</p>}
      {canRun && (
        <button type="button" disabled={!enabled || running} onClick={() => run(() => runCarrierPreflight(c.id))}>{running ? t('preflightRunning') : t('preflightRun')}</button>
      )}
      <ErrorText error={error} />
    </div>
  );
}

export function CarriersView() {
  const { t } = useI18n();
  const board = useBoard();
  const pools = useMemo(() => {
    const m = new Map<string, Record<string, number>>();
    for (const n of board.data.numbers.values()) {
      const p = m.get(n.carrierId) ?? {};
      p[n.state] = (p[n.state] ?? 0) + 1;
      m.set(n.carrierId, p);
    }
    return m;
  }, [board.rev]);
  const now = new Date();
  return (
    <section aria-labelledby="carriers-h">
      <h1 id="carriers-h">{t('carriers')}</h1>
      <ul className="cards">
        {[...board.data.carriers.values()].map((c) => {
          const pool = pools.get(c.id) ?? {};
          const total = Object.values(pool).reduce((a, b) => a + b, 0);
          return (
            <li key={c.id} className="card" data-carrier-id={c.id}>
              <header className="row space">
                <h2 translate="no">{c.name}</h2>
                <span className={`badge h-${c.health}`} data-health={c.health}>{t(`carrierHealth.${c.health}`)}</span>
              </header>
              <p className="muted small">{c.kind === 'twilio' ? <span translate="no">Twilio</span> : t('carrierOwnPlatform')} · {t(`carrierStatus.${c.status}`)}</p>
              {c.healthCause && <p className="small" data-health-cause={c.healthCause.code}><Worded message={c.healthCause} /></p>}
              {c.healthReason && c.healthReason !== c.healthCause?.params.reason && <TechnicalDetail text={c.healthReason} />}
              <h3>{t('certifications')}</h3>
              <ul>
                {certificationLines(c, now).map((l) => (
                  <li key={l.key} className={`cert ${l.level}`}>
                    {t(l.key)}: {l.level === 'none' ? t('none') : <><span translate="no">{l.id ?? ''}</span> {l.validUntil ? l.validUntil.slice(0, 10) : ''}</>}
                    {l.level === 'warning' && <strong> ⚠ {t('expiresIn', { n: l.daysLeft ?? 0 })}</strong>}
                    {l.level === 'critical' && <strong> ⛔ {t('expired')}</strong>}
                  </li>
                ))}
              </ul>
              {c.eligibility.reasons.length > 0 && <><p className="warn">{t('cannotLend')}</p><TechnicalDetail text={c.eligibility.reasons.join('; ')} /></>}
              <h3>{t('pool')}</h3>
              <div className={`gauge ${c.health === 'down' ? 'unavailable' : ''}`} data-pool-down={c.health === 'down' ? 'yes' : 'no'} role="img" aria-label={`${t('available')} ${pool.available ?? 0}${c.health === 'down' ? ` (${t('poolUnavailable')})` : ''}, ${t('inService')} ${pool.in_service ?? 0}, ${t('total')} ${total}`}>
                <span className="in-service" style={{ width: `${total ? ((pool.in_service ?? 0) / total) * 100 : 0}%` }} />
                <span className="available" style={{ width: `${total ? ((pool.available ?? 0) / total) * 100 : 0}%` }} />
              </div>
              <p className="small">{t('inService')} {pool.in_service ?? 0} · {c.health === 'down' ? <s>{t('available')} {pool.available ?? 0}</s> : <>{t('available')} {pool.available ?? 0}</>}{c.health === 'down' && <strong> ({t('poolUnavailable')})</strong>} · {t('total')} {total}</p>
              <p className="small" data-suspended-numbers={pool.suspended ?? 0}>{t('suspendedNumbers')} {pool.suspended ?? 0}</p>
              <CarrierLimit carrier={c} />
              <Preflight carrier={c} canRun={board.role === 'admin'} />
              {canAct(board.role) && <HealthToggle carrier={c} />}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
