import { Suspense, useEffect, useMemo, useState } from 'react';
import { BoardStoreContext, createBoardStore, useBoard } from './lib/board-store.js';
import { useI18n } from './lib/i18n.js';
import { Link, navigate, usePath } from './lib/router.js';
import { actorName, roleText } from './lib/messages.js';
import { ConnectionBanner } from './lib/ui/connection-banner.js';
import { lazyView, ViewBoundary } from './lib/ui/view-boundary.js';
import { Parts } from './lib/ui/worded.js';
import { SignIn } from './features/auth/components/sign-in.js';
import { signOut, whoAmI, type Me } from './features/auth/api/session.js';
import { areaScopeText, phoneFormatReady } from './lib/format.js';
import type { Problem } from '../../provisioning/model/index.js';
import { Overview } from './features/overview/components/overview.js';
import { ShelterMap } from './features/map/components/shelter-map.js';
import { SheltersTable } from './features/shelters/components/shelters-table.js';
import { ShelterDetail } from './features/shelters/components/shelter-detail.js';
import { CarriersView } from './features/carriers/components/carriers-view.js';
import { NumbersView } from './features/numbers/components/numbers-view.js';
import { SuspendForm } from './features/numbers/components/suspend-form.js';
import { JobsView } from './features/jobs/components/jobs-view.js';
import { AuditView } from './features/audit/components/audit-view.js';
import { FraudView } from './features/reports/components/fraud-view.js';
import { TokensView } from './features/access/components/tokens-view.js';
// Printing (the QR code encoder with it) loads only when a poster or directory is opened: a thin link's first load stays small.
const PosterBatch = lazyView(() => import('./features/print/components/shelter-poster.js').then((m) => m.PosterBatch));
const ShelterPoster = lazyView(() => import('./features/print/components/shelter-poster.js').then((m) => m.ShelterPoster));
const MunicipalityDirectory = lazyView(() => import('./features/print/components/municipality-directory.js').then((m) => m.MunicipalityDirectory));

function Page({ path, me }: { path: string; me: Me }) {
  const id = (prefix: string) => decodeURIComponent(path.slice(prefix.length));
  if (path.startsWith('/shelters/')) return <ShelterDetail id={id('/shelters/')} />;
  if (path === '/print/posters') return <PosterBatch />;
  if (path.startsWith('/print/poster/')) return <ShelterPoster id={id('/print/poster/')} />;
  if (path.startsWith('/print/directory/')) return <MunicipalityDirectory code={id('/print/directory/')} />;
  switch (path) {
    case '/map': return <ShelterMap />;
    case '/shelters': return <SheltersTable />;
    case '/carriers': return <CarriersView />;
    case '/numbers': return <NumbersView />;
    case '/jobs': return <JobsView />;
    case '/audit': return me.role === 'admin' ? <AuditView /> : null;
    case '/tokens': return me.role === 'admin' ? <TokensView /> : null;
    case '/fraud': return me.role === 'admin' || me.role === 'coordinator' ? <FraudView role={me.role} /> : null;
    default: return <Overview />;
  }
}

function Shell({ me, onSignOut }: { me: Me; onSignOut(): void }) {
  const { t, lang, setLang } = useI18n();
  const path = usePath();
  const board = useBoard();
  const links: Array<[string, Parameters<typeof t>[0]]> = [['/', 'overview'], ['/map', 'map'], ['/shelters', 'shelters'], ['/carriers', 'carriers'], ['/numbers', 'numbers'], ['/jobs', 'jobs']];
  if (me.role === 'admin' || me.role === 'coordinator') links.push(['/fraud', 'fraud']);
  if (me.role === 'admin') links.push(['/audit', 'audit'], ['/tokens', 'tokens']);
  const printing = path.startsWith('/print/');
  // On a phone the navigation is a menu behind one button (CSS shows it open on wider screens); it closes on the way to a view.
  const [menuOpen, setMenuOpen] = useState(false);
  useEffect(() => setMenuOpen(false), [path]);
  const who = actorName(me, lang);
  return (
    <>
      <a className="skip" href="#main">{t('skipToMain')}</a>
      <header className={`top no-print ${printing ? 'hidden-print' : ''}`} onKeyDown={(e) => e.key === 'Escape' && setMenuOpen(false)}>
        <strong className="brand">{t('appTitle')}</strong>
        <button type="button" className="menu-toggle" aria-expanded={menuOpen} aria-controls="board-nav" onClick={() => setMenuOpen(!menuOpen)}>☰ {t('nav')}</button>
        <nav id="board-nav" aria-label={t('nav')} data-open={menuOpen ? 'yes' : 'no'}>
          <ul>
            {links.map(([to, key]) => (
              <li key={to}><Link to={to} aria-current={(to === '/' ? path === '/' : path.startsWith(to)) ? 'page' : undefined}>{t(key)}</Link></li>
            ))}
          </ul>
        </nav>
        <span className={`conn ${board.status}`} role="status" aria-live="polite" data-connection={board.status}>● {t(board.status === 'live' ? 'live' : board.status)}</span>
        <span className="muted small who">{typeof who === 'string' ? who : <><Parts parts={[who]} />（{roleText(me.role, lang)}）</>}</span>
        {me.scope && <span className="muted small area" data-testid="signed-in-area">{t('signedInArea', { area: areaScopeText(me.scope) })}</span>}
        <button type="button" onClick={() => setLang(lang === 'ja' ? 'en' : 'ja')} aria-label={t('languageLabel')}><span lang={lang === 'ja' ? 'en' : 'ja'}>{t('language')}</span></button>
        <button type="button" onClick={onSignOut}>{t('signOut')}</button>
      </header>
      <ConnectionBanner />
      <main id="main" tabIndex={-1} data-live={board.status === 'live' ? 'yes' : 'no'}>
        {/* A view that fails (its code could not load offline) fails alone, and is tried again once live or elsewhere. */}
        <ViewBoundary resetKey={`${path} ${board.status === 'live'}`}>
          <Suspense fallback={<p className="muted">{t('connecting')}</p>}>
            <Page path={path} me={me} />
          </Suspense>
        </ViewBoundary>
      </main>
    </>
  );
}

/** The authority role has no board feed (viewer+ only); it sees the suspension form alone. */
function AuthorityShell({ onSignOut }: { onSignOut(): void }) {
  const { t } = useI18n();
  return (
    <main id="main">
      <header className="row space"><strong>{t('appTitle')}</strong><button type="button" onClick={onSignOut}>{t('signOut')}</button></header>
      <SuspendForm />
      <FraudView role="authority" />
    </main>
  );
}

/** A hint, not a credential (the session cookie is HttpOnly): whether to open the feed before the session check answers. */
const signedInBefore = {
  get: (): boolean => {
    try { return localStorage.getItem('sl.signedIn') === '1'; } catch { return false; }
  },
  set: (yes: boolean): void => {
    try { if (yes) localStorage.setItem('sl.signedIn', '1'); else localStorage.removeItem('sl.signedIn'); } catch { /* private mode: no hint, no harm */ }
  },
};

export function App() {
  const [me, setMe] = useState<Me | null | undefined>(undefined);
  /** Why the server ended this board's session (token revoked, signed out elsewhere, expired): shown on the sign-in form. */
  const [signedOut, setSignedOut] = useState<Problem | null>(null);
  const store = useMemo(() => createBoardStore(), []);
  useEffect(() => {
    // The phone-number formatter arrives while the session is checked: numbers are never shown unformatted.
    Promise.all([whoAmI(), phoneFormatReady]).then(([who]) => setMe(who), () => setMe(null));
  }, []);
  const boardRole = me && (me.role === 'admin' || me.role === 'coordinator' || me.role === 'viewer');
  // The live feed opens beside the session check when this browser was signed in last time (a round trip
  // less on a thin link), and stops if the person may not see the board.
  const feed = (me === undefined && signedInBefore.get()) || !!boardRole;
  useEffect(() => {
    if (me !== undefined) signedInBefore.set(!!boardRole);
  }, [me, boardRole]);
  useEffect(() => {
    if (!feed) return;
    // A closed socket may mean the session expired: check, and show the sign-in form if so.
    return store.start(
      () => void whoAmI().then((who) => who === null && setMe(null), () => undefined),
      (why) => {
        setSignedOut(why);
        setMe(null);
      },
    );
  }, [feed, store]);
  const signedIn = (who: Me) => {
    setSignedOut(null);
    setMe(who);
  };
  const out = async () => {
    await signOut().catch(() => undefined);
    // Our own sign-out also closes the feed from the server's side: that is not news to show.
    setSignedOut(null);
    setMe(null);
    navigate('/');
  };
  if (me === undefined) return null;
  if (me === null) return <SignIn onSignedIn={signedIn} notice={signedOut} />;
  if (me.role === 'authority') return <AuthorityShell onSignOut={out} />;
  if (!boardRole) return <SignIn onSignedIn={signedIn} />;
  return (
    <BoardStoreContext.Provider value={store}>
      <Shell me={me} onSignOut={out} />
    </BoardStoreContext.Provider>
  );
}
