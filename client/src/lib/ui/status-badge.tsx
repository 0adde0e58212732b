import type { ShelterActualStatus } from '../../../../provisioning/model/index.js';
import { useI18n } from '../i18n.js';
import { problemText } from '../messages.js';

export function StatusBadge({ status }: { status: ShelterActualStatus }) {
  const { t } = useI18n();
  return <span className={`badge st-${status}`} data-status={status}>{t(`shelterStatus.${status}`)}</span>;
}

/** A problem in the reader's language; the server's English detail only on an English board, field names always. */
export function ErrorText({ error }: { error: unknown }) {
  const { lang } = useI18n();
  if (!error) return null;
  const e = error as { type?: string; status?: number; detail?: string; message?: string; errors?: Array<{ path?: string; message?: string }> };
  const worded = problemText(e.type ?? (e.status === 401 ? '/problems/unauthenticated' : e.status === 403 ? '/problems/forbidden' : undefined), lang);
  const fields = (e.errors ?? []).map((x) => x.path).filter((p): p is string => !!p);
  return (
    <p className="error" role="alert">
      {worded ?? (lang === 'en' ? e.detail || e.message : problemText('/problems/internal', lang))}
      {fields.length > 0 && <span className="mono">{' '}({fields.map((p) => p.replace(/^body\./, '')).join(', ')})</span>}
      {lang === 'en' && worded && e.detail && <span className="muted small">{' '}{e.detail}</span>}
    </p>
  );
}
