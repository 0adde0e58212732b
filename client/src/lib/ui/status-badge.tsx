import type { ShelterActualStatus } from '../../../../provisioning/model/index.js';
import { useI18n } from '../i18n.js';

export function StatusBadge({ status }: { status: ShelterActualStatus }) {
  const { t } = useI18n();
  return <span className={`badge st-${status}`} data-status={status}>{t(`st.${status}`)}</span>;
}

export function ErrorText({ error }: { error: unknown }) {
  if (!error) return null;
  const e = error as { detail?: string; message?: string; errors?: Array<{ path?: string; message?: string }> };
  return (
    <p className="error" role="alert">
      {e.detail || e.message}
      {e.errors?.map((x, i) => (
        <span key={i}>
          {' '}
          {x.path ? `${x.path}: ` : ''}
          {x.message}
        </span>
      ))}
    </p>
  );
}
