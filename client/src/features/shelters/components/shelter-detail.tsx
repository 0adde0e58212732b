import { useMemo } from 'react';
import { useBoard } from '../../../lib/board-store.js';
import { useI18n } from '../../../lib/i18n.js';
import { nationalNumber } from '../../../lib/format.js';
import { When } from '../../../lib/ui/when.js';
import { ActionLink } from '../../../lib/ui/action-link.js';
import { directoryStates } from '../../print/directory-state.js';
import { Link } from '../../../lib/router.js';
import { ProgressBar } from '../../../lib/ui/progress-bar.js';
import { StatusBadge } from '../../../lib/ui/status-badge.js';
import { canAct } from '../../auth/api/session.js';
import { HandsetList } from '../../handsets/components/handset-list.js';
import { RegisterHandsetForm } from '../../handsets/components/register-handset-form.js';
import { TestCallButton } from '../../handsets/components/test-call-button.js';
import { jobProgress } from '../shelter-filter.js';
import { ShelterActions } from './shelter-actions.js';
import { ShelterContact } from './shelter-contact.js';
import { useShelterDetail } from '../api/shelter-detail.js';
import { callWord, messageText } from '../../../lib/messages.js';
import { TechnicalDetail } from '../../../lib/ui/technical-detail.js';

/** A caller or called party: a phone number as people write it, a SIP address as it is. */
const party = (p: string | null | undefined) => (!p ? '—' : p.startsWith('+') ? nationalNumber(p) : p);

export function ShelterDetail({ id }: { id: string }) {
  const { t, lang } = useI18n();
  const board = useBoard();
  const { data } = board;
  const shelter = data.shelters.get(id);
  const rev = board.shelterRev(id);
  // The directory of this shelter's municipality, as printed last (its rows are the municipality's shelters).
  const directory = useMemo(() => {
    const code = data.shelters.get(id)?.municipalityCode;
    return directoryStates([...data.shelters.values()].filter((s) => s.municipalityCode === code))[0] ?? null;
  }, [board.revs.shelters, id]);
  const related = useMemo(() => {
    const numbers = [...data.numbers.values()].filter((n) => n.shelterId === id && n.state !== 'available' && n.state !== 'aging');
    const handsets = [...data.handsets.values()].filter((h) => h.shelterId === id);
    const calls = [...data.calls.values()].filter((c) => c.shelterId === id).sort((a, b) => b.startedAt.localeCompare(a.startedAt)).slice(0, 50);
    const messages = [...data.voiceMessages.values()].filter((m) => m.shelterId === id).sort((a, b) => b.createdAt.localeCompare(a.createdAt));
    return { numbers, handsets, calls, messages };
  }, [rev, id]);
  // Why each number was chosen and each handset's files: read with the shelter, again whenever the board says it changed.
  const detail = useShelterDetail(shelter ? id : null, rev);
  const fullNumber = new Map((detail?.numbers ?? []).map((n) => [n.id, n]));
  if (!shelter) return <p role="alert">{board.status === 'live' ? t('notFound') : t('connecting')}</p>;
  const progress = jobProgress(shelter.currentJobId ? data.jobs.get(shelter.currentJobId) : undefined);
  // Each line's health and order come with the shelter's detail (the board holds only the service's counts).
  const lines = detail?.service?.lines ?? [];
  const lineOf = new Map(lines.map((l) => [l.e164, l]));
  const held = lines.length;
  const failoverExtra = held > shelter.lines && lines.some((l) => l.replacement);

  return (
    <article aria-labelledby="shelter-h" data-shelter-id={shelter.id}>
      <p><Link to="/shelters">← {t('back')}</Link></p>
      <header className="row wrap space">
        <div>
          <h1 id="shelter-h">{shelter.name}</h1>
          <p className="muted">{shelter.kana} · {shelter.address}</p>
        </div>
        <div className="row wrap">
          <StatusBadge status={shelter.actualStatus} />
          {shelter.shortCode && <span className="badge mono" aria-label={`${t('shortCode')} ${shelter.shortCode}`}>☎ {shelter.shortCode}</span>}
          {canAct(board.role) && <ShelterActions shelter={shelter} />}
          <ActionLink className="button" to={`/print/poster/${encodeURIComponent(shelter.id)}`}>{t('printPoster')}</ActionLink>
          <ActionLink className="button" to={`/print/directory/${shelter.municipalityCode}`}>{t('printDirectory')}</ActionLink>
        </div>
      </header>
      <dl className="facts">
        <div><dt>{t('evacuees')}</dt><dd>{shelter.evacuees ?? '—'} / {shelter.capacity ?? shelter.capacityText ?? '—'}</dd></div>
        <div><dt>{t('lines')}</dt><dd>{shelter.lines}</dd></div>
        {shelter.service && <div><dt>{t('workingLines')}</dt><dd data-testid="working-lines">{shelter.service.workingLines} / {shelter.service.wantedLines}{shelter.service.emergencyCapable ? '' : ` · ${t('noEmergency')}`}</dd></div>}
        {shelter.lastPrint && (
          <div>
            <dt>{t('printedAt')}</dt>
            <dd data-testid="poster-status" data-out-of-date={shelter.lastPrint.outOfDate ? 'yes' : 'no'}>
              <When at={shelter.lastPrint.printedAt} />
              {shelter.lastPrint.outOfDate && <> · <strong className="warn">{t('posterOutOfDate')}</strong> <ActionLink className="button" to={`/print/poster/${encodeURIComponent(shelter.id)}`}>{t('reprint')}</ActionLink></>}
            </dd>
          </div>
        )}
        {directory && (
          <div>
            <dt>{t('directoryStatus')}</dt>
            <dd data-testid="directory-status" data-out-of-date={directory.outOfDate ? 'yes' : 'no'}>
              <When at={directory.printedAt} />
              {directory.outOfDate && <> · <strong className="warn">{t('directoryOutOfDate')}</strong> <ActionLink className="button" to={`/print/directory/${shelter.municipalityCode}`}>{t('reprint')}</ActionLink></>}
            </dd>
          </div>
        )}
        {progress && <div><dt>{t('progress')}</dt><dd><ProgressBar {...progress} label={t('progress')} /></dd></div>}
      </dl>

      <ShelterContact shelter={shelter} />

      <section aria-labelledby="numbers-h">
        <h2 id="numbers-h">{t('phoneNumbers')}</h2>
        {failoverExtra && <p className="muted" data-testid="failover-extra">{t('extraLinesByFailover')}</p>}
        {held > shelter.lines && !failoverExtra && <p className="warn">{t('overAllocated')}</p>}
        {related.numbers.length === 0 ? (
          <p className="muted" data-testid="no-numbers">{t('noNumbers')}</p>
        ) : (
          <ul className="number-cards">
            {related.numbers.map((n) => {
              const line = lineOf.get(n.id);
              const full = fullNumber.get(n.id);
              return (
              <li key={n.id} className={`card ${line ? `lh-${line.health}` : ''}`} data-number={n.id} data-state={n.state} data-health={line?.health ?? 'none'}>
                <div className="big mono tel">{nationalNumber(n.id)}</div>
                <div>
                  {line && <><span className={`badge lh-${line.health}`}>{t(`lineHealth.${line.health}`)}</span> · </>}
                  <span translate="no">{data.carriers.get(n.carrierId)?.name ?? n.carrierId}</span> · <span className={`badge ns-${n.state}`}>{t(`numberState.${n.state}`)}</span>
                  {/* What a line can call is said only of a line that works: a dead line promises nothing. */}
                  {line?.health === 'working' && <> · <span data-testid="line-emergency">{n.emergencyCapable ? t('emergencyCapable') : t('noEmergency')}</span></>}
                </div>
                {line?.replacement && <div className="small muted">{t('replacementLine')}</div>}
                {(full?.why?.length ?? 0) > 0 ? (
                  <details>
                    <summary>{t('whyThisNumber')}</summary>
                    <ul>{full!.why!.map((m, i) => <li key={i} data-reason={m.code}>{messageText(m, lang)}</li>)}</ul>
                  </details>
                ) : (full?.reasons.length ?? 0) > 0 && <TechnicalDetail text={full!.reasons.join('; ')} />}
              </li>
              );
            })}
          </ul>
        )}
      </section>

      <section aria-labelledby="handsets-h">
        <h2 id="handsets-h">{t('handsets')}</h2>
        <HandsetList handsets={detail?.handsets ?? []} calls={related.calls} />
        {(shelter.lastTestCall || (canAct(board.role) && shelter.desiredStatus === 'open' && related.handsets.some((h) => h.status === 'active'))) && (
          <TestCallButton shelter={shelter} canCall={canAct(board.role) && shelter.desiredStatus === 'open'} />
        )}
        {canAct(board.role) && shelter.desiredStatus === 'open' && <RegisterHandsetForm shelterId={shelter.id} />}
      </section>

      <section aria-labelledby="calls-h">
        <h2 id="calls-h">{t('calls')}</h2>
        {related.calls.length === 0 ? <p className="muted">{t('noCalls')}</p> : (
          <table className="stack">
            <thead><tr><th scope="col">{t('when')}</th><th scope="col">{t('callDirection')}</th><th scope="col">{t('callParties')}</th><th scope="col">{t('status')}</th><th scope="col">{t('callSeconds')}</th></tr></thead>
            <tbody>
              {related.calls.map((c) => (
                <tr key={c.id}>
                  <td data-label={t('when')}><When at={c.startedAt} /></td>
                  <td data-label={t('callDirection')}>{callWord(c.direction, lang)}</td>
                  <td data-label={t('callParties')} className="mono"><span className="tel">{party(c.from)}</span> → <span className="tel">{party(c.to)}</span></td>
                  <td data-label={t('status')}>{callWord(c.status, lang)}</td>
                  <td data-label={t('callSeconds')}>{c.durationSeconds}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section aria-labelledby="vm-h">
        <h2 id="vm-h">{t('voiceMessages')}</h2>
        {related.messages.length === 0 ? <p className="muted">{t('noVoiceMessages')}</p> : (
          <ul>
            {related.messages.map((m) => (
              <li key={m.id}><When at={m.createdAt} /> · <span className="tel">{party(m.from)}</span> · {t('seconds', { n: m.durationSeconds })} · <a href={m.recordingUrl} target="_blank" rel="noreferrer" aria-label={t('playMessage')}>▶</a></li>
            ))}
          </ul>
        )}
      </section>
    </article>
  );
}
