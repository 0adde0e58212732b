/**
 * A wait's limit in real time (a shutdown's budget is wall time, whatever the injected clock says):
 * `passed` settles once `ms` have gone by; `cancel()` clears the timer, so nothing is kept alive.
 */
export interface TimeLimit {
  readonly passed: Promise<void>;
  readonly over: boolean;
  cancel(): void;
}

export function timeLimit(ms: number): TimeLimit {
  let timer: NodeJS.Timeout | undefined;
  let over = false;
  const passed = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      over = true;
      resolve();
    }, ms);
  });
  return {
    passed,
    get over() {
      return over;
    },
    cancel: () => clearTimeout(timer),
  };
}

/** Whether `work` settles within the limit (it goes on either way); its failure within it is thrown. */
export async function settlesWithin(work: Promise<unknown>, limit: TimeLimit): Promise<boolean> {
  return Promise.race([work.then(() => true), limit.passed.then(() => false)]);
}
