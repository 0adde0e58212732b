import { useState } from 'react';
import { useI18n } from '../../../lib/i18n.js';
import { ErrorText } from '../../../lib/ui/status-badge.js';
import { useFormCheck } from '../../../lib/ui/form-check.js';
import { useAction } from '../../../lib/ui/use-action.js';
import { signIn, type Me } from '../api/session.js';

/** `notice`: why the server ended the last session (a Problem the board words in the reader's language). */
export function SignIn({ onSignedIn, notice = null }: { onSignedIn(me: Me): void; notice?: unknown }) {
  const { t } = useI18n();
  const [token, setToken] = useState('');
  const { run, busy, error } = useAction();
  const check = useFormCheck();
  return (
    <main id="main" className="sign-in">
      <h1>{t('appTitle')}</h1>
      {notice !== null && <div data-testid="signed-out"><ErrorText error={notice} /></div>}
      <form
        noValidate
        onSubmit={check.onSubmit(() => run(async () => onSignedIn(await signIn(token.trim()))))}
      >
        <label htmlFor="token">{t('token')}</label>
        <input id="token" name="token" type="password" autoComplete="off" required minLength={16} value={token} onChange={(e) => setToken(e.target.value)} aria-describedby="token-help" />
        <p id="token-help" className="muted">{t('tokenHelp')}</p>
        {check.problems}
        <ErrorText error={error} />
        <button className="primary" type="submit" disabled={busy}>
          {t('signIn')}
        </button>
      </form>
    </main>
  );
}
