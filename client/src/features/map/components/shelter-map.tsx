import { useEffect, useMemo, useState } from 'react';
import type { Shelter } from '../../../../../provisioning/model/index.js';
import { useBoard } from '../../../lib/board-store.js';
import { useI18n } from '../../../lib/i18n.js';
import { nationalNumber } from '../../../lib/format.js';
import { Link, navigate } from '../../../lib/router.js';
import type { MapGeometry } from '../map-geometry.js';

/** Service as a person reads the map: a working line, some lines down, no line, or not open. */
type Service = 'working' | 'degraded' | 'no_line' | 'closed';
const SERVICE_COLOURS: Record<Service, string> = { working: '#1a7f37', degraded: '#e36209', no_line: '#a40e26', closed: '#8c959f' };
const serviceOf = (s: Shelter): Service =>
  s.desiredStatus !== 'open' ? 'closed' : s.actualStatus === 'no_line' || s.actualStatus === 'error' ? 'no_line' : s.actualStatus === 'open' ? 'working' : 'degraded';
const WIDTH = 640;
// MLIT's credit line, required wherever these boundaries are shown (data/SOURCE.md).
const MLIT_CREDIT = '出典：国土交通省「国土数値情報（行政区域データ）」を加工して作成';

/** What the map frames: every prefecture with shelters, one prefecture, one town, or the shelters themselves. */
type Focus = { kind: 'national' } | { kind: 'prefecture'; code: string } | { kind: 'town'; code: string } | { kind: 'shelters' };
const prefectureOf = (s: Shelter) => s.municipalityCode.slice(0, 2);

/**
 * Shelters on MLIT's municipal boundaries (offline: static assets of the board, fetched when a map
 * is shown), coloured by service; a dot opens a popup with the published number. Geometry
 * (topojson-client, d3-geo) loads with the data, not with the board.
 */
export function ShelterMap({ heading: Heading = 'h1' }: { heading?: 'h1' | 'h2' }) {
  const { t } = useI18n();
  const board = useBoard();
  const [geometry, setGeometry] = useState<MapGeometry | null>(null);
  const [focus, setFocus] = useState<Focus>({ kind: 'shelters' });
  const [picked, setPicked] = useState<string | null>(null);
  const shelters = useMemo(() => [...board.data.shelters.values()].filter((s) => s.lat !== null && s.lon !== null), [board.rev]);
  const prefectures = useMemo(() => [...new Set(shelters.map(prefectureOf))].sort(), [shelters]);
  const national = focus.kind === 'national' || prefectures.length > 1;
  const wanted = prefectures.join(',') + (national ? '+national' : '');
  useEffect(() => {
    if (prefectures.length === 0) return;
    let live = true;
    void import('../map-geometry.js').then((m) => m.loadMapGeometry(prefectures, national)).then((g) => live && setGeometry(g));
    return () => void (live = false);
  }, [wanted]);

  const open = shelters.filter((s) => s.desiredStatus === 'open');
  const current = focus.kind === 'prefecture' ? focus.code : focus.kind === 'town' ? focus.code.slice(0, 2) : prefectures[0] ?? '';
  const view = useMemo(() => {
    if (!geometry) return null;
    const points = (focus.kind === 'shelters' && open.length > 0 ? open : shelters).map((s) => [s.lon!, s.lat!] as [number, number]);
    return geometry.frame(focus, points, WIDTH);
  }, [geometry, focus, shelters.length, open.length]);
  if (!geometry || !view) return <p className="muted">{t('connecting')}</p>;

  const ordered = [...shelters].sort((a, b) => Number(serviceOf(a) !== 'closed') - Number(serviceOf(b) !== 'closed'));
  const chosen = picked ? board.data.shelters.get(picked) : undefined;
  const at = chosen && chosen.lon !== null && chosen.lat !== null ? view.project(chosen.lon, chosen.lat) : null;
  const towns = geometry.municipalities.filter((m) => m.properties.code.startsWith(current));

  return (
    <figure className="card map">
      <figcaption className="row space wrap">
        <Heading>{t('mapTitle')}</Heading>
        <div className="row wrap" role="group" aria-label={t('mapZoom')}>
          <button type="button" onClick={() => setFocus({ kind: 'national' })} aria-pressed={focus.kind === 'national'}>{t('mapNational')}</button>
          {prefectures.length > 1 && (
            <label className="inline">
              <span className="sr-only">{t('mapPrefectureChoice')}</span>
              <select value={focus.kind === 'prefecture' ? focus.code : ''} onChange={(e) => e.target.value && setFocus({ kind: 'prefecture', code: e.target.value })} data-testid="map-prefecture">
                <option value="">{t('mapPrefectureChoice')}</option>
                {prefectures.map((p) => <option key={p} value={p}>{geometry.prefectureName(p)}</option>)}
              </select>
            </label>
          )}
          <button type="button" onClick={() => setFocus({ kind: 'prefecture', code: current })} aria-pressed={focus.kind === 'prefecture'}>{t('mapPrefecture')}</button>
          <button type="button" onClick={() => setFocus({ kind: 'shelters' })} aria-pressed={focus.kind === 'shelters'}>{t('mapOpenShelters')}</button>
          <label className="inline">
            <span className="sr-only">{t('municipality')}</span>
            <select value={focus.kind === 'town' ? focus.code : ''} onChange={(e) => e.target.value && setFocus({ kind: 'town', code: e.target.value })} data-testid="map-town">
              <option value="">{t('mapTown')}</option>
              {towns.map((p) => <option key={p.properties.code} value={p.properties.code}>{p.properties.name}</option>)}
            </select>
          </label>
        </div>
      </figcaption>
      <div className="map-frame">
        <svg viewBox={`0 0 ${view.width} ${view.height}`} role="group" aria-label={t('mapTitle')} data-view={focus.kind}>
          <rect width={view.width} height={view.height} className="sea" />
          {view.prefectures.map((p) => (
            <path key={p.code} d={p.d} className={`land prefecture ${p.active ? 'active' : ''}`} data-prefecture={p.code} onClick={() => setFocus({ kind: 'prefecture', code: p.code })} />
          ))}
          {view.municipalities.map((m) => (
            <path key={m.code} d={m.d} className="land" data-municipality={m.code} onClick={() => setFocus({ kind: 'town', code: m.code })} />
          ))}
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
          {/* Names above the dots (they let clicks through): a town full of shelters keeps its name. */}
          {view.labels.map((l) => (
            <text key={l.code} x={l.x} y={l.y} className={`place ${l.code.length === 2 ? 'pref' : ''}`} data-label-for={l.code} textAnchor="middle">{l.name}</text>
          ))}
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
        <p className="map-credit" data-testid="map-credit"><span lang="ja">{MLIT_CREDIT}</span></p>
      </div>
      <ul className="legend" aria-label={t('legend')}>
        {(Object.keys(SERVICE_COLOURS) as Service[]).map((k) => (
          <li key={k}><span className="swatch" style={{ background: SERVICE_COLOURS[k] }} />{t(`svc.${k}`)}</li>
        ))}
      </ul>
      <p className="muted small">{t('mapSource')}</p>
    </figure>
  );
}
