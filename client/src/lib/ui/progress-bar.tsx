import type { JobStatus } from '../../../../provisioning/model/index.js';
import { useI18n } from '../i18n.js';
import { jobStatusText } from '../messages.js';

/** Job progress as a labelled bar that screen readers announce as a percentage; its tooltip in the reader's language. */
export function ProgressBar({ done, total, status, label }: { done: number; total: number; status: JobStatus | string; label: string }) {
  const { lang } = useI18n();
  const pct = total === 0 ? (status === 'succeeded' ? 100 : 0) : Math.round((done / total) * 100);
  return (
    <div className={`progress ${status}`} role="progressbar" aria-label={label} aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct} title={`${done}/${total} ${jobStatusText(status as JobStatus, lang)}`}>
      <span style={{ width: `${pct}%` }} />
      <em>
        {done}/{total}
      </em>
    </div>
  );
}
