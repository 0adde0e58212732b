import { useState } from 'react';
import { useActionsEnabled } from '../../../lib/board-store.js';
import { translate } from '../../../lib/i18n.js';
import { ErrorText } from '../../../lib/ui/status-badge.js';

/** Records what is about to be printed, then opens the browser's print dialog; while offline it waits (disabled). */
export function PrintButton({ record }: { record(): Promise<unknown> }) {
  const [error, setError] = useState<unknown>(null);
  const enabled = useActionsEnabled();
  const print = async () => {
    setError(null);
    try {
      await record();
      window.print();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <>
      <button type="button" className="primary" data-testid="print-button" disabled={!enabled} title={enabled ? undefined : translate('ja', 'offlineDisabled')} onClick={() => void print()}>
        {translate('ja', 'print')} / <span lang="en">{translate('en', 'print')}</span>
      </button>
      <ErrorText error={error} />
    </>
  );
}
