import { useEffect, useState } from 'react';
import { useBoard } from '../board-store.js';
import { useI18n } from '../i18n.js';

/** Says, large and at the top, that the board is not live: since when the data is, and that actions wait. */
export function ConnectionBanner() {
  const { t, lang } = useI18n();
  const board = useBoard();
  const [now, setNow] = useState(() => Date.now());
  const stale = board.staleSince;
  useEffect(() => {
    if (stale === null) return;
    // The age on screen counts up while the outage lasts.
    const tick = setInterval(() => setNow(Date.now()), 1_000);
    return () => clearInterval(tick);
  }, [stale]);
  if (stale === null || board.status === 'live') return null;
  const seconds = Math.max(0, Math.round((now - stale) / 1_000));
  const age = seconds < 90 ? t('ageSeconds', { n: seconds }) : t('ageMinutes', { n: Math.round(seconds / 60) });
  const at = new Date(stale).toLocaleTimeString(lang === 'ja' ? 'ja-JP' : 'en-GB', { timeZone: 'Asia/Tokyo', hour: '2-digit', minute: '2-digit', second: '2-digit' });
  return (
    <div className="offline-banner no-print" role="alert" data-testid="offline-banner">
      <strong>{t('offlineTitle')}</strong>
      <span data-testid="data-age">{t('offlineDataAge', { at, age })}</span>
      <span>{t('offlineActions')}</span>
    </div>
  );
}
