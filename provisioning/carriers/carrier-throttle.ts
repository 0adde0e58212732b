import type { CarrierCapacity, CarrierThrottle } from '../model/index.js';

/**
 * How the deployment adapts to the limit a member's platform really answers with (AIMD, pure).
 * Twilio limits concurrent requests per account and answers 429 past it, so a 429 for a request
 * sent while k requests were in flight says the limit is below k: the new concurrency is the
 * in-flight count the deployment had (k − 1, scaled from this instance's share to the whole) — a
 * direct estimate, not a blind halving, so it lands at the real limit instead of sawing between
 * half and all of it (halving gave ≈ 0.75 of the limit on average). Growth is additive and slow,
 * and stays below the level of the last 429 for CEILING_HOLD_MS, so probes above it are rare. A 429
 * that no concurrency explains (nothing else was in flight) halves the rate instead: against an
 * account limited to 1 request/s, a member declared at 10/s and 4 at once had half its requests
 * refused (13 of 26), each refusal a Retry-After pause.
 */
export const THROTTLE = {
  /** No growth until this long after the last 429. */
  quietBeforeGrowthMs: 5_000,
  /** One step of +1 concurrency at most this often. */
  growEveryMs: 2_000,
  /** How long the level of the last 429 caps growth before it is probed again. */
  ceilingHoldMs: 60_000,
  /** Wait after a 429 that named no Retry-After. */
  defaultPauseMs: 1_000,
  /** The longest Retry-After honoured (a broken header must not stop a carrier for hours). */
  maxPauseMs: 60_000,
} as const;

/** What one instance saw since it last told the others: how many 429s, the lowest concurrency they point to, the latest end of a pause. */
export interface ThrottleSignal {
  count: number;
  estimate: number;
  pausedUntilMs: number;
  /** A 429 for a request sent with nothing else in flight: no concurrency explains it, the account limits the rate; halve it. */
  rateBound: boolean;
}

/**
 * One 429 as a signal: the request was sent with `inflightAtSend` of this instance's `localPermits`
 * in use, out of the deployment's `level`; this instance's share scales what it saw to the whole.
 */
export function signalOf(s: { inflightAtSend: number; localPermits: number; level: number; retryAfterMs: number | undefined; at: Date }): ThrottleSignal {
  const share = Math.max(1, s.localPermits) / Math.max(1, s.level);
  const pause = Math.min(THROTTLE.maxPauseMs, s.retryAfterMs ?? THROTTLE.defaultPauseMs);
  const estimate = Math.floor((s.inflightAtSend - 1) / share);
  // Rate-bound only where this instance held the whole level: with other holders, their requests may have been in flight.
  return { count: 1, estimate: Math.max(1, estimate), pausedUntilMs: s.at.getTime() + pause, rateBound: s.inflightAtSend <= 1 && s.localPermits >= s.level };
}

/** Two signals as one (the lower estimate, the later pause, both counts). */
export function mergeSignals(a: ThrottleSignal | null, b: ThrottleSignal): ThrottleSignal {
  if (!a) return b;
  return { count: a.count + b.count, estimate: Math.min(a.estimate, b.estimate), pausedUntilMs: Math.max(a.pausedUntilMs, b.pausedUntilMs), rateBound: a.rateBound || b.rateBound };
}

/** The declared capacity as a throttle at full speed. */
export function fullSpeed(capacity: CarrierCapacity, at: Date): CarrierThrottle {
  return { concurrency: capacity.concurrency, requestsPerSecond: capacity.requestsPerSecond, ceiling: null, ceilingUntil: null, pausedUntil: null, tooManyRequests: 0, lastThrottledAt: null, changedAt: at.toISOString() };
}

/** The limit in force: the learnt one, never above what the member declared. */
export function effectiveLimit(capacity: CarrierCapacity, throttle: CarrierThrottle | undefined): { concurrency: number; requestsPerSecond: number } {
  if (!throttle) return { concurrency: capacity.concurrency, requestsPerSecond: capacity.requestsPerSecond };
  return { concurrency: Math.min(capacity.concurrency, throttle.concurrency), requestsPerSecond: Math.min(capacity.requestsPerSecond, throttle.requestsPerSecond) };
}

/** Rate follows concurrency in the declared proportion: a member that takes half the requests at once takes half the rate. */
function rateFor(capacity: CarrierCapacity, concurrency: number): number {
  return Math.max(MIN_RATE, (capacity.requestsPerSecond * concurrency) / capacity.concurrency);
}

/** The slowest a member is ever sent to (one request in 10 s). */
export const MIN_RATE = 0.1;

/** Multiplicative decrease, by estimate: the throttle after 429s an instance saw. */
export function afterThrottled(capacity: CarrierCapacity, current: CarrierThrottle | undefined, signal: ThrottleSignal, at: Date): CarrierThrottle {
  const base = current ?? fullSpeed(capacity, at);
  const level = effectiveLimit(capacity, base).concurrency;
  const concurrency = Math.max(1, Math.min(level, signal.estimate));
  const pausedUntil = new Date(Math.max(signal.pausedUntilMs, base.pausedUntil ? Date.parse(base.pausedUntil) : 0)).toISOString();
  return {
    concurrency,
    requestsPerSecond: Math.max(MIN_RATE, Math.min(base.requestsPerSecond, rateFor(capacity, concurrency)) * (signal.rateBound ? 0.5 : 1)),
    ceiling: concurrency,
    ceilingUntil: new Date(at.getTime() + THROTTLE.ceilingHoldMs).toISOString(),
    pausedUntil,
    tooManyRequests: base.tooManyRequests + signal.count,
    lastThrottledAt: at.toISOString(),
    changedAt: at.toISOString(),
  };
}

/** Additive increase: one step back towards the declared capacity, or null when nothing is due. */
export function grown(capacity: CarrierCapacity, current: CarrierThrottle | undefined, at: Date): CarrierThrottle | null {
  if (!current) return null;
  const now = at.getTime();
  const { concurrency } = effectiveLimit(capacity, current);
  if (concurrency >= capacity.concurrency && current.requestsPerSecond >= capacity.requestsPerSecond) return null;
  if (current.lastThrottledAt && now - Date.parse(current.lastThrottledAt) < THROTTLE.quietBeforeGrowthMs) return null;
  if (now - Date.parse(current.changedAt) < THROTTLE.growEveryMs) return null;
  const capped = current.ceiling !== null && current.ceilingUntil !== null && now < Date.parse(current.ceilingUntil);
  const top = capped ? Math.min(capacity.concurrency, current.ceiling!) : capacity.concurrency;
  const next = Math.min(top, concurrency + 1);
  // The rate comes back additively too (a tenth of the declared rate a step), so a halving for a rate-bound 429 is not undone at once.
  const rate = Math.min(capacity.requestsPerSecond, rateFor(capacity, next), current.requestsPerSecond + capacity.requestsPerSecond / 10);
  if (next === concurrency && rate <= current.requestsPerSecond) return null;
  return { ...current, concurrency: next, requestsPerSecond: Math.max(current.requestsPerSecond, rate), changedAt: at.toISOString() };
}
