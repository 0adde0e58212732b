import { useActionsEnabled } from '../../../lib/board-store.js';
import { translate } from '../../../lib/i18n.js';
import { ErrorText } from '../../../lib/ui/status-badge.js';
import { useAction } from '../../../lib/ui/use-action.js';

/** Records what is about to be printed, then opens the browser's print dialog; while offline it waits (disabled). */
export function PrintButton({ record }: { record(): Promise<unknown> }) {
  const { run, error } = useAction();
  const enabled = useActionsEnabled();
  const print = () =>
    run(async () => {
      await record();
      window.print();
    });
  return (
    <>
      <button type="button" className="primary" data-testid="print-button" disabled={!enabled} title={enabled ? undefined : translate('ja', 'offlineDisabled')} onClick={() => void print()}>
        {translate('ja', 'print')} / <span lang="en">{translate('en', 'print')}</span>
      </button>
      <ErrorText error={error} />
    </>
  );
}
