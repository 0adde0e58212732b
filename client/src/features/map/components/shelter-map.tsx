import { useEffect, useMemo, useState, type ReactNode } from 'react';
import type { BoardShelter } from '../../../../../provisioning/model/index.js';
import { useBoard } from '../../../lib/board-store.js';
import { useI18n } from '../../../lib/i18n.js';
import { nationalNumber } from '../../../lib/format.js';
import { Link, navigate } from '../../../lib/router.js';
import type { MapFocus, MapGeometry, MapPoint } from '../map-geometry.js';
import { markDots, type Mark } from '../cluster-dots.js';

import { MAP_SERVICE_COLOURS as SERVICE_COLOURS, mapServiceOf as serviceOf, type MapService } from '../map-service.js';
const WIDTH = 640;
// MLIT's credit line, required wherever these boundaries are shown (data/SOURCE.md).
const MLIT_CREDIT = '出典：国土交通省「国土数値情報（行政区域データ）」を加工して作成';
/** How many names a counted mark's popup lists (trouble first); the rest are a zoom away. */
const POPUP_NAMES = 8;

type Located = BoardShelter & { lat: number; lon: number };
const prefectureOf = (s: BoardShelter) => s.municipalityCode.slice(0, 2);
const pointOf = (s: Located): MapPoint => ({ lon: s.lon, lat: s.lat, municipalityCode: s.municipalityCode, municipality: s.municipality });

/**
 * Shelters on MLIT's municipal boundaries (offline: static assets of the board, fetched when a map
 * is shown), coloured by service; a dot opens a popup with the published number. At a national
 * scale the dots of one service that share a few pixels are one counted mark (cluster-dots.ts).
 * Geometry (topojson-client, d3-geo) loads with the data, not with the board.
 */
export function ShelterMap({ heading: Heading = 'h1' }: { heading?: 'h1' | 'h2' }) {
  const { t } = useI18n();
  const board = useBoard();
  const [geometry, setGeometry] = useState<MapGeometry | null>(null);
  const [focus, setFocus] = useState<MapFocus>({ kind: 'shelters' });
  const [picked, setPicked] = useState<Mark | null>(null);
  const shelters = useMemo(() => [...board.data.shelters.values()].filter((s): s is Located => s.lat !== null && s.lon !== null), [board.revs.shelters]);
  const prefectures = useMemo(() => [...new Set(shelters.map(prefectureOf))].sort(), [shelters]);
  const national = focus.kind === 'national' || prefectures.length > 1;
  const wanted = prefectures.join(',') + (national ? '+national' : '');
  useEffect(() => {
    if (prefectures.length === 0) return;
    let live = true;
    void import('../load-map-geometry.js').then((m) => m.loadMapGeometry(prefectures, national)).then((g) => live && setGeometry(g));
    return () => void (live = false);
  }, [wanted]);

  const open = useMemo(() => shelters.filter((s) => s.desiredStatus === 'open'), [shelters]);
  const current = focus.kind === 'prefecture' ? focus.code : focus.kind === 'town' ? focus.code.slice(0, 2) : prefectures[0] ?? '';
  // Framed again when the focus or the number of shelters changes, not on every status change (labels are placed per frame).
  const view = useMemo(() => {
    if (!geometry) return null;
    return geometry.frame(focus, (focus.kind === 'shelters' && open.length > 0 ? open : shelters).map(pointOf), WIDTH);
  }, [geometry, focus, shelters.length, open.length]);
  const marks = useMemo(() => {
    if (!view) return [];
    return markDots(shelters.map((s) => {
      const [x, y] = view.project(s.lon, s.lat);
      return { id: s.id, x, y, service: serviceOf(s) };
    }), view);
  }, [view, shelters]);
  if (!geometry || !view) return <p className="muted">{t('connecting')}</p>;

  const chosen = picked?.ids.length === 1 ? board.data.shelters.get(picked.ids[0]!) : undefined;
  const group = picked && picked.ids.length > 1 ? picked.ids.map((id) => board.data.shelters.get(id)).filter((s): s is BoardShelter => !!s) : [];
  const towns = geometry.municipalities.filter((m) => m.properties.code.startsWith(current));
  /** A counted mark is named after the municipality most of its shelters are in. */
  const placeOf = (ids: string[]) => {
    const count = new Map<string, number>();
    for (const id of ids) {
      const s = board.data.shelters.get(id);
      if (s) count.set(s.municipalityCode, (count.get(s.municipalityCode) ?? 0) + 1);
    }
    const code = [...count].sort((a, b) => b[1] - a[1])[0]?.[0] ?? '';
    return { code: code.slice(0, 5), name: board.data.shelters.get(ids.find((id) => board.data.shelters.get(id)?.municipalityCode === code) ?? '')?.municipality ?? code };
  };

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
        <svg viewBox={`0 0 ${view.width} ${view.height}`} role="group" aria-label={t('mapTitle')} data-view={focus.kind} data-shelters-drawn={marks.reduce((n, m) => n + m.ids.length, 0)}>
          <rect width={view.width} height={view.height} className="sea" />
          {view.prefectures.map((p) => (
            <path key={p.code} d={p.d} className={`land prefecture ${p.active ? 'active' : ''}`} data-prefecture={p.code} onClick={() => setFocus({ kind: 'prefecture', code: p.code })} />
          ))}
          {view.municipalities.map((m) => (
            <path key={m.code} d={m.d} className="land" data-municipality={m.code} onClick={() => setFocus({ kind: 'town', code: m.code })} />
          ))}
          {marks.map((m) => {
            if (m.ids.length === 1) {
              const s = board.data.shelters.get(m.ids[0]!);
              if (!s) return null;
              return (
                <a key={m.key} href={`/shelters/${encodeURIComponent(s.id)}`} aria-label={`${s.name}: ${t(`service.${m.service}`)}`} onClick={(e) => (e.preventDefault(), setPicked(m))}>
                  <circle cx={m.x} cy={m.y} r={m.service === 'closed' ? 4 : 7} fill={SERVICE_COLOURS[m.service]} data-status={s.actualStatus} data-service={m.service} className="dot" />
                </a>
              );
            }
            const place = placeOf(m.ids);
            const r = Math.min(14, 5 + Math.log2(m.ids.length) * 1.5);
            return (
              <g key={m.key} role="button" tabIndex={0} aria-label={t('mapCluster', { place: place.name, n: m.ids.length, service: t(`service.${m.service}`) })}
                onClick={() => setPicked(m)} onKeyDown={(e) => (e.key === 'Enter' || e.key === ' ') && (e.preventDefault(), setPicked(m))}>
                <circle cx={m.x} cy={m.y} r={r} fill={SERVICE_COLOURS[m.service]} data-service={m.service} data-count={m.ids.length} className="dot cluster" />
                {m.ids.length >= 10 && <text x={m.x} y={m.y + 3.5} className="count" textAnchor="middle">{m.ids.length >= 1000 ? `${Math.floor(m.ids.length / 1000)}k` : m.ids.length}</text>}
              </g>
            );
          })}
          {/* Names above the dots (they let clicks through): a town full of shelters keeps its name; a moved name has a line back to its place. */}
          {view.labels.map((l) => l.leader && (
            <g key={`leader-${l.code}`} className="leader"><line x1={l.leader.x1} y1={l.leader.y1} x2={l.leader.x2} y2={l.leader.y2} /><circle cx={l.leader.x1} cy={l.leader.y1} r={1.8} /></g>
          ))}
          {view.labels.map((l) => (
            <text key={l.code} x={l.x} y={l.y} className={`place ${l.code.length === 2 ? 'pref' : ''}`} data-label-for={l.code} textAnchor="middle">{l.name}</text>
          ))}
        </svg>
        {picked && (
          <MapPopup at={[(picked.x / view.width) * 100, (picked.y / view.height) * 100]} onClose={() => setPicked(null)} label={chosen?.name ?? t('mapCluster', { place: placeOf(picked.ids).name, n: picked.ids.length, service: t(`service.${picked.service}`) })}>
            {chosen ? (
              <>
                <strong>{chosen.name}</strong>
                <div className="big mono" data-testid="map-popup-number">{chosen.desiredStatus === 'open' && chosen.service?.publishedNumber ? nationalNumber(chosen.service.publishedNumber) : t('shelterStatus.no_line')}</div>
                <div>{t(`service.${serviceOf(chosen)}`)}{chosen.shortCode ? ` · ☎ ${chosen.shortCode}` : ''}</div>
                <Link to={`/shelters/${encodeURIComponent(chosen.id)}`} onClick={() => navigate(`/shelters/${encodeURIComponent(chosen.id)}`)}>{t('mapDetail')}</Link>
              </>
            ) : (
              <>
                <strong>{t('mapCluster', { place: placeOf(picked.ids).name, n: picked.ids.length, service: t(`service.${picked.service}`) })}</strong>
                <ul className="map-group">
                  {group.slice(0, POPUP_NAMES).map((s) => <li key={s.id}><Link to={`/shelters/${encodeURIComponent(s.id)}`}>{s.name}</Link></li>)}
                </ul>
                {group.length > POPUP_NAMES && <p className="small muted">{t('mapMore', { n: group.length - POPUP_NAMES })}</p>}
                <button type="button" onClick={() => (setFocus({ kind: 'town', code: placeOf(picked.ids).code }), setPicked(null))}>{t('mapZoomHere')}</button>
              </>
            )}
          </MapPopup>
        )}
        <p className="map-credit" data-testid="map-credit"><span lang="ja">{MLIT_CREDIT}</span></p>
      </div>
      {view.unlabelled.length > 0 && (
        <div className="map-unlabelled" data-testid="map-unlabelled">
          <p className="small">{t('mapUnlabelled')}</p>
          <ul className="row wrap">
            {view.unlabelled.map((u) => (
              <li key={u.code}><button type="button" className="link" data-unlabelled={u.code} onClick={() => setFocus({ kind: 'town', code: u.code })}>{u.name}</button></li>
            ))}
          </ul>
        </div>
      )}
      <ul className="legend" aria-label={t('legend')}>
        {(Object.keys(SERVICE_COLOURS) as MapService[]).map((k) => (
          <li key={k}><span className="swatch" style={{ background: SERVICE_COLOURS[k] }} />{t(`service.${k}`)}</li>
        ))}
      </ul>
      <p className="muted small">{t('mapSource')}</p>
    </figure>
  );
}

function MapPopup({ at, label, onClose, children }: { at: [number, number]; label: string; onClose(): void; children: ReactNode }) {
  const { t } = useI18n();
  return (
    <div className="map-popup" role="dialog" aria-label={label} data-testid="map-popup" style={{ left: `${at[0]}%`, top: `${at[1]}%` }}>
      <button type="button" className="link close" onClick={onClose} aria-label={t('cancel')}>×</button>
      {children}
    </div>
  );
}
