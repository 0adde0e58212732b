import { useMemo } from 'react';
import { useBoard } from '../../../lib/board-store.js';
import { useI18n } from '../../../lib/i18n.js';
import { nationalNumber } from '../../../lib/format.js';
import { useDraft } from '../../../lib/use-draft.js';
import { Link } from '../../../lib/router.js';
import { canSuspend } from '../../auth/api/session.js';
import { numberKindText } from '../../../lib/messages.js';
import { SuspendForm } from './suspend-form.js';
import { useVirtualRows } from '../../../lib/ui/virtual-rows.js';

const STATES = ['all', 'available', 'reserved', 'in_service', 'releasing', 'aging', 'suspended', 'withdrawn', 'error'] as const;

export function NumbersView() {
  const { t, lang } = useI18n();
  const board = useBoard();
  const [f, setF] = useDraft('numbers-filter', { state: 'all', text: '' });
  // Sorted once per change of the numbers (E.164 ids sort as plain strings); each keystroke only filters.
  const sorted = useMemo(() => [...board.data.numbers.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)), [board.revs.numbers]);
  // Digits as typed, whatever the hyphens or width (０７６７-５２ finds +81767520959): no number is formatted per keystroke.
  const digits = f.text.normalize('NFKC').replace(/\D/g, '');
  // Every matching number, only those in sight in the page (it stopped at 1,000 before).
  const rows = useMemo(() => sorted.filter((n) => (f.state === 'all' || n.state === f.state) && (!digits || `0${n.id.slice(3)}`.includes(digits) || n.id.slice(1).includes(digits))), [sorted, f.state, digits]);
  const { bodyRef, shown, above, below, measure } = useVirtualRows(rows.length, (i) => rows[i]!.id);
  return (
    <section aria-labelledby="numbers-h">
      <h1 id="numbers-h">{t('numbers')}</h1>
      {canSuspend(board.role) && <SuspendForm />}
      <div className="toolbar" role="search">
        <label>{t('search')}<input type="search" value={f.text} onChange={(e) => setF({ ...f, text: e.target.value })} /></label>
        <label>{t('state')}<select value={f.state} onChange={(e) => setF({ ...f, state: e.target.value })}>{STATES.map((s) => <option key={s} value={s}>{s === 'all' ? t('all') : t(`numberState.${s}`)}</option>)}</select></label>
        <span className="muted">{rows.length}</span>
      </div>
      <div className="table-wrap">
        <table className="stack" aria-rowcount={rows.length + 1}>
          <thead><tr aria-rowindex={1}><th scope="col">{t('number')}</th><th scope="col">{t('kind')}</th><th scope="col">{t('carrier')}</th><th scope="col">{t('state')}</th><th scope="col">{t('shelter')}</th><th scope="col">{t('emergencyCapable')}</th></tr></thead>
          <tbody ref={bodyRef}>
            {above > 0 && <tr className="spacer" aria-hidden="true"><td colSpan={6} style={{ height: above }} /></tr>}
            {shown.map((row) => {
              const n = rows[row.index]!;
              return (
                <tr key={n.id} data-index={row.index} ref={measure} aria-rowindex={row.index + 2}>
                  <td className="mono tel" data-label={t('number')}>{nationalNumber(n.id)}</td>
                  <td data-label={t('kind')} data-number-kind={n.kind}>{numberKindText(n.kind, lang)}</td>
                  <td data-label={t('carrier')} translate="no">{board.data.carriers.get(n.carrierId)?.name ?? n.carrierId}</td>
                  <td data-label={t('state')}><span className={`badge ns-${n.state}`}>{t(`numberState.${n.state}`)}</span></td>
                  <td data-label={t('shelter')}>{n.shelterId ? <Link to={`/shelters/${encodeURIComponent(n.shelterId)}`}>{board.data.shelters.get(n.shelterId)?.name ?? n.shelterId}</Link> : '—'}</td>
                  <td data-label={t('emergencyCapable')}>{n.emergencyCapable ? '✓' : '—'}</td>
                </tr>
              );
            })}
            {below > 0 && <tr className="spacer" aria-hidden="true"><td colSpan={6} style={{ height: below }} /></tr>}
          </tbody>
        </table>
      </div>
    </section>
  );
}
