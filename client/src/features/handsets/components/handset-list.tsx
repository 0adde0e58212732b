import type { CallRecord, PublicHandset } from '../../../../../provisioning/model/index.js';
import { useI18n } from '../../../lib/i18n.js';
import { dateTime } from '../../../lib/format.js';

/** A phone that never fetched its file runs no file of ours yet: not an old one (it gets the current one when plugged in). */
function fileState(h: PublicHandset): 'revoked' | 'never' | 'current' | 'old' {
  if (h.status !== 'active') return 'revoked';
  if (!h.lastSeenAt) return 'never';
  return h.fetchedConfigVersion && h.fetchedConfigVersion === h.configVersion ? 'current' : 'old';
}

/**
 * Provisioned (credentials per carrier), last provisioning fetch, and registration: no carrier API
 * tells us whether a handset is registered, so it shows "unknown" — with the last call the carrier
 * reported from the handset, which is evidence it was registered then.
 */
export function HandsetList({ handsets, calls = [] }: { handsets: PublicHandset[]; calls?: CallRecord[] }) {
  const { t, lang } = useI18n();
  if (handsets.length === 0) return <p className="muted">—</p>;
  return (
    <table>
      <thead>
        <tr><th scope="col">{t('label')}</th><th scope="col">{t('vendor')}</th><th scope="col">{t('mac')}</th><th scope="col">{t('carrier')}</th><th scope="col">{t('lastFetch')}</th><th scope="col">{t('fileVersion')}</th><th scope="col">{t('registration')}</th></tr>
      </thead>
      <tbody>
        {handsets.map((h) => (
          <tr key={h.id} className={h.status === 'revoked' ? 'muted' : ''}>
            <td>{h.label ?? h.id}</td>
            <td>{h.vendor}</td>
            <td className="mono">{h.mac.match(/../g)?.join(':')}</td>
            <td>{h.credentials.map((c) => `${c.carrierId}（${t(`cr.${c.role}`)}・${t(`cst.${c.state}`)}）`).join(', ')}</td>
            <td data-testid="handset-last-fetch" data-at={h.lastSeenAt ?? ''}>{h.lastSeenAt ? `${dateTime(h.lastSeenAt, lang)} ${h.lastSeenFrom ?? ''}` : t('never')}</td>
            <td data-handset-file={fileState(h)}>
              {{ revoked: '—', never: t('handsetNotFetched'), current: t('handsetFileCurrent'), old: <strong className="warn">{t('handsetOldFile')}</strong> }[fileState(h)]}
              <br /><small className="mono muted">{h.fetchedConfigVersion ?? '—'} → {h.configVersion ?? '—'}</small>
            </td>
            <td data-registration="unknown">
              {t('registrationUnknown')}
              {(() => {
                const last = calls.filter((c) => c.handsetId === h.id).sort((a, b) => b.startedAt.localeCompare(a.startedAt))[0];
                return last ? <><br /><small data-testid="handset-last-call">{t('lastCallFromHandset', { at: dateTime(last.startedAt, lang) })}</small></> : null;
              })()}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
