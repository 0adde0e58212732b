import { useEffect, useState } from 'react';
import type { ListedToken, MintedToken, Role } from '../../../../../provisioning/model/index.js';
import { useActionsEnabled } from '../../../lib/board-store.js';
import { useI18n } from '../../../lib/i18n.js';
import { areaScopeText, dateTime } from '../../../lib/format.js';
import { partsText, roleText, tokenName } from '../../../lib/messages.js';
import { When } from '../../../lib/ui/when.js';
import { Parts } from '../../../lib/ui/worded.js';
import { ConfirmDialog } from '../../../lib/ui/confirm-dialog.js';
import { ErrorText } from '../../../lib/ui/status-badge.js';
import { useFormCheck } from '../../../lib/ui/form-check.js';
import { useAction } from '../../../lib/ui/use-action.js';
import { createToken, fetchTokens, revokeToken } from '../api/tokens.js';

/** Board roles an admin hands out here; a carrier's token is made with its carrier, an authority's is rare and made the same way. */
const ROLES: Role[] = ['coordinator', 'viewer', 'admin', 'authority'];
/** The roles a token may be limited to an area for: a prefecture's or a city's disaster HQ. */
const AREA_ROLES: ReadonlySet<Role> = new Set(['coordinator', 'viewer']);

/** 「静岡県、愛知県」 or "22, 23": the places an admin typed, one per entry. */
const places = (text: string) => text.split(/[、,，\s]+/).map((p) => p.trim()).filter(Boolean);

/** Named tokens, one per coordinator: create (shown once, copyable) and revoke (admin). */
export function TokensView() {
  const { t, lang } = useI18n();
  const enabled = useActionsEnabled();
  const [items, setItems] = useState<ListedToken[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [label, setLabel] = useState('');
  const [role, setRole] = useState<Role>('coordinator');
  const [prefectures, setPrefectures] = useState('');
  const [municipalities, setMunicipalities] = useState('');
  const [minted, setMinted] = useState<MintedToken | null>(null);
  const [copied, setCopied] = useState(false);
  const [revoking, setRevoking] = useState<ListedToken | null>(null);
  const { run, busy, error, fail } = useAction();
  const check = useFormCheck();
  const load = (from: string | null) =>
    fetchTokens(from).then((page) => {
      setItems((prev) => (from ? [...prev, ...page.items] : page.items));
      setCursor(page.nextCursor);
    }, fail);
  useEffect(() => void load(null), []);
  const act = (action: () => Promise<void>) =>
    run(async () => {
      await action();
      await load(null);
    });

  return (
    <section aria-labelledby="tokens-h">
      <h1 id="tokens-h">{t('tokens')}</h1>
      <p className="muted">{t('tokensHelp')}</p>
      <form
        className="card"
        aria-labelledby="new-token-h"
        noValidate
        onSubmit={check.onSubmit(() => {
          void act(async () => {
            setCopied(false);
            const area = { prefectures: places(prefectures), municipalities: places(municipalities) };
            const limited = AREA_ROLES.has(role) && (area.prefectures.length > 0 || area.municipalities.length > 0);
            setMinted(await createToken(label.trim(), role, limited ? area : null));
            setLabel('');
            setPrefectures('');
            setMunicipalities('');
          });
        })}
      >
        <h2 id="new-token-h">{t('newToken')}</h2>
        <div className="row wrap">
          <label>
            {t('tokenLabel')}
            <input value={label} onChange={(e) => setLabel(e.target.value)} required maxLength={200} placeholder={t('tokenLabelExample')} />
          </label>
          <label>
            {t('role')}
            <select value={role} onChange={(e) => setRole(e.target.value as Role)}>
              {ROLES.map((r) => <option key={r} value={r}>{roleText(r, lang)}</option>)}
            </select>
          </label>
          <button type="submit" className="primary" disabled={busy || !enabled}>{t('createToken')}</button>
        </div>
        {AREA_ROLES.has(role) && (
          <fieldset className="row wrap">
            <legend>{t('tokenArea')}</legend>
            <p className="muted small" id="token-area-help">{t('tokenAreaHelp')}</p>
            <label>
              {t('tokenAreaPrefectures')}
              <input name="prefectures" value={prefectures} onChange={(e) => setPrefectures(e.target.value)} placeholder={t('tokenAreaPrefecturesExample')} aria-describedby="token-area-help" />
            </label>
            <label>
              {t('tokenAreaMunicipalities')}
              <input name="municipalities" value={municipalities} onChange={(e) => setMunicipalities(e.target.value)} placeholder={t('tokenAreaMunicipalitiesExample')} aria-describedby="token-area-help" />
            </label>
          </fieldset>
        )}
        {check.problems}
      </form>
      {minted && (
        <div className="card" role="status" data-testid="minted-token">
          <p><strong>{t('tokenShownOnce', { label: minted.label })}</strong></p>
          <p data-testid="minted-token-area">{t('tokenArea')}: {minted.scope ? areaScopeText(minted.scope) : t('areaEverywhere')}</p>
          <p><code className="break mono" data-testid="minted-token-value">{minted.token}</code></p>
          <button type="button" onClick={() => navigator.clipboard.writeText(minted.token).then(() => setCopied(true), () => setCopied(false))}>{t('copyToken')}</button>
          {copied && <span className="muted"> {t('copied')}</span>}
        </div>
      )}
      <ErrorText error={error} />
      <div className="table-wrap">
        <table className="stack">
          <thead><tr><th scope="col">{t('tokenLabel')}</th><th scope="col">{t('role')}</th><th scope="col">{t('tokenArea')}</th><th scope="col">{t('createdAt')}</th><th scope="col">{t('lastUsed')}</th><th scope="col">{t('tokenState')}</th><th scope="col"><span className="sr-only">{t('revoke')}</span></th></tr></thead>
          <tbody>
            {items.map((tok) => (
              <tr key={tok.id} data-token-id={tok.id} data-revoked={tok.revokedAt ? 'yes' : 'no'}>
                <td data-label={t('tokenLabel')}><Parts parts={[tokenName(tok, lang)]} /></td>
                <td data-label={t('role')}>{roleText(tok.role, lang)}</td>
                <td data-label={t('tokenArea')} data-area={tok.scope ? 'limited' : 'everywhere'}>{tok.scope ? areaScopeText(tok.scope) : t('areaEverywhere')}</td>
                <td data-label={t('createdAt')}><When at={tok.createdAt} /></td>
                <td data-label={t('lastUsed')}>{tok.lastUsedAt ? <When at={tok.lastUsedAt} /> : t('neverUsed')}</td>
                <td data-label={t('tokenState')}>{tok.revokedAt ? <span className="nowrap">{t('revokedAt', { at: dateTime(tok.revokedAt, lang) })}</span> : t('tokenActive')}</td>
                <td>{!tok.revokedAt && <button type="button" className="danger" disabled={busy || !enabled} onClick={() => setRevoking(tok)}>{t('revoke')}<span className="sr-only">: <Parts parts={[tokenName(tok, lang)]} /></span></button>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {cursor && <button type="button" onClick={() => load(cursor)}>{t('more')}</button>}
      <ConfirmDialog
        open={revoking !== null}
        busy={busy}
        message={revoking ? t('revokeConfirm', { label: partsText([tokenName(revoking, lang)]) }) : ''}
        onCancel={() => setRevoking(null)}
        onConfirm={() => {
          const target = revoking;
          setRevoking(null);
          if (target) void act(async () => void (await revokeToken(target.id)));
        }}
      />
    </section>
  );
}
