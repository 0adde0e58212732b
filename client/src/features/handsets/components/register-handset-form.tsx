import { useActionsEnabled } from '../../../lib/board-store.js';
import { useState } from 'react';
import { useI18n } from '../../../lib/i18n.js';
import { useDraft } from '../../../lib/use-draft.js';
import type { HandsetVendor } from '../../../../../provisioning/model/index.js';
import { ErrorText } from '../../../lib/ui/status-badge.js';
import { QrCode } from '../../../lib/ui/qr-code.js';
import { useFormCheck } from '../../../lib/ui/form-check.js';
import { useAction } from '../../../lib/ui/use-action.js';
import { registerHandset, type Registered } from '../api/register-handset.js';
import { vendorName } from '../vendor-names.js';

const VENDORS = ['yealink', 'grandstream', 'polycom', 'softphone'] as const;

/** Registers a handset; the provisioning URL is shown once (the server keeps only its hash). */
export function RegisterHandsetForm({ shelterId }: { shelterId: string }) {
  const { t, lang } = useI18n();
  const [draft, setDraft, clearDraft] = useDraft<{ mac: string; vendor: HandsetVendor; label: string }>(`handset:${shelterId}`, { mac: '', vendor: 'yealink', label: '' });
  const [result, setResult] = useState<Registered | null>(null);
  const { run, busy, error } = useAction();
  const enabled = useActionsEnabled();
  const check = useFormCheck();
  return (
    <form
      className="card"
      aria-labelledby="register-h"
      noValidate
      onSubmit={check.onSubmit(() =>
        run(async () => {
          setResult(
            await registerHandset(shelterId, {
              vendor: draft.vendor,
              ...(draft.mac.trim() ? { mac: draft.mac.trim() } : {}),
              ...(draft.label.trim() ? { label: draft.label.trim() } : {}),
            }),
          );
          clearDraft();
        }),
      )}
    >
      <h3 id="register-h">{t('registerHandset')}</h3>
      <div className="row wrap">
        <label>
          {t('vendor')}
          <select value={draft.vendor} onChange={(e) => setDraft({ ...draft, vendor: e.target.value as HandsetVendor })}>
            {VENDORS.map((v) => (
              <option key={v} value={v} translate={vendorName(v, lang).name ? 'no' : undefined}>{vendorName(v, lang).text}</option>
            ))}
          </select>
        </label>
        <label>
          {t('mac')}
          <input value={draft.mac} onChange={(e) => setDraft({ ...draft, mac: e.target.value })} placeholder="80:5e:c0:12:34:56" required={draft.vendor !== 'softphone'} maxLength={40} />
        </label>
        <label>
          {t('label')}
          <input value={draft.label} onChange={(e) => setDraft({ ...draft, label: e.target.value })} maxLength={100} />
        </label>
        <button type="submit" className="primary" disabled={busy || !enabled}>{t('register')}</button>
      </div>
      {check.problems}
      <ErrorText error={error} />
      {result && (
        <div className="provisioning" role="status">
          <p>{t('provisioningOnce')}</p>
          <p>
            {t('provisioningUrl')}: <code className="break">{result.provisioningUrl}</code>
          </p>
          <QrCode text={result.provisioningUrl} label={`${t('provisioningUrl')} QR`} />
        </div>
      )}
    </form>
  );
}
