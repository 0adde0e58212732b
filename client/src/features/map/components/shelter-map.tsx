import { useEffect, useMemo, useState } from 'react';
import type { Shelter } from '../../../../../provisioning/model/index.js';
import { useBoard } from '../../../lib/board-store.js';
import { useI18n } from '../../../lib/i18n.js';
import { nationalNumber } from '../../../lib/format.js';
import { Link, navigate } from '../../../lib/router.js';
import { fitBox, projector, type Box } from '../projection.js';
import { loadMunicipalities, MLIT_CREDIT, type Municipality } from '../municipalities.js';

/** Service as a person reads the map: a working line, some lines down, no line, or not open. */
type Service = 'working' | 'degraded' | 'no_line' | 'closed';
const SERVICE_COLOURS: Record<Service, string> = { working: '#1a7f37', degraded: '#e36209', no_line: '#a40e26', closed: '#8c959f' };
const serviceOf = (s: Shelter): Service =>
  s.desiredStatus !== 'open' ? 'closed' : s.actualStatus === 'no_line' || s.actualStatus === 'error' ? 'no_line' : s.actualStatus === 'open' ? 'working' : 'degraded';
const WIDTH = 640;

/** Shelters on the municipal boundaries shipped with the board (offline), coloured by service; a dot opens a popup. */
export function ShelterMap({ heading: Heading = 'h1' }: { heading?: 'h1' | 'h2' }) {
  const { t } = useI18n();
  const board = useBoard();
  const [places, setPlaces] = useState<Municipality[]>([]);
  const [focus, setFocus] = useState<'shelters' | 'prefecture' | string>('shelters');
  const [picked, setPicked] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    void loadMunicipalities().then((m) => live && setPlaces(m));
    return () => void (live = false);
  }, []);
  const shelters = useMemo(() => [...board.data.shelters.values()].filter((s) => s.lat !== null && s.lon !== null), [board.rev]);
  const open = shelters.filter((s) => s.desiredStatus === 'open');
  const box: Box | null = useMemo(() => {
    const town = places.find((p) => p.code === focus);
    if (town) return town.box;
    const pts: Array<[number, number]> =
      focus === 'prefecture' || shelters.length === 0
        ? places.flatMap((p) => p.rings.flat())
        : (open.length > 0 ? open : shelters).map((s) => [s.lon!, s.lat!]);
    return pts.length > 0 ? fitBox(pts) : null;
  }, [focus, places, shelters.length, open.length]);
  if (!box) return <p className="muted">{t('connecting')}</p>;
  const view = projector(box, WIDTH);
  const path = (rings: Array<Array<[number, number]>>) => rings.map((ring) => ring.map(([x, y], i) => `${i ? 'L' : 'M'}${view.project(x, y).map((v) => v.toFixed(1)).join(' ')}`).join('') + 'Z').join('');
  const ordered = [...shelters].sort((a, b) => Number(serviceOf(a) !== 'closed') - Number(serviceOf(b) !== 'closed'));
  const chosen = picked ? board.data.shelters.get(picked) : undefined;
  const at = chosen && chosen.lon !== null && chosen.lat !== null ? view.project(chosen.lon, chosen.lat) : null;

  return (
    <figure className="card map">
      <figcaption className="row space wrap">
        <Heading>{t('mapTitle')}</Heading>
        <div className="row wrap" role="group" aria-label={t('mapZoom')}>
          <button type="button" onClick={() => setFocus('prefecture')} aria-pressed={focus === 'prefecture'}>{t('mapPrefecture')}</button>
          <button type="button" onClick={() => setFocus('shelters')} aria-pressed={focus === 'shelters'}>{t('mapOpenShelters')}</button>
          <label className="inline">
            <span className="sr-only">{t('municipality')}</span>
            <select value={places.some((p) => p.code === focus) ? focus : ''} onChange={(e) => e.target.value && setFocus(e.target.value)} data-testid="map-town">
              <option value="">{t('mapTown')}</option>
              {places.map((p) => <option key={p.code} value={p.code}>{p.name}</option>)}
            </select>
          </label>
        </div>
      </figcaption>
      <div className="map-frame">
        <svg viewBox={`0 0 ${view.width} ${view.height.toFixed(0)}`} role="group" aria-label={t('mapTitle')}>
          <rect width={view.width} height={view.height} className="sea" />
          {places.map((p) => (
            <path key={p.code} d={path(p.rings)} className="land" data-municipality={p.code} onClick={() => setFocus(p.code)} />
          ))}
          {places.map((p) => {
            const [x, y] = view.project(p.label[0], p.label[1]);
            return <text key={p.code} x={x} y={y} className="place" data-label-for={p.code} textAnchor="middle">{p.name}</text>;
          })}
          {ordered.map((s) => {
            const [x, y] = view.project(s.lon!, s.lat!);
            const service = serviceOf(s);
            return (
              <a
                key={s.id}
                href={`/shelters/${encodeURIComponent(s.id)}`}
                aria-label={`${s.name}: ${t(`svc.${service}`)}`}
                onClick={(e) => (e.preventDefault(), setPicked(s.id))}
              >
                <circle cx={x} cy={y} r={service === 'closed' ? 4 : 7} fill={SERVICE_COLOURS[service]} data-status={s.actualStatus} data-service={service} className="dot" />
              </a>
            );
          })}
        </svg>
        {chosen && at && (
          <div className="map-popup" role="dialog" aria-label={chosen.name} data-testid="map-popup" style={{ left: `${(at[0] / view.width) * 100}%`, top: `${(at[1] / view.height) * 100}%` }}>
            <button type="button" className="link close" onClick={() => setPicked(null)} aria-label={t('cancel')}>×</button>
            <strong>{chosen.name}</strong>
            <div className="big mono" data-testid="map-popup-number">{chosen.desiredStatus === 'open' && chosen.service?.publishedNumber ? nationalNumber(chosen.service.publishedNumber) : t('st.no_line')}</div>
            <div>{t(`svc.${serviceOf(chosen)}`)}{chosen.shortCode ? ` · ☎ ${chosen.shortCode}` : ''}</div>
            <Link to={`/shelters/${encodeURIComponent(chosen.id)}`} onClick={() => navigate(`/shelters/${encodeURIComponent(chosen.id)}`)}>{t('mapDetail')}</Link>
          </div>
        )}
      </div>
      <ul className="legend" aria-label={t('legend')}>
        {(Object.keys(SERVICE_COLOURS) as Service[]).map((k) => (
          <li key={k}><span className="swatch" style={{ background: SERVICE_COLOURS[k] }} />{t(`svc.${k}`)}</li>
        ))}
      </ul>
      <p className="muted small" data-testid="map-credit"><span lang="ja">{MLIT_CREDIT}</span> {t('mapSource')}</p>
    </figure>
  );
}
