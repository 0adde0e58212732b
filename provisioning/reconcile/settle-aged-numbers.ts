import type { PhoneNumber } from '../model/index.js';
import { eachDocument } from '../store/paging.js';
import { settleAging } from '../numbers/lifecycle.js';
import { describeError } from '../errors.js';
import { RECONCILER, type EngineDeps } from './engine-deps.js';

/** Each number matching `where`, page by page, handed to `fn` in turn. */
export async function eachNumber(deps: EngineDeps, where: { state?: PhoneNumber['state']; carrierId?: string }, fn: (n: PhoneNumber) => Promise<void>): Promise<void> {
  for await (const n of eachDocument(deps.store, 'numbers', { where, limit: 500 })) await fn(n);
}

export const agingDue = (n: PhoneNumber, now: Date) => n.state === 'aging' && (!n.agingUntil || n.agingUntil <= now.toISOString());

/** Numbers whose quarantine ended: routing cleared on the carrier, then `available`. */
export async function settleAgedNumbers(deps: EngineDeps): Promise<{ settled: string[] }> {
  const now = deps.clock.now();
  const settled: string[] = [];
  await eachNumber(deps, { state: 'aging' }, async (n) => {
    if (!agingDue(n, now)) return;
    try {
      await (await deps.carriers.get(n.carrierId)).resetNumber(n.e164);
    } catch (err) {
      deps.logger.warn({ e164: n.e164, error: describeError(err) }, 'could not clear an aged number yet');
      return;
    }
    await deps.store.transaction(async (tx) => {
      const cur = await tx.get('numbers', n.e164);
      const moved = cur ? settleAging(cur, now, RECONCILER) : null;
      if (!moved) return;
      tx.put('numbers', moved.number);
      tx.put('audit', moved.event);
      settled.push(n.e164);
    });
  });
  return { settled };
}
