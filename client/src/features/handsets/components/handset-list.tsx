import type { CallRecord, PublicHandset } from '../../../../../provisioning/model/index.js';
import { useI18n } from '../../../lib/i18n.js';
import { dateTime } from '../../../lib/format.js';
import { When } from '../../../lib/ui/when.js';
import { useNames } from '../../../lib/ui/worded.js';
import { vendorName } from '../vendor-names.js';

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
  const names = useNames();
  if (handsets.length === 0) return <p className="muted">—</p>;
  return (
    <table className="stack">
      <thead>
        <tr><th scope="col">{t('label')}</th><th scope="col">{t('vendor')}</th><th scope="col">{t('mac')}</th><th scope="col">{t('carrier')}</th><th scope="col">{t('lastFetch')}</th><th scope="col">{t('fileVersion')}</th><th scope="col">{t('registration')}</th></tr>
      </thead>
      <tbody>
        {handsets.map((h) => (
          <tr key={h.id} className={h.status === 'revoked' ? 'muted' : ''}>
            <td data-label={t('label')}>{h.label ? <span translate="no">{h.label}</span> : <span className="mono" translate="no">{h.id}</span>}</td>
            <td data-label={t('vendor')} translate={vendorName(h.vendor, lang).name ? 'no' : undefined}>{vendorName(h.vendor, lang).text}</td>
            <td data-label={t('mac')} className="mono" translate="no">{h.mac.match(/../g)?.join(':')}</td>
            <td data-label={t('carrier')}>
              {h.credentials.map((c, i) => <span key={c.carrierId}>{i > 0 && '、'}<span translate="no">{names.carrier(c.carrierId)}</span>（{t(`credentialRole.${c.role}`)}・{t(`credentialState.${c.state}`)}）</span>)}
            </td>
            <td data-label={t('lastFetch')} data-testid="handset-last-fetch" data-at={h.lastSeenAt ?? ''}>{h.lastSeenAt ? <><When at={h.lastSeenAt} /> <span className="mono" translate="no">{h.lastSeenFrom ?? ''}</span></> : t('never')}</td>
            <td data-label={t('fileVersion')} data-handset-file={fileState(h)}>
              {{ revoked: '—', never: t('handsetNotFetched'), current: t('handsetFileCurrent'), old: <strong className="warn">{t('handsetOldFile')}</strong> }[fileState(h)]}
              <br /><small className="mono muted" translate="no">{h.fetchedConfigVersion ?? '—'} → {h.configVersion ?? '—'}</small>
            </td>
            <td data-label={t('registration')} data-registration="unknown">
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
