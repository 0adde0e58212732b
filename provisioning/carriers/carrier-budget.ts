import type { Carrier as CarrierDoc, CarrierShareRequest, CarrierSlot } from '../model/index.js';
import type { Clock } from '../platform/clock.js';
import type { GuardedWrite, Store } from '../store/store.js';
import { bumped } from '../store/versioned.js';
import { MIN_RATE, afterThrottled, effectiveLimit, grown, mergeSignals, signalOf, type ThrottleSignal } from './carrier-throttle.js';
import { retryAfterMs, type GatedResponse, type RequestGate } from './request-gate.js';
import { CarrierError } from './carrier.js';

/**
 * One limit per member account for the whole deployment, kept on the store every instance shares.
 *
 * The member's limit is cut into slots (`carrierSlots/<carrier>~<i>`, i < the effective concurrency):
 * a slot is one request at once and 1/K of the rate. An instance leases slots with guarded writes
 * (no transaction, no shared counter: two instances racing for one slot, one lands), renews them
 * every few seconds and sends at most as many requests at once as it holds valid slots, at its
 * slots' share of the rate. So all instances together never exceed the limit, and an instance that
 * dies frees its slots when their lease runs out. An instance that holds less than its fair part
 * leaves a share request (`carrierShareRequests`), and holders above the fair part give slots back.
 *
 * Store cost, per carrier that has work, per instance, per pass (RENEW_EVERY_MS, 1 s): one read of
 * the carrier, one query of its slots (K documents) and one of its share requests; slot writes only
 * when a slot is claimed, given back, or renewed (every LEASE_MS/2 = 3 s: K/3 writes a second for
 * the whole deployment); the learnt limit (AIMD) is written on the carrier at most once a pass, only
 * after 429s or for a growth step. Per API request: none. No document is written by more than one
 * instance at a time except a free slot two instances try to claim at once.
 */
export const BUDGET = {
  renewEveryMs: 1_000,
  leaseMs: 6_000,
  /** A slot is used only while more than this is left of its lease (a late renewal must not overrun it). */
  safetyMs: 1_000,
  /** Slots are given back after this long with nothing to send. */
  idleMs: 3_000,
  /** A request answered 429 is sent again at most this many times (never processed: safe to repeat). */
  retries429: 6,
  /**
   * Slow start: a member whose limit nobody has learnt yet gets this many requests at once from an
   * instance, one more for each answer that came back while the window was full (doubling per round
   * trip), until its declared concurrency or a 429. Sending the declared level at once to an account
   * that takes a third of it drew 8 429s in the first 40 ms of the bench, 1.3 % of a 15 s run.
   */
  slowStartWindow: 1,
} as const;

export interface CarrierBudgetOptions {
  store: Store;
  /** Real time: a member's limit is per wall-clock second whatever calendar a drill runs on. */
  clock: Clock;
  /** This instance, as leases name it. */
  owner: string;
  timing?: Partial<Record<'renewEveryMs' | 'leaseMs' | 'safetyMs' | 'idleMs', number>>;
}

/** What the budget of one carrier looks like from this instance (tests, benches and logs read it). */
export interface BudgetView {
  concurrency: number;
  requestsPerSecond: number;
  held: number;
  permits: number;
  active: number;
  waiting: number;
  tooManyRequests: number;
  /** Slow start's window (requests at once from this instance), or null once the limit is known. */
  window: number | null;
}

export interface CarrierBudgets {
  /** The gate every HTTP request to this carrier passes. */
  gateFor(carrierId: string): RequestGate;
  /** One lease pass for every carrier with work now (the loop runs it every second; tests may call it). */
  renewAll(): Promise<void>;
  view(carrierId: string): BudgetView | null;
  /** Gives every slot back (a stopping instance), so the others take its part at once. */
  stop(): Promise<void>;
}

const slotId = (carrierId: string, index: number) => `${carrierId}~${index}`;

export function createCarrierBudgets(opts: CarrierBudgetOptions): CarrierBudgets {
  const t: Timing = { ...BUDGET, ...opts.timing };
  const budgets = new Map<string, CarrierBudget>();
  let stopped = false;
  const budget = (carrierId: string) => {
    let b = budgets.get(carrierId);
    if (!b) {
      b = new CarrierBudget(carrierId, opts, t, () => stopped);
      budgets.set(carrierId, b);
    }
    return b;
  };
  return {
    gateFor: (carrierId) => (send) => budget(carrierId).send(send),
    renewAll: async () => {
      await Promise.all([...budgets.values()].map((b) => b.pass()));
    },
    view: (carrierId) => budgets.get(carrierId)?.view() ?? null,
    stop: async () => {
      stopped = true;
      await Promise.all([...budgets.values()].map((b) => b.releaseAll()));
    },
  };
}

type Timing = Record<keyof typeof BUDGET, number>;

class CarrierBudget {
  private readonly held = new Map<number, { version: number; untilMs: number }>();
  private concurrency = 1;
  private requestsPerSecond = 1;
  private pausedUntilMs = 0;
  private tooManyRequests = 0;
  private known = false;
  private active = 0;
  private waiting = 0;
  private tokens = 1;
  private refilledAt = 0;
  private lastBusyMs = 0;
  private pending: ThrottleSignal | null = null;
  /** Slow start (see BUDGET.slowStartWindow): null once a 429 taught the limit or the declared level was answered. */
  private window: number | null = null;
  private shareRequest: { version: number; untilMs: number } | null = null;
  private loop: Promise<void> | null = null;
  private wake: Array<() => void> = [];
  private passing: Promise<void> | null = null;

  constructor(
    private readonly carrierId: string,
    private readonly opts: CarrierBudgetOptions,
    private readonly t: Timing,
    private readonly stopped: () => boolean,
  ) {}

  private now(): number {
    return this.opts.clock.now().getTime();
  }

  /** Valid slots this instance may use now. */
  private permits(now = this.now()): number {
    let n = 0;
    for (const [index, s] of this.held) if (index < this.concurrency && s.untilMs - this.t.safetyMs > now) n++;
    return n;
  }

  private rate(now: number): number {
    return (this.requestsPerSecond * this.permits(now)) / Math.max(1, this.concurrency);
  }

  private notify(): void {
    const w = this.wake;
    this.wake = [];
    for (const f of w) f();
  }

  /** Waits for a change (a release, a pass) or `ms`, whichever comes first. */
  private async idle(ms: number): Promise<void> {
    await Promise.race([new Promise<void>((r) => this.wake.push(r)), this.opts.clock.sleep(Math.max(1, ms))]);
  }

  private async acquire(): Promise<number> {
    this.waiting++;
    this.ensureLoop();
    try {
      for (;;) {
        if (this.stopped()) throw new CarrierError(`carrier ${this.carrierId}: this instance is stopping; another one takes the work`, true, 503, 'stopping');
        const now = this.now();
        if (!this.known) {
          // The first pass tells the limit; if the store does not answer, wait as a pass would.
          await this.pass().catch(() => this.idle(this.t.renewEveryMs));
          continue;
        }
        if (this.pausedUntilMs > now) {
          await this.idle(this.pausedUntilMs - now);
          continue;
        }
        const permits = this.permits(now);
        if (this.active >= Math.min(permits, this.window ?? permits)) {
          await this.idle(this.t.renewEveryMs);
          continue;
        }
        const rate = this.rate(now);
        this.tokens = Math.min(Math.max(1, permits), this.tokens + ((now - this.refilledAt) / 1000) * rate);
        this.refilledAt = now;
        if (this.tokens < 1) {
          await this.idle(((1 - this.tokens) / Math.max(rate, 0.001)) * 1000);
          continue;
        }
        this.tokens -= 1;
        this.active++;
        this.lastBusyMs = now;
        return this.active;
      }
    } finally {
      this.waiting--;
    }
  }

  private release(): void {
    this.active--;
    this.lastBusyMs = this.now();
    this.notify();
  }

  async send<R extends GatedResponse>(send: () => Promise<R>): Promise<R> {
    for (let attempt = 0; ; attempt++) {
      const inflightAtSend = await this.acquire();
      // What this instance held when it sent: a 429 is read against that, not against a limit lowered since.
      const permits = this.permits();
      const level = this.concurrency;
      let response: R;
      try {
        response = await send();
      } finally {
        this.release();
      }
      if (response.statusCode !== 429) {
        this.answered(inflightAtSend);
        return response;
      }
      this.throttled(inflightAtSend, permits, level, retryAfterMs((response.headers as Record<string, unknown> | undefined)?.['retry-after']));
      if (attempt >= this.t.retries429) return response;
    }
  }

  /** An answer in slow start: sent while the window was full, it widens the window by one, up to the declared level. */
  private answered(inflightAtSend: number): void {
    if (this.window === null || inflightAtSend < this.window) return;
    this.window++;
    if (this.window >= this.concurrency) this.window = null;
    this.notify();
  }

  /** A 429: slow down here at once; the others learn it at this instance's next pass. */
  private throttled(inflightAtSend: number, localPermits: number, level: number, retryAfter: number | undefined): void {
    const at = this.opts.clock.now();
    // The 429 estimates the limit directly (carrier-throttle.ts): slow start has done its work.
    this.window = null;
    const signal = signalOf({ inflightAtSend, localPermits, level, retryAfterMs: retryAfter, at });
    this.pending = mergeSignals(this.pending, signal);
    this.tooManyRequests++;
    const scaled = Math.max(1, Math.min(this.concurrency, signal.estimate));
    if (scaled < this.concurrency) {
      this.requestsPerSecond = (this.requestsPerSecond * scaled) / this.concurrency;
      this.concurrency = scaled;
    }
    // Once per pause: the 429s of requests sent before the first came back tell nothing new.
    if (signal.rateBound && this.pausedUntilMs <= at.getTime()) this.requestsPerSecond = Math.max(MIN_RATE, this.requestsPerSecond / 2);
    this.pausedUntilMs = Math.max(this.pausedUntilMs, signal.pausedUntilMs);
  }

  private ensureLoop(): void {
    if (this.loop || this.stopped()) return;
    this.loop = (async () => {
      try {
        for (;;) {
          await this.pass().catch(() => undefined);
          const now = this.now();
          const idle = this.active === 0 && this.waiting === 0 && now - this.lastBusyMs >= this.t.idleMs;
          if (this.stopped() || (idle && this.held.size === 0 && !this.shareRequest && !this.pending)) return;
          await this.opts.clock.sleep(this.t.renewEveryMs);
        }
      } finally {
        this.loop = null;
      }
    })();
  }

  /** One lease pass (never two at once on one instance). */
  pass(): Promise<void> {
    this.passing ??= this.doPass().finally(() => {
      this.passing = null;
      this.notify();
    });
    return this.passing;
  }

  private async doPass(): Promise<void> {
    const { store } = this.opts;
    const at = this.opts.clock.now();
    const now = at.getTime();
    let doc = await store.get('carriers', this.carrierId);
    if (!doc) throw new Error(`carrier ${this.carrierId} does not exist`);
    doc = await this.shareThrottle(doc, at);
    const limit = effectiveLimit(doc.capacity, doc.throttle);
    // A 429 that came while this pass read the carrier is not on it yet: the lower local limit holds until it is.
    this.concurrency = this.pending ? Math.min(this.concurrency, limit.concurrency) : limit.concurrency;
    this.requestsPerSecond = this.pending ? Math.min(this.requestsPerSecond, limit.requestsPerSecond) : limit.requestsPerSecond;
    // Slow start only where nobody has learnt the member's limit; a limit learnt since ends it.
    if (!this.known && !doc.throttle) this.window = Math.min(this.t.slowStartWindow, this.concurrency);
    if (doc.throttle || (this.window !== null && this.window >= this.concurrency)) this.window = null;
    this.tooManyRequests = Math.max(this.tooManyRequests, doc.throttle?.tooManyRequests ?? 0);
    if (doc.throttle?.pausedUntil) this.pausedUntilMs = Math.max(this.pausedUntilMs, Date.parse(doc.throttle.pausedUntil));
    this.known = true;

    const [slots, asks] = await Promise.all([
      store.query('carrierSlots', { where: { carrierId: this.carrierId }, limit: 1000 }),
      store.query('carrierShareRequests', { where: { carrierId: this.carrierId }, limit: 1000 }),
    ]);
    const me = this.opts.owner;
    const byIndex = new Map(slots.items.map((s) => [s.index, s]));
    const live = (until: string | null) => until !== null && Date.parse(until) > now;
    // What the store says is ours is ours; a slot we thought ours and is not (expired, taken) is gone.
    for (const index of [...this.held.keys()]) {
      const s = byIndex.get(index);
      if (!s || s.owner !== me || !live(s.until)) this.held.delete(index);
      else this.held.set(index, { version: s.version, untilMs: Date.parse(s.until!) });
    }
    const K = this.concurrency;
    const others = new Set<string>();
    for (const s of slots.items) if (s.owner && s.owner !== me && live(s.until) && s.index < K) others.add(s.owner);
    const waiters = asks.items.filter((a) => a.owner !== me && live(a.until));
    for (const a of waiters) others.add(a.owner);
    const demand = this.stopped() ? 0 : this.active + this.waiting;
    // Busy: requests now, or a moment ago (a caller sending one request at a time is between two).
    const busy = !this.stopped() && (demand > 0 || now - this.lastBusyMs < this.t.idleMs);
    const n = others.size + (busy ? 1 : 0);
    const fairFloor = n > 0 ? Math.floor(K / n) : K;
    const cap = others.size === 0 ? K : Math.ceil(K / Math.max(1, n));
    // Slots carry the rate as well as the concurrency (rate() is the declared rate × the share of
    // slots held), so a busy instance takes its whole part, not one slot per request in flight: a
    // drift check asking one thing at a time held 1 of 8 slots and got 2.5 of the member's 20
    // requests/s (the Nanao replay went from 222 s to over 600 s).
    let target = busy ? cap : 0;
    // Someone waits for its part: keep no more than the fair floor (0 when there are more instances than slots: they take turns).
    if (waiters.length > 0) target = Math.min(target, fairFloor);

    const groups: GuardedWrite[] = [];
    const effects: Array<(landed: boolean) => void> = [];
    const put = (slot: CarrierSlot, expect: number | null, effect: (landed: boolean) => void) => {
      groups.push({ expect: [{ collection: 'carrierSlots', id: slot.id, version: expect }], puts: [{ collection: 'carrierSlots', doc: slot }] });
      effects.push(effect);
    };
    const validMine = [...this.held.keys()].filter((i) => i < K).sort((a, b) => a - b);
    // Give back: slots past the limit, and valid ones above the target that are not in use.
    const surplus = Math.max(0, validMine.length - Math.max(target, this.active));
    const giveBack = [...[...this.held.keys()].filter((i) => i >= K), ...validMine.slice(validMine.length - surplus)];
    for (const index of giveBack) {
      const h = this.held.get(index)!;
      put({ id: slotId(this.carrierId, index), version: h.version + 1, carrierId: this.carrierId, index, owner: null, until: null }, h.version, (ok) => {
        if (ok) this.held.delete(index);
      });
    }
    const keep = validMine.filter((i) => !giveBack.includes(i));
    // Renew what is kept and half spent.
    for (const index of keep) {
      const h = this.held.get(index)!;
      if (h.untilMs - now > this.t.leaseMs / 2) continue;
      const untilMs = now + this.t.leaseMs;
      put({ id: slotId(this.carrierId, index), version: h.version + 1, carrierId: this.carrierId, index, owner: me, until: new Date(untilMs).toISOString() }, h.version, (ok) => {
        if (ok) this.held.set(index, { version: h.version + 1, untilMs });
      });
    }
    // Claim free or expired slots up to the target.
    let short = target - keep.length;
    for (let index = 0; index < K && short > 0; index++) {
      if (this.held.has(index)) continue;
      const s = byIndex.get(index);
      if (s && s.owner && live(s.until)) continue;
      const version = s ? s.version + 1 : 0;
      const untilMs = now + this.t.leaseMs;
      put({ id: slotId(this.carrierId, index), version, carrierId: this.carrierId, index, owner: me, until: new Date(untilMs).toISOString() }, s ? s.version : null, (ok) => {
        if (ok) this.held.set(index, { version, untilMs });
      });
      short--;
    }
    const landed = groups.length ? await store.commitGuarded(groups) : [];
    landed.forEach((ok, i) => effects[i]!(ok));
    await this.askForShare(demand > 0 && this.permits(now) < Math.min(demand, Math.max(1, fairFloor)), now);
  }

  /** Leaves (or withdraws) this instance's request for a share, rewriting it only when half spent. */
  private async askForShare(short: boolean, now: number): Promise<void> {
    const id = `${this.carrierId}~${this.opts.owner}`;
    const mine = this.shareRequest;
    if (short && (!mine || mine.untilMs - now <= this.t.leaseMs / 2)) {
      const version = mine ? mine.version + 1 : 0;
      const untilMs = now + this.t.leaseMs;
      const doc: CarrierShareRequest = { id, version, carrierId: this.carrierId, owner: this.opts.owner, until: new Date(untilMs).toISOString() };
      await this.opts.store.put('carrierShareRequests', doc);
      this.shareRequest = { version, untilMs };
    } else if (!short && mine) {
      await this.opts.store.delete('carrierShareRequests', id);
      this.shareRequest = null;
    }
  }

  /** Tells the others what this instance learnt (429s), or takes one growth step; one guarded write on the carrier, at most. */
  private async shareThrottle(doc: CarrierDoc, at: Date): Promise<CarrierDoc> {
    const signal = this.pending;
    const throttle = signal ? afterThrottled(doc.capacity, doc.throttle, signal, at) : grown(doc.capacity, doc.throttle, at);
    if (!throttle) return doc;
    this.pending = null;
    const next = bumped(doc, { throttle });
    const [landed] = await this.opts.store
      .commitGuarded([{ expect: [{ collection: 'carriers', id: doc.id, version: doc.version }], puts: [{ collection: 'carriers', doc: next }] }])
      .catch(() => [false]);
    if (landed) return next;
    // Another instance wrote the carrier first: tell it again at the next pass.
    if (signal) this.pending = this.pending ? mergeSignals(signal, this.pending) : signal;
    return doc;
  }

  async releaseAll(): Promise<void> {
    await this.passing?.catch(() => undefined);
    const groups: GuardedWrite[] = [...this.held].map(([index, h]) => ({
      expect: [{ collection: 'carrierSlots', id: slotId(this.carrierId, index), version: h.version }],
      puts: [{ collection: 'carrierSlots', doc: { id: slotId(this.carrierId, index), version: h.version + 1, carrierId: this.carrierId, index, owner: null, until: null } }],
    }));
    this.held.clear();
    this.notify();
    if (groups.length) await this.opts.store.commitGuarded(groups).catch(() => undefined);
    if (this.shareRequest) await this.opts.store.delete('carrierShareRequests', `${this.carrierId}~${this.opts.owner}`).catch(() => undefined);
    this.shareRequest = null;
  }

  view(): BudgetView {
    return { concurrency: this.concurrency, requestsPerSecond: this.requestsPerSecond, held: this.held.size, permits: this.permits(), active: this.active, waiting: this.waiting, tooManyRequests: this.tooManyRequests, window: this.window };
  }
}
