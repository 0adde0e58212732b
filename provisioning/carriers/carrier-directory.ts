import type { Carrier as CarrierDoc, Message } from '../model/index.js';
import { message } from '../model/messages.js';
import type { Store } from '../store/store.js';
import type { Clock } from '../platform/clock.js';
import { notFound } from '../errors.js';
import { CarrierError, type CarrierAdapter } from './carrier.js';
import { observed } from './observed-carrier.js';
import { createCarrierBudgets, type CarrierBudgetOptions, type CarrierBudgets } from './carrier-budget.js';
import type { RequestGate } from './request-gate.js';
import { systemClock } from '../platform/clock.js';
import { newId } from '../platform/ids.js';

/** Finds the adapter of a carrier, held to the member's limit for the whole deployment. */
export interface CarrierDirectory {
  get(carrierId: string): Promise<CarrierAdapter>;
  /** Forget a cached adapter, e.g. after its credentials changed. */
  invalidate(carrierId: string): void;
  /** Each member's budget on this instance (its slots of the shared limit). */
  readonly budgets: CarrierBudgets;
  /** Gives this instance's slots back (it is stopping). */
  close(): Promise<void>;
}

/** Builds the adapter for one carrier document (twilio on the real SDK, api through work orders). */
export type AdapterFactory = (doc: CarrierDoc, limits: { gate: RequestGate }) => CarrierAdapter;

/** A carrier's health changed as seen from its adapter's calls: the technical detail, and the cause worded for the board. */
export type HealthObserver = (carrierId: string, health: 'up' | 'down', detail: string, cause: Message) => Promise<void>;

const DOWN_AFTER_FAILURES = 5;
/** While a carrier is down, one trial call is let through this often; the rest fail at once. */
const TRIAL_EVERY_MS = 3000;

/**
 * One rate-limited adapter per carrier, built on first use; it watches call outcomes so a
 * carrier that keeps failing (5xx, timeouts) is reported down, and back up when calls succeed.
 */
/** Every carrier operation's outcome and latency (for metrics). */
export type CallObserver = (carrierId: string, ok: boolean, seconds: number) => void;

export function createCarrierDirectory(deps: {
  store: Store;
  clock: Clock;
  factory: AdapterFactory;
  onHealth?: HealthObserver;
  onCall?: CallObserver;
  /** The shared limit: real time by default (a drill's calendar must not speed up a member's API), this instance's lease owner. */
  budget?: Partial<Pick<CarrierBudgetOptions, 'clock' | 'owner' | 'timing'>>;
}): CarrierDirectory {
  const budgets = createCarrierBudgets({ store: deps.store, clock: deps.budget?.clock ?? systemClock, owner: deps.budget?.owner ?? newId('budget'), ...(deps.budget?.timing ? { timing: deps.budget.timing } : {}) });
  const cache = new Map<string, { version: number; adapter: CarrierAdapter }>();
  const failures = new Map<string, number>();
  const reported = new Map<string, 'up' | 'down'>();
  const lastTrial = new Map<string, number>();

  function admit(carrierId: string) {
    return () => {
      if (reported.get(carrierId) !== 'down') return;
      const now = deps.clock.now().getTime();
      if (now - (lastTrial.get(carrierId) ?? 0) < TRIAL_EVERY_MS) {
        throw new CarrierError(`carrier ${carrierId} is down: not calling it until a trial call succeeds`, true, 503, 'circuit-open');
      }
      lastTrial.set(carrierId, now);
    };
  }

  function observe(carrierId: string) {
    return (ok: boolean, err?: unknown, seconds?: number) => {
      if (seconds !== undefined) deps.onCall?.(carrierId, ok, seconds);
      if (ok) {
        failures.set(carrierId, 0);
        if (reported.get(carrierId) === 'down') {
          reported.set(carrierId, 'up');
          void deps.onHealth?.(carrierId, 'up', 'calls succeed again', message('cause.calls_succeed'));
        }
        return;
      }
      // Neither a 429 (the member at its limit), our own circuit, nor this instance stopping says the member is down.
      if (!(err instanceof CarrierError) || !err.retryable || err.status === 429 || err.code === 'circuit-open' || err.code === 'stopping') return;
      const n = (failures.get(carrierId) ?? 0) + 1;
      failures.set(carrierId, n);
      if (n >= DOWN_AFTER_FAILURES && reported.get(carrierId) !== 'down') {
        reported.set(carrierId, 'down');
        const cause = err.status !== undefined ? message('cause.calls_failed', { count: n, status: err.status }) : message('cause.carrier_unreachable', { count: n });
        void deps.onHealth?.(carrierId, 'down', `${n} calls in a row failed: ${err.message}`, cause);
      }
    };
  }

  return {
    budgets,
    close: () => budgets.stop(),
    async get(carrierId: string): Promise<CarrierAdapter> {
      const doc = await deps.store.get('carriers', carrierId);
      if (!doc) throw notFound('carrier', carrierId);
      const hit = cache.get(carrierId);
      // Capacity and credentials live on the document: rebuild when it changed in a way that matters.
      if (hit && hit.version === versionKey(doc)) return hit.adapter;
      const adapter = observed(deps.factory(doc, { gate: budgets.gateFor(carrierId) }), observe(carrierId), admit(carrierId));
      cache.set(carrierId, { version: versionKey(doc), adapter });
      return adapter;
    },
    /** Forget the adapter and what its calls showed (after a coordinator marked the carrier, or its credentials changed). */
    invalidate(carrierId: string) {
      cache.delete(carrierId);
      reported.delete(carrierId);
      failures.delete(carrierId);
      lastTrial.delete(carrierId);
    },
  };
}

function versionKey(doc: CarrierDoc): number {
  // A simple fingerprint of the fields an adapter is built from.
  // callControl too: an instance that did not take the PATCH must not keep sending the old contract.
  const s = JSON.stringify([doc.capacity, doc.twilio ?? null, doc.kind, doc.callControl ?? null]);
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (h * 31 + s.charCodeAt(i)) | 0;
  return h;
}
