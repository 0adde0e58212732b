import { useMemo, useState } from 'react';
import { useBoard } from '../../../lib/board-store.js';
import { useI18n } from '../../../lib/i18n.js';
import { navigate } from '../../../lib/router.js';
import { NOTO_OUTLINE } from '../noto-outline.js';
import { fitBox, projector } from '../projection.js';

const STATUS_COLOURS = { open: '#1a7f37', opening: '#bf8700', degraded: '#e36209', closing: '#8250df', error: '#cf222e', no_line: '#a40e26', closed: '#8c959f' } as const;
const WIDTH = 640;

/** Shelters on a base map shipped with the app, coloured by status; each dot is a keyboard-reachable link. */
export function ShelterMap({ heading: Heading = 'h1' }: { heading?: 'h1' | 'h2' }) {
  const { t } = useI18n();
  const board = useBoard();
  const [whole, setWhole] = useState(false);
  const shelters = useMemo(() => [...board.data.shelters.values()].filter((s) => s.lat !== null && s.lon !== null), [board.rev]);
  const view = useMemo(() => {
    const pts: Array<[number, number]> = whole || shelters.length === 0
      ? NOTO_OUTLINE.features.filter((f) => f.properties.kind === 'land').flatMap((f) => f.geometry.coordinates[0]!.map((c) => [c[0]!, c[1]!] as [number, number]))
      : shelters.map((s) => [s.lon!, s.lat!]);
    return projector(fitBox(pts), WIDTH);
  }, [whole, shelters.length]);
  const path = (ring: number[][]) => ring.map((c, i) => `${i ? 'L' : 'M'}${view.project(c[0]!, c[1]!).map((v) => v.toFixed(1)).join(' ')}`).join('') + 'Z';
  // Open shelters are drawn last so they sit on top of closed neighbours.
  const ordered = [...shelters].sort((a, b) => Number(a.actualStatus !== 'closed') - Number(b.actualStatus !== 'closed'));

  return (
    <figure className="card map">
      <figcaption className="row space wrap">
        <Heading>{t('mapTitle')}</Heading>
        <button type="button" onClick={() => setWhole(!whole)} aria-pressed={whole}>{whole ? '七尾市 / Nanao' : '能登 / Noto'}</button>
      </figcaption>
      <svg viewBox={`0 0 ${view.width} ${view.height.toFixed(0)}`} role="group" aria-label={t('mapTitle')}>
        <rect width={view.width} height={view.height} className="sea" />
        {NOTO_OUTLINE.features.map((f) => (
          <path key={f.properties.nameEn} d={path(f.geometry.coordinates[0]!)} className={f.properties.kind}>
            <title>{f.properties.name}</title>
          </path>
        ))}
        {ordered.map((s) => {
          const [x, y] = view.project(s.lon!, s.lat!);
          return (
            <a
              key={s.id}
              href={`/shelters/${encodeURIComponent(s.id)}`}
              aria-label={`${s.name}: ${t(`st.${s.actualStatus}`)}`}
              onClick={(e) => (e.preventDefault(), navigate(`/shelters/${encodeURIComponent(s.id)}`))}
            >
              <circle cx={x} cy={y} r={s.actualStatus === 'closed' ? 4 : 7} fill={STATUS_COLOURS[s.actualStatus]} data-status={s.actualStatus} className="dot">
                <title>{`${s.name} — ${t(`st.${s.actualStatus}`)}${s.shortCode ? ` ☎${s.shortCode}` : ''}`}</title>
              </circle>
            </a>
          );
        })}
      </svg>
      <ul className="legend" aria-label={t('legend')}>
        {Object.entries(STATUS_COLOURS).map(([k, c]) => (
          <li key={k}><span className="swatch" style={{ background: c }} />{t(`st.${k as keyof typeof STATUS_COLOURS}`)}</li>
        ))}
      </ul>
      <p className="muted small">{t('mapSource')}</p>
    </figure>
  );
}
