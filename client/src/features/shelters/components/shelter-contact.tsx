import { useEffect, useState } from 'react';
import type { BoardShelter } from '../../../../../provisioning/model/index.js';
import { useActionsEnabled, useBoard } from '../../../lib/board-store.js';
import { useI18n, type MessageKey } from '../../../lib/i18n.js';
import { ageOf, dateTime } from '../../../lib/format.js';
import { ErrorText } from '../../../lib/ui/status-badge.js';
import { useAction } from '../../../lib/ui/use-action.js';
import { canAct } from '../../auth/api/session.js';
import { recordCheckIn, updateShelterContact } from '../api/shelter-contact.js';

const AGE_KEYS: Record<ReturnType<typeof ageOf>['unit'], MessageKey> = { justNow: 'ageJustNow', minutes: 'ageMinutes', hours: 'ageHours', days: 'ageDays' };

/** Re-renders every 30 s so an age on screen never freezes. */
function useTick(ms = 30_000): void {
  const [, setTick] = useState(0);
  useEffect(() => {
    const id = setInterval(() => setTick((n) => n + 1), ms);
    return () => clearInterval(id);
  }, [ms]);
}

/** Who to call at the shelter, free notes, and when a coordinator last checked in (its age on the server's clock). */
export function ShelterContact({ shelter }: { shelter: BoardShelter }) {
  const { t, lang } = useI18n();
  const board = useBoard();
  const enabled = useActionsEnabled();
  const editable = canAct(board.role);
  useTick();
  const stored = { contactName: shelter.contactName ?? '', contactPhone: shelter.contactPhone ?? '', notes: shelter.notes ?? '' };
  const [draft, setDraftState] = useState(stored);
  const [dirty, setDirty] = useState(false);
  const setDraft = (next: typeof stored) => {
    setDraftState(next);
    setDirty(true);
  };
  // Someone else's change shows at once unless this coordinator is typing.
  useEffect(() => {
    if (!dirty) setDraftState(stored);
  }, [shelter.contactName, shelter.contactPhone, shelter.notes]);
  const action = useAction();
  const { busy, error } = action;
  const [saved, setSaved] = useState(false);
  const checkIn = shelter.lastCheckIn ?? null;
  const age = checkIn ? ageOf(Date.now() + board.clockOffsetMs - Date.parse(checkIn.at)) : null;

  const run = (call: () => Promise<unknown>, after?: () => void) => {
    setSaved(false);
    return action.run(async () => {
      await call();
      after?.();
    });
  };

  return (
    <section aria-labelledby="contact-h" data-testid="shelter-contact">
      <h2 id="contact-h">{t('contactSection')}</h2>
      <dl className="facts">
        <div>
          <dt>{t('lastCheckIn')}</dt>
          <dd data-testid="last-check-in" data-at={checkIn?.at ?? ''}>
            {checkIn && age ? (
              <time dateTime={checkIn.at} title={dateTime(checkIn.at, lang)}>{t('checkInBy', { age: t(AGE_KEYS[age.unit], { n: age.n }), by: checkIn.by })}</time>
            ) : t('noCheckIn')}
            {editable && (
              <> <button type="button" disabled={busy || !enabled} onClick={() => run(() => recordCheckIn(shelter.id))}>{t('checkInNow')}</button></>
            )}
          </dd>
        </div>
        {!editable && (
          <>
            <div><dt>{t('contactName')}</dt><dd>{shelter.contactName ?? t('notSet')}</dd></div>
            <div><dt>{t('contactPhone')}</dt><dd className="mono">{shelter.contactPhone ?? t('notSet')}</dd></div>
            <div><dt>{t('notes')}</dt><dd className="pre-wrap">{shelter.notes ?? t('notSet')}</dd></div>
          </>
        )}
      </dl>
      {editable && (
        <form
          className="card"
          onSubmit={(e) => {
            e.preventDefault();
            void run(() => updateShelterContact(shelter.id, { contactName: draft.contactName, contactPhone: draft.contactPhone, notes: draft.notes }), () => {
              setDirty(false);
              setSaved(true);
            });
          }}
        >
          <div className="row wrap">
            <label>
              {t('contactName')}
              <input name="contactName" value={draft.contactName} maxLength={100} onChange={(e) => setDraft({ ...draft, contactName: e.target.value })} />
            </label>
            <label>
              {t('contactPhone')}
              <input name="contactPhone" type="tel" inputMode="tel" value={draft.contactPhone} maxLength={40} onChange={(e) => setDraft({ ...draft, contactPhone: e.target.value })} />
            </label>
          </div>
          <label className="block">
            {t('notes')}
            <textarea name="notes" rows={3} value={draft.notes} maxLength={2000} onChange={(e) => setDraft({ ...draft, notes: e.target.value })} />
          </label>
          <button type="submit" className="primary" disabled={busy || !enabled}>{t('saveContact')}</button>
          {saved && <span role="status" className="muted"> {t('contactSaved')}</span>}
        </form>
      )}
      <ErrorText error={error} />
    </section>
  );
}
