import { AsyncLocalStorage } from 'node:async_hooks';

/** What follows one incoming request through the work it causes (jobs it creates, their log lines). */
export interface RequestContext {
  requestId: string;
}

const storage = new AsyncLocalStorage<RequestContext>();

/** Runs `fn` with `ctx` as the current request context, across every await inside it. */
export function withRequestContext<R>(ctx: RequestContext, fn: () => R): R {
  return storage.run(ctx, fn);
}

/** The id of the request being served, or undefined outside one (workers, maintenance). */
export function currentRequestId(): string | undefined {
  return storage.getStore()?.requestId;
}
