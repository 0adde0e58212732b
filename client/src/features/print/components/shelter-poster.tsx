import { useBoard } from '../../../lib/board-store.js';
import { translate } from '../../../lib/i18n.js';
import { nationalNumber } from '../../../lib/format.js';
import { Link } from '../../../lib/router.js';
import { QrCode } from '../../../lib/ui/qr-code.js';
import { posterNumbers } from '../poster-number.js';

const ja = (k: Parameters<typeof translate>[1]) => translate('ja', k);
const en = (k: Parameters<typeof translate>[1]) => translate('en', k);

/** An A4 poster for the shelter wall: Japanese first whatever the board language, English beneath. */
export function ShelterPoster({ id }: { id: string }) {
  const board = useBoard();
  const shelter = board.data.shelters.get(id);
  if (!shelter) return <p role="alert">{ja('notFound')}</p>;
  const numbers = posterNumbers([...board.data.numbers.values()].filter((n) => n.shelterId === id));
  const main = numbers[0];
  return (
    <>
      <div className="no-print row">
        <Link to={`/shelters/${encodeURIComponent(id)}`}>← {ja('back')}</Link>
        <button type="button" className="primary" onClick={() => window.print()}>{ja('print')} / {en('print')}</button>
      </div>
      <article className="poster a4" aria-label={ja('posterTitle')} data-poster={id}>
        <header>
          <p className="poster-kicker">{ja('posterTitle')} <span lang="en">{en('posterTitle')}</span></p>
          <h1>{shelter.name}</h1>
        </header>
        <p className="poster-lead">{ja('posterCallUs')} <span lang="en">/ {en('posterCallUs')}</span></p>
        <p className="poster-number" data-testid="poster-number">{main ? nationalNumber(main.e164) : '— 準備中 —'}</p>
        {numbers.slice(1).map((n) => <p key={n.id} className="poster-second">{nationalNumber(n.e164)}</p>)}
        {shelter.shortCode && (
          <p className="poster-short">{ja('posterShortCode')}: <strong>{shelter.shortCode}</strong> <span lang="en">({en('posterShortCode')})</span></p>
        )}
        <section className="poster-emergency">
          <h2>{ja('posterEmergency')}</h2>
          <p>{main?.emergencyCapable ? ja('posterEmergencyOk') : ja('posterEmergencyNo')}</p>
          <p lang="en" className="small">{main?.emergencyCapable ? en('posterEmergencyOk') : en('posterEmergencyNo')}</p>
        </section>
        {main && (
          <figure className="poster-qr">
            <QrCode text={`tel:${main.e164}`} label={ja('posterQr')} size={200} />
            <figcaption>{ja('posterQr')}<br /><span lang="en" className="small">{en('posterQr')}</span></figcaption>
          </figure>
        )}
        <footer>{ja('posterFooter')}</footer>
      </article>
    </>
  );
}
