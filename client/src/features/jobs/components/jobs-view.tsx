import { useMemo, useState } from 'react';
import { actionsEnabled, useBoard } from '../../../lib/board-store.js';
import { useI18n } from '../../../lib/i18n.js';
import { When } from '../../../lib/ui/when.js';
import { useNames } from '../../../lib/ui/worded.js';
import { Link } from '../../../lib/router.js';
import { ProgressBar } from '../../../lib/ui/progress-bar.js';
import { ErrorText } from '../../../lib/ui/status-badge.js';
import { canAct } from '../../auth/api/session.js';
import { jobProgress } from '../../shelters/shelter-filter.js';
import { retryJob } from '../api/retry-job.js';
import { jobKindText, jobStatusText } from '../../../lib/messages.js';
import { TechnicalDetail } from '../../../lib/ui/technical-detail.js';

export function JobsView() {
  const { t, lang } = useI18n();
  const board = useBoard();
  const names = useNames();
  const [error, setError] = useState<unknown>(null);
  const jobs = useMemo(() => [...board.data.jobs.values()].sort((a, b) => b.updatedAt.localeCompare(a.updatedAt)).slice(0, 300), [board.rev]);
  return (
    <section aria-labelledby="jobs-h">
      <h1 id="jobs-h">{t('jobs')}</h1>
      <ErrorText error={error} />
      <div className="table-wrap">
        <table className="stack">
          <thead><tr><th scope="col">{t('updated')}</th><th scope="col">{t('kind')}</th><th scope="col">{t('target')}</th><th scope="col">{t('status')}</th><th scope="col">{t('progress')}</th><th scope="col">{t('errors')}</th><th scope="col">{t('actions')}</th></tr></thead>
          <tbody>
            {jobs.map((j) => {
              const last = j.errors[j.errors.length - 1];
              return (
                <tr key={j.id} data-job-id={j.id} data-status={j.status}>
                  <td data-label={t('updated')}><When at={j.updatedAt} /></td>
                  <td data-label={t('kind')}>{jobKindText(j.kind, lang)}</td>
                  <td data-label={t('target')}>
                    {j.shelterId ? <Link to={`/shelters/${encodeURIComponent(j.shelterId)}`}>{board.data.shelters.get(j.shelterId)?.name ?? j.shelterId}</Link>
                      : j.carrierId ? <span translate="no">{names.carrier(j.carrierId)}</span> : '—'}
                  </td>
                  <td data-label={t('status')}><span className={`badge js-${j.status}`} data-job-status={j.status}>{jobStatusText(j.status, lang)}</span></td>
                  <td data-label={t('progress')}><ProgressBar {...jobProgress(j)!} label={`${t('progress')}: ${jobKindText(j.kind, lang)}`} /></td>
                  <td data-label={t('errors')} className="small">{last ? <>{t('jobError', { n: j.errors.length })}<TechnicalDetail text={`${last.step ?? ''} ${last.message}`} /></> : '—'}</td>
                  <td>
                    {canAct(board.role) && j.status === 'failed' && (
                      <button type="button" disabled={!actionsEnabled(board)} onClick={() => retryJob(j.id).catch(setError)}>{t('retry')}</button>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </section>
  );
}
