import { useActionsEnabled } from '../board-store.js';
import { useEffect, useRef, type ReactNode } from 'react';
import { useI18n } from '../i18n.js';
import { useFormCheck } from './form-check.js';

/** A modal confirmation on the native <dialog>: focus is trapped, Escape cancels, its fields are checked in the board's words. */
export function ConfirmDialog(props: { open: boolean; message: string; onConfirm(): void; onCancel(): void; busy?: boolean; children?: ReactNode }) {
  const { t } = useI18n();
  const enabled = useActionsEnabled();
  const ref = useRef<HTMLDialogElement>(null);
  const check = useFormCheck();
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (props.open && !d.open) {
      check.clear();
      d.showModal();
    }
    if (!props.open && d.open) d.close();
  }, [props.open]);
  return (
    <dialog ref={ref} className="confirm" aria-labelledby="confirm-message" onCancel={(e) => (e.preventDefault(), props.onCancel())}>
      <form method="dialog" noValidate onSubmit={check.onSubmit(() => props.onConfirm())}>
        <p id="confirm-message">{props.message}</p>
        {props.children}
        {check.problems}
        <div className="row end">
          <button type="button" onClick={props.onCancel}>
            {t('cancel')}
          </button>
          <button type="submit" className="primary" disabled={props.busy || !enabled} title={enabled ? undefined : t('offlineDisabled')} autoFocus>
            {t('confirm')}
          </button>
        </div>
      </form>
    </dialog>
  );
}
