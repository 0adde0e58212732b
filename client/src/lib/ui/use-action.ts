import { useState } from 'react';

/** Where one user action reports its progress: busy while it runs, the error it ended with (null when none). */
export interface ActionState {
  setBusy(busy: boolean): void;
  setError(error: unknown): void;
}

/**
 * Runs one user action: busy until it settles, the last error cleared when it starts and kept
 * whole when it fails (`ErrorText` words an API Problem in the reader's language). Whatever must
 * happen only on success belongs inside `action`, after its await.
 */
export async function runAction(action: () => Promise<unknown>, state: ActionState): Promise<void> {
  state.setBusy(true);
  state.setError(null);
  try {
    await action();
  } catch (err) {
    state.setError(err);
  } finally {
    state.setBusy(false);
  }
}

/**
 * A button's or a form's action, the board's one busy/error block:
 * `busy` disables the control while the call is in flight; render `error` with `ErrorText`.
 * `fail` shows an error from outside `run` (a list that failed to load); `clearError` forgets it (a dialog cancelled).
 */
export function useAction() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  return {
    run: (action: () => Promise<unknown>) => runAction(action, { setBusy, setError }),
    busy,
    error,
    fail: (err: unknown) => setError(err),
    clearError: () => setError(null),
  };
}
