import type { RateWindow } from '../model/index.js';
import type { Store } from '../store/store.js';

/** One limit: at most `max` uses of `key` in any `windowMs`. */
export interface WindowLimit<N extends string = string> {
  name: N;
  key: string;
  max: number;
  windowMs: number;
}

export type WindowTaken<N extends string = string> =
  | { ok: true }
  /** The first limit that is full, and when a use would be taken again (the latest of the full ones). */
  | { ok: false; limit: WindowLimit<N>; retryAfterSeconds: number };

/**
 * Takes one use from every window, or from none when any is full: sliding windows kept in the
 * store (one small document per key), so every instance counts the same uses and ten parallel
 * requests cannot all read "none yet". Per-instance counters (express-rate-limit's stores) would
 * let each instance behind Cloud Run grant the limit again.
 */
export async function takeFromWindows<N extends string>(store: Store, limits: readonly WindowLimit<N>[], now: Date): Promise<WindowTaken<N>> {
  const t = now.getTime();
  return store.transaction(async (tx) => {
    const docs = await Promise.all(limits.map((l) => tx.get('rateWindows', l.key)));
    const live = limits.map((l, i) => (docs[i]?.uses ?? []).filter((u) => Date.parse(u) > t - l.windowMs).sort());
    const full = limits.flatMap((l, i) => (live[i]!.length >= l.max ? [{ limit: l, waitMs: Date.parse(live[i]![live[i]!.length - l.max]!) + l.windowMs - t }] : []));
    if (full.length > 0) return { ok: false as const, limit: full[0]!.limit, retryAfterSeconds: Math.max(1, Math.ceil(Math.max(...full.map((f) => f.waitMs)) / 1000)) };
    limits.forEach((l, i) => {
      const doc: RateWindow = { id: l.key, version: (docs[i]?.version ?? -1) + 1, uses: [...live[i]!, now.toISOString()].slice(-l.max), updatedAt: now.toISOString() };
      tx.put('rateWindows', doc);
    });
    return { ok: true as const };
  });
}
