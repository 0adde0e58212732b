import { useMemo } from 'react';
import { useBoard } from '../../../lib/board-store.js';
import { translate } from '../../../lib/i18n.js';
import { nationalNumber } from '../../../lib/format.js';
import { Link } from '../../../lib/router.js';
import { posterLines } from '../poster-number.js';
import { useOpenSheltersOf } from '../../shelters/api/shelter-detail.js';
import { recordPrints } from '../api/record-print.js';
import { PrintButton } from './print-button.js';

/** The printed phone directory of one municipality's open shelters, sorted by kana. */
export function MunicipalityDirectory({ code }: { code: string }) {
  const board = useBoard();
  // The board holds each shelter's summary; the lines to print are read with the municipality's open shelters, again whenever a summary changes.
  const signature = useMemo(() => {
    const parts: string[] = [];
    for (const s of board.data.shelters.values()) {
      if (s.municipalityCode === code && s.desiredStatus === 'open') parts.push(`${s.id}:${s.service?.publishedNumber}:${s.service?.workingLines}:${s.service?.emergencyCapable}`);
    }
    return parts.sort().join(',');
  }, [board.revs.shelters, code]);
  const open = useOpenSheltersOf(code, signature);
  const rows = useMemo(
    () => (open ?? []).map((s) => ({ s, lines: posterLines(s) })).sort((a, b) => (a.s.kana ?? a.s.name).localeCompare(b.s.kana ?? b.s.name, 'ja')),
    [open],
  );
  const name = rows[0]?.s.municipality ?? code;
  return (
    <>
      <div className="no-print row">
        <Link to="/shelters">← {translate('ja', 'back')}</Link>
        {rows.length > 0 && <PrintButton record={() => recordPrints({ municipalityCode: code })} />}
      </div>
      <article className="directory a4">
        <h1>{translate('ja', 'directoryTitle', { m: name })}</h1>
        <p className="small">{new Date().toLocaleString('ja-JP', { timeZone: 'Asia/Tokyo' })}</p>
        <table>
          <thead><tr><th scope="col">{translate('ja', 'name')}</th><th scope="col">{translate('ja', 'phoneNumbers')}</th><th scope="col">{translate('ja', 'shortCode')}</th><th scope="col">{translate('ja', 'address')}</th></tr></thead>
          <tbody>
            {rows.map(({ s, lines }) => (
              <tr key={s.id} data-directory-row={s.id}>
                <td>{s.name}</td>
                <td className="mono">
                  {lines.main ? <strong className="nowrap">{nationalNumber(lines.main)}</strong> : translate('ja', 'directoryNoLine')}
                  {lines.spares.length > 0 && <span className="small">（{translate('ja', 'posterSpare')}: {lines.spares.map((n, i) => <span key={n}>{i > 0 && ' / '}<span className="nowrap">{nationalNumber(n)}</span></span>)}）</span>}
                  {lines.main && !lines.emergencyCapable && translate('ja', 'directoryNoEmergency')}
                </td>
                <td className="mono">{s.shortCode ?? ''}</td>
                <td className="small">{s.address}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <p className="small">{translate('ja', 'directoryNoEmergencyNote')}</p>
      </article>
    </>
  );
}
