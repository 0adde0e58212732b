import type { Shelter } from '../../../../../provisioning/model/index.js';
import { useBoard } from '../../../lib/board-store.js';
import { translate } from '../../../lib/i18n.js';
import { nationalNumber } from '../../../lib/format.js';
import { Link, useSearch } from '../../../lib/router.js';
import { QrCode } from '../../../lib/ui/qr-code.js';
import { posterLines } from '../poster-number.js';
import { recordPrints } from '../api/record-print.js';
import { useShelterDetail, useShelterDetails } from '../../shelters/api/shelter-detail.js';
import { PrintButton } from './print-button.js';

const ja = (k: Parameters<typeof translate>[1], p?: Record<string, string>) => translate('ja', k, p);
const en = (k: Parameters<typeof translate>[1], p?: Record<string, string>) => translate('en', k, p);
const printTime = (d: Date) => d.toLocaleString('ja-JP', { timeZone: 'Asia/Tokyo', dateStyle: 'medium', timeStyle: 'short' });

/** One A4 page for the shelter wall: Japanese first whatever the board language, English beneath. */
export function PosterPage({ shelter, printedAt }: { shelter: Pick<Shelter, 'id' | 'name' | 'address' | 'shortCode' | 'service'>; printedAt: Date }) {
  const { main, spares, emergencyCapable } = posterLines(shelter);
  return (
    <article className="poster a4" aria-label={`${ja('posterTitle')} ${shelter.name}`} data-poster={shelter.id}>
      <header>
        <p className="poster-kicker">{ja('posterTitle')} <span lang="en">{en('posterTitle')}</span></p>
        <h1>{shelter.name}</h1>
        <p className="poster-address">{shelter.address}</p>
      </header>
      <p className="poster-lead">{ja('posterCallUs')} <span lang="en">/ {en('posterCallUs')}</span></p>
      <p className={main ? 'poster-number tel' : 'poster-number'} data-testid="poster-number">{main ? nationalNumber(main) : ja('posterNoLine')}</p>
      {spares.length > 0 && (
        <p className="poster-second" data-testid="poster-spares">{ja('posterSpare')} <span lang="en" className="small">({en('posterSpare')})</span>: {spares.map((n, i) => <span key={n}>{i > 0 && ' / '}<span className="tel">{nationalNumber(n)}</span></span>)}</p>
      )}
      {shelter.shortCode && (
        <p className="poster-short">{ja('posterShortCode')}: <strong>{shelter.shortCode}</strong> <span lang="en">({en('posterShortCode')})</span></p>
      )}
      <p className="poster-directory small" data-testid="poster-directory">{ja('posterDirectory')} <span lang="en">/ {en('posterDirectory')}</span></p>
      <section className={`poster-emergency ${emergencyCapable ? 'ok' : 'no'}`} data-testid="poster-emergency" data-emergency={emergencyCapable ? 'yes' : 'no'}>
        <h2>{ja('posterEmergency')}</h2>
        {emergencyCapable ? (
          <>
            <p>{ja('posterEmergencyOk')}</p>
            <p lang="en" className="small">{en('posterEmergencyOk')}</p>
          </>
        ) : (
          <>
            <p><strong>{ja('posterEmergencyNo')}</strong></p>
            <p>{ja('posterEmergencyGo')}</p>
            <p lang="en" className="small">{en('posterEmergencyNo')} {en('posterEmergencyGo')}</p>
          </>
        )}
      </section>
      <p className="poster-171">{ja('poster171')}<br /><span lang="en" className="small">{en('poster171')}</span></p>
      {/* Side by side: the small print beside the QR keeps the no-emergency poster on one A4 sheet. */}
      <div className="poster-foot-row">
        <p className="poster-special small" data-testid="poster-special">{ja('posterSpecial')}<br /><span lang="en">{en('posterSpecial')}</span></p>
        {main && (
          <figure className="poster-qr">
            <QrCode text={`tel:${main}`} label={ja('posterQr')} size={110} />
            <figcaption>{ja('posterQr')}<br /><span lang="en" className="small">{en('posterQr')}</span></figcaption>
          </figure>
        )}
      </div>
      <footer>
        {ja('posterFooter')} · <span data-testid="poster-printed">{ja('posterPrinted', { when: printTime(printedAt) })}</span>
      </footer>
    </article>
  );
}

export function ShelterPoster({ id }: { id: string }) {
  const board = useBoard();
  // The lines to print are read with the shelter, again whenever the board says it changed.
  const shelter = useShelterDetail(board.data.shelters.has(id) ? id : null, board.shelterRev(id));
  if (!board.data.shelters.has(id)) return <p role="alert">{board.status === 'live' ? ja('notFound') : ja('connecting')}</p>;
  if (!shelter) return <p className="muted">{ja('connecting')}</p>;
  return (
    <>
      <div className="no-print row">
        <Link to={`/shelters/${encodeURIComponent(id)}`}>← {ja('back')}</Link>
        <PrintButton record={() => recordPrints({ shelterIds: [id] })} />
      </div>
      <PosterPage shelter={shelter} printedAt={new Date()} />
    </>
  );
}

/** Many posters in one document, one A4 page each: `/print/posters?ids=a,b` or `?outdated=1`. */
export function PosterBatch() {
  const board = useBoard();
  const params = new URLSearchParams(useSearch());
  const wanted = params.get('outdated')
    ? [...board.data.shelters.values()].filter((s) => s.desiredStatus === 'open' && s.lastPrint?.outOfDate).map((s) => s.id)
    : (params.get('ids') ?? '').split(',').filter(Boolean);
  const known = wanted.filter((id) => board.data.shelters.get(id)?.service);
  const details = useShelterDetails(known, board.shelterRev);
  const shelters = known.map((id) => details.get(id)).filter((s): s is NonNullable<typeof s> => !!s && !!s.service);
  const now = new Date();
  return (
    <>
      <div className="no-print row">
        <Link to="/shelters">← {ja('back')}</Link>
        {shelters.length > 0 && <PrintButton record={() => recordPrints({ shelterIds: shelters.map((s) => s.id) })} />}
        <span className="muted">{shelters.length}</span>
      </div>
      {shelters.map((s) => <PosterPage key={s.id} shelter={s} printedAt={now} />)}
    </>
  );
}
