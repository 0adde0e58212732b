import { useState } from 'react';
import type { Alert } from '../../../../../provisioning/model/index.js';
import { useActionsEnabled } from '../../../lib/board-store.js';
import { useI18n } from '../../../lib/i18n.js';
import { ErrorText } from '../../../lib/ui/status-badge.js';
import { useAction } from '../../../lib/ui/use-action.js';
import { assignAlert } from '../api/assign-alert.js';

/** Who took the alert on; a coordinator assigns or reassigns it by name. */
export function AlertAssignee({ alert, canAssign }: { alert: Alert; canAssign: boolean }) {
  const { t } = useI18n();
  const enabled = useActionsEnabled();
  const [editing, setEditing] = useState(false);
  const [name, setName] = useState(alert.assignee?.name ?? '');
  const { run, busy, error } = useAction();
  const save = (value: string | null) =>
    run(async () => {
      await assignAlert(alert.id, value);
      setEditing(false);
    });
  return (
    <div className="small" data-testid="alert-assignee" data-assignee={alert.assignee?.name ?? ''}>
      {alert.assignee ? <span>{t('assignedTo', { name: alert.assignee.name })}</span> : <span className="muted">{t('unassigned')}</span>}
      {canAssign && !editing && (
        <> <button type="button" className="link" disabled={!enabled} onClick={() => (setName(alert.assignee?.name ?? ''), setEditing(true))}>{alert.assignee ? t('reassign') : t('assign')}</button></>
      )}
      {editing && (
        <form className="row wrap" onSubmit={(e) => (e.preventDefault(), void save(name.trim() || null))}>
          <label>
            {t('assigneeName')}
            <input name="assignee" value={name} maxLength={100} onChange={(e) => setName(e.target.value)} />
          </label>
          <button type="submit" className="primary" disabled={busy || !enabled}>{t('assign')}</button>
          {alert.assignee && <button type="button" disabled={busy || !enabled} onClick={() => void save(null)}>{t('unassign')}</button>}
          <button type="button" onClick={() => setEditing(false)}>{t('cancel')}</button>
        </form>
      )}
      <ErrorText error={error} />
    </div>
  );
}
