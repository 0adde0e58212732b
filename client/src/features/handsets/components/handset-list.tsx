import type { PublicHandset } from '../../../../../provisioning/model/index.js';
import { useI18n } from '../../../lib/i18n.js';
import { dateTime } from '../../../lib/format.js';

export function HandsetList({ handsets }: { handsets: PublicHandset[] }) {
  const { t, lang } = useI18n();
  if (handsets.length === 0) return <p className="muted">—</p>;
  return (
    <table>
      <thead>
        <tr><th scope="col">{t('label')}</th><th scope="col">{t('vendor')}</th><th scope="col">{t('mac')}</th><th scope="col">{t('carrier')}</th><th scope="col">{t('lastFetch')}</th><th scope="col">{t('fileVersion')}</th></tr>
      </thead>
      <tbody>
        {handsets.map((h) => (
          <tr key={h.id} className={h.status === 'revoked' ? 'muted' : ''}>
            <td>{h.label ?? h.id}</td>
            <td>{h.vendor}</td>
            <td className="mono">{h.mac.match(/../g)?.join(':')}</td>
            <td>{h.credentials.map((c) => `${c.carrierId}（${t(`cr.${c.role}`)}・${t(`cst.${c.state}`)}）`).join(', ')}</td>
            <td>{h.lastSeenAt ? `${dateTime(h.lastSeenAt, lang)} ${h.lastSeenFrom ?? ''}` : t('never')}</td>
            <td data-handset-file={h.status !== 'active' ? 'revoked' : h.fetchedConfigVersion && h.fetchedConfigVersion === h.configVersion ? 'current' : 'old'}>
              {h.status !== 'active' ? '—' : h.fetchedConfigVersion && h.fetchedConfigVersion === h.configVersion ? t('handsetFileCurrent') : <strong className="warn">{t('handsetOldFile')}</strong>}
              <br /><small className="mono muted">{h.fetchedConfigVersion ?? '—'} → {h.configVersion ?? '—'}</small>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
