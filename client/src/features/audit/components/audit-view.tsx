import { useEffect, useMemo, useState } from 'react';
import type { AuditEntry, ListedToken } from '../../../../../provisioning/model/index.js';
import { useI18n } from '../../../lib/i18n.js';
import { ErrorText } from '../../../lib/ui/status-badge.js';
import { auditQuery, fetchAudit, NO_FILTERS, type AuditFilters } from '../api/audit.js';
import { fetchTokens } from '../../access/api/tokens.js';
import { useBoard } from '../../../lib/board-store.js';
import { actorName, AUDIT_ACTION_CODES, auditActionText, collectionText, partsText, roleText, tokenName } from '../../../lib/messages.js';
import { TechnicalDetail } from '../../../lib/ui/technical-detail.js';
import { shelterMatcher } from '../../shelters/shelter-filter.js';
import { When } from '../../../lib/ui/when.js';
import { Parts, useNames } from '../../../lib/ui/worded.js';
import { auditChange } from '../audit-change.js';

const byName = new Intl.Collator('ja');
/** A national event has 22,413 shelters: the choice lists this many at most, narrowed by what is typed beside it. */
const SHELTER_CHOICES = 500;

/** A reason the system wrote in English (three Latin words in a row) is folded away as a technical detail. */
const LATIN_SENTENCE = /[A-Za-z][A-Za-z'’]+(?:[\s,.:;!?()/–—-]+[A-Za-z][A-Za-z'’]+){2,}/;

/** The append-only audit log (admin): paged from the API, not the live feed. */
export function AuditView() {
  const { t, lang } = useI18n();
  const board = useBoard();
  const [items, setItems] = useState<AuditEntry[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [filters, setFilters] = useState<AuditFilters>(NO_FILTERS);
  const [people, setPeople] = useState<ListedToken[]>([]);
  const load = (from: string | null, f: AuditFilters = filters) =>
    fetchAudit(from, f).then((page) => {
      setError(null);
      setItems((prev) => (from ? [...prev, ...page.items] : page.items));
      setCursor(page.nextCursor);
    }, setError);
  useEffect(() => void load(null, filters), [filters]);
  useEffect(() => void fetchTokens(null).then((p) => setPeople(p.items), () => undefined), []);
  // Sorted once per change of the shelters, not on every page of entries (22,413 names in a Nankai event).
  const shelters = useMemo(() => [...board.data.shelters.values()].sort((a, b) => byName.compare(a.name, b.name)), [board.revs.shelters]);
  const [shelterText, setShelterText] = useState('');
  const choices = useMemo(() => {
    const matches = shelterMatcher({ text: shelterText, status: 'all' });
    const found = shelterText ? shelters.filter(matches) : shelters;
    const shown = found.slice(0, SHELTER_CHOICES);
    const chosen = filters.shelterId ? board.data.shelters.get(filters.shelterId) : undefined;
    if (chosen && !shown.includes(chosen)) shown.unshift(chosen);
    return { shown, more: found.length - Math.min(found.length, SHELTER_CHOICES) };
  }, [shelters, shelterText, filters.shelterId]);
  const set = (patch: Partial<AuditFilters>) => setFilters({ ...filters, ...patch });
  const csv = auditQuery(filters);
  csv.set('format', 'csv');
  csv.set('limit', '1000');
  const names = useNames();
  return (
    <section aria-labelledby="audit-h">
      <h1 id="audit-h">{t('audit')}</h1>
      <form className="toolbar row wrap" role="search" aria-label={t('auditFilters')} onSubmit={(e) => e.preventDefault()}>
        <label>
          {t('auditShelterNarrow')}
          <input type="search" name="shelterText" value={shelterText} onChange={(e) => setShelterText(e.target.value)} />
        </label>
        <label>
          {t('shelter')}
          <select name="shelterId" value={filters.shelterId} onChange={(e) => set({ shelterId: e.target.value })}>
            <option value="">{t('all')}</option>
            {choices.shown.map((sh) => <option key={sh.id} value={sh.id}>{sh.name}</option>)}
            {choices.more > 0 && <option disabled value="-">{t('auditShelterMore', { n: choices.more })}</option>}
          </select>
        </label>
        <label>
          {t('who')}
          <select name="actor" value={filters.actor} onChange={(e) => set({ actor: e.target.value })}>
            <option value="">{t('all')}</option>
            <option value="system">{roleText('system', lang)}</option>
            {people.map((p) => <option key={p.id} value={p.id}>{partsText([tokenName(p, lang)])}（{roleText(p.role, lang)}）</option>)}
          </select>
        </label>
        <label>
          {t('action')}
          <select name="action" value={filters.action} onChange={(e) => set({ action: e.target.value })}>
            <option value="">{t('all')}</option>
            {AUDIT_ACTION_CODES.map((a) => <option key={a} value={a}>{auditActionText(a, lang)}</option>)}
          </select>
        </label>
        <label>
          {t('from')}
          <input type="date" name="from" value={filters.fromDay} onChange={(e) => set({ fromDay: e.target.value })} />
        </label>
        <label>
          {t('to')}
          <input type="date" name="to" value={filters.toDay} onChange={(e) => set({ toDay: e.target.value })} />
        </label>
        <button type="button" onClick={() => setFilters(NO_FILTERS)}>{t('clearFilters')}</button>
      </form>
      <p><a className="button" href={`/api/v1/audit?${csv}`} download="audit.csv">{t('exportCsv')}</a></p>
      <ErrorText error={error} />
      <div className="table-wrap">
        <table className="stack">
          <thead><tr><th scope="col">{t('when')}</th><th scope="col">{t('who')}</th><th scope="col">{t('action')}</th><th scope="col">{t('target')}</th><th scope="col">{t('change')}</th><th scope="col">{t('reason')}</th></tr></thead>
          <tbody>
            {items.map((e) => (
              <tr key={e.id}>
                <td data-label={t('when')}><When at={e.at} /></td>
                <td data-label={t('who')}><Parts parts={[actorName(e.actor, lang, names)]} /> <span className="muted small">{roleText(e.actor.role, lang)}</span></td>
                <td data-label={t('action')} data-action={e.action}>{auditActionText(e.action, lang) ?? <code>{e.action}</code>}</td>
                <td data-label={t('target')} className="small" data-entity={e.entity.id}>
                  {collectionText(e.entity.collection, lang)}{' '}
                  <AuditTarget entry={e} />
                  {e.shelterName && <> · <span translate="no">{e.shelterName}</span></>}
                </td>
                <td data-label={t('change')} className="small"><Parts parts={auditChange(e, lang, names)} /></td>
                <td data-label={t('reason')}>{e.reason && (e.actor.role === 'system' || LATIN_SENTENCE.test(e.reason) ? <TechnicalDetail text={e.reason} /> : <span className="pre-wrap" translate="no">{e.reason}</span>)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {cursor && <button type="button" onClick={() => load(cursor)}>{t('more')}</button>}
    </section>
  );
}

/** What an entry is about, by name: a number as people write it, the start-up admin's token in words, else its name or id. */
function AuditTarget({ entry: e }: { entry: AuditEntry }) {
  const { lang } = useI18n();
  const names = useNames();
  if (e.entity.collection === 'numbers' && e.entity.id.startsWith('+')) return <span className="mono tel">{names.number(e.entity.id)}</span>;
  if (e.entity.collection === 'tokens') return <Parts parts={[tokenName({ id: e.entity.id, label: e.entityName ?? e.entity.id }, lang)]} />;
  return e.entityName ? <span translate="no">{e.entityName}</span> : <span className="mono" translate="no">{e.entity.id}</span>;
}
