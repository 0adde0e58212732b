import { useState } from 'react';
import { useI18n } from '../../../lib/i18n.js';
import { useDraft } from '../../../lib/use-draft.js';
import { ConfirmDialog } from '../../../lib/ui/confirm-dialog.js';
import { ErrorText } from '../../../lib/ui/status-badge.js';
import { useAction } from '../../../lib/ui/use-action.js';
import { useFormCheck } from '../../../lib/ui/form-check.js';
import { useActionsEnabled } from '../../../lib/board-store.js';
import { suspendNumber, type SuspensionOutcome } from '../api/suspend-number.js';
import { SuspensionReportView } from './suspension-report.js';

export function SuspendForm() {
  const { t } = useI18n();
  const [draft, setDraft, clear] = useDraft('suspend', { number: '', reason: '', requestId: '', fraud: false });
  const [asking, setAsking] = useState(false);
  const { run, error } = useAction();
  const [report, setReport] = useState<SuspensionOutcome | null>(null);
  const check = useFormCheck();
  const enabled = useActionsEnabled();
  return (
    <section aria-labelledby="suspend-h" className="card">
      <h2 id="suspend-h">{t('suspend')}</h2>
      <p className="muted">{t('suspendHelp')}</p>
      <form noValidate onSubmit={check.onSubmit(() => setAsking(true))}>
        <label>{t('number')}<input required value={draft.number} onChange={(e) => setDraft({ ...draft, number: e.target.value })} placeholder="0767-52-0000" maxLength={40} /></label>
        <label>{t('reason')}<textarea required value={draft.reason} onChange={(e) => setDraft({ ...draft, reason: e.target.value })} maxLength={2000} /></label>
        <label>{t('requestReference')}<input value={draft.requestId} onChange={(e) => setDraft({ ...draft, requestId: e.target.value })} maxLength={128} /></label>
        <label className="check"><input type="checkbox" checked={draft.fraud} onChange={(e) => setDraft({ ...draft, fraud: e.target.checked })} />{t('suspendForFraud')}</label>
        {check.problems}
        <button type="submit" className="danger" disabled={!enabled}>{t('suspend')}</button>
      </form>
      <ErrorText error={error} />
      {report && <SuspensionReportView report={report} />}
      <ConfirmDialog
        open={asking}
        message={`${t('suspend')}: ${draft.number}`}
        onCancel={() => setAsking(false)}
        onConfirm={async () => {
          await run(async () => {
            setReport(await suspendNumber(draft.number, draft.reason, draft.requestId || undefined, draft.fraud));
            clear();
          });
          setAsking(false);
        }}
      />
    </section>
  );
}
