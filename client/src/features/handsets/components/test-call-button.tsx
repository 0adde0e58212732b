import { useState } from 'react';
import type { BoardShelter, TestCallOutcomeKind, TestCallResult } from '../../../../../provisioning/model/index.js';
import { useActionsEnabled, useBoard } from '../../../lib/board-store.js';
import { useI18n, type MessageKey } from '../../../lib/i18n.js';
import { ageOf } from '../../../lib/format.js';
import { ErrorText } from '../../../lib/ui/status-badge.js';
import { TechnicalDetail } from '../../../lib/ui/technical-detail.js';
import { useAction } from '../../../lib/ui/use-action.js';
import { placeTestCall } from '../api/test-call.js';

/** The outcomes in which the handset really rang (the server counts them as reached). */
const REACHED: readonly TestCallOutcomeKind[] = ['answered', 'rang'];
const AGE_KEYS: Record<ReturnType<typeof ageOf>['unit'], MessageKey> = { justNow: 'ageJustNow', minutes: 'ageMinutes', hours: 'ageHours', days: 'ageDays' };

/** Rings the shelter's handsets through their carriers and shows what each carrier said became of each call. */
export function TestCallButton({ shelter, canCall }: { shelter: BoardShelter; canCall: boolean }) {
  const { t } = useI18n();
  const board = useBoard();
  const enabled = useActionsEnabled();
  const { run, busy, error } = useAction();
  const [result, setResult] = useState<TestCallResult | null>(null);
  const last = shelter.lastTestCall ?? null;
  const age = last ? ageOf(Date.now() + board.clockOffsetMs - Date.parse(last.at)) : null;
  return (
    <div className="card" data-testid="test-call">
      {last && age && (
        <p data-testid="last-test-call" data-reached={last.reached} data-not-reached={last.notReached}>
          {t('lastTestCall', { age: t(AGE_KEYS[age.unit], { n: age.n }), by: last.by, reached: last.reached, notReached: last.notReached, unsupported: last.unsupported })}
        </p>
      )}
      {canCall && (
        <>
          <p className="muted small">{t('testCallHelp')}</p>
          <button
            type="button"
            disabled={busy || !enabled}
            onClick={() => run(async () => setResult(await placeTestCall(shelter.id)))}
          >
            {t('testCall')}
          </button>
        </>
      )}
      <ErrorText error={error} />
      {result && (
        <ul role="status" data-testid="test-call-results">
          {result.results.map((r) => (
            <li key={`${r.handsetId}-${r.carrierId}`} data-outcome={r.outcome} data-call-ref={r.callRef ?? ''}>
              {r.handsetLabel ?? r.handsetId} · <span translate="no">{board.data.carriers.get(r.carrierId)?.name ?? r.carrierId}</span> · <strong className={REACHED.includes(r.outcome) ? '' : 'warn'}>{t(`testCallOutcome.${r.outcome}`)}</strong>
              {r.detail && <TechnicalDetail text={r.detail} />}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
