import { useActionsEnabled } from '../../../lib/board-store.js';
import { useState } from 'react';
import type { BoardShelter } from '../../../../../provisioning/model/index.js';
import { useI18n } from '../../../lib/i18n.js';
import { ConfirmDialog } from '../../../lib/ui/confirm-dialog.js';
import { ErrorText } from '../../../lib/ui/status-badge.js';
import { useAction } from '../../../lib/ui/use-action.js';
import { useDraft } from '../../../lib/use-draft.js';
import { closeShelter, openShelter } from '../api/shelter-actions.js';

/** Open or close one shelter, always through a confirmation. */
export function ShelterActions({ shelter }: { shelter: BoardShelter }) {
  const { t } = useI18n();
  const enabled = useActionsEnabled();
  const [asking, setAsking] = useState<'open' | 'close' | null>(null);
  const action = useAction();
  const [draft, setDraft, clearDraft] = useDraft(`shelter-action:${shelter.id}`, { lines: shelter.lines, reason: '' });
  const isOpen = shelter.desiredStatus === 'open';
  const run = () =>
    action.run(async () => {
      if (asking === 'open') await openShelter(shelter.id, { lines: draft.lines, ...(draft.reason ? { reason: draft.reason } : {}) });
      else await closeShelter(shelter.id, draft.reason ? { reason: draft.reason } : {});
      clearDraft();
      setAsking(null);
    });
  return (
    <>
      {isOpen ? (
        <button type="button" className="danger" disabled={!enabled} onClick={() => setAsking('close')} aria-label={`${t('close')}: ${shelter.name}`}>
          {t('close')}
        </button>
      ) : (
        <button type="button" className="primary" disabled={!enabled} onClick={() => setAsking('open')} aria-label={`${t('open')}: ${shelter.name}`}>
          {t('open')}
        </button>
      )}
      <ConfirmDialog
        open={asking !== null}
        busy={action.busy}
        message={t(asking === 'close' ? 'confirmClose' : 'confirmOpen', { name: shelter.name })}
        onCancel={() => (setAsking(null), action.clearError())}
        onConfirm={run}
      >
        {asking === 'open' && (
          <label>
            {t('lines')}
            <input type="number" min={1} max={10} value={draft.lines} onChange={(e) => setDraft({ ...draft, lines: Number(e.target.value) })} />
          </label>
        )}
        <label>
          {t('reason')}
          <input type="text" maxLength={500} value={draft.reason} onChange={(e) => setDraft({ ...draft, reason: e.target.value })} />
        </label>
        <ErrorText error={action.error} />
      </ConfirmDialog>
    </>
  );
}
