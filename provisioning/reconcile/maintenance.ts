import type { PhoneNumber } from '../model/index.js';
import type { Page } from '../store/store.js';
import { settleAging } from '../numbers/lifecycle.js';
import { CarrierError } from '../carriers/carrier.js';
import { appendAudit } from '../audit/audit-log.js';
import type { EngineDeps } from './engine.js';
import { RECONCILER } from './reconcile-shelter.js';
import { describe } from './job-run.js';
import { refreshShelterHealth } from '../carriers/shelter-health-sync.js';

async function pagesOf(deps: EngineDeps, state: PhoneNumber['state'], fn: (n: PhoneNumber) => Promise<void>): Promise<void> {
  let cursor: string | null = null;
  do {
    const page: Page<PhoneNumber> = await deps.store.query('numbers', { where: { state }, limit: 500, cursor });
    for (const n of page.items) await fn(n);
    cursor = page.nextCursor;
  } while (cursor);
}

/** Numbers whose quarantine ended: routing cleared on the carrier, then `available`. */
export async function settleAgedNumbers(deps: EngineDeps): Promise<{ settled: string[] }> {
  const now = deps.clock.now();
  const settled: string[] = [];
  await pagesOf(deps, 'aging', async (n) => {
    if (!n.agingUntil || n.agingUntil > now.toISOString()) return;
    try {
      await (await deps.carriers.get(n.carrierId)).resetNumber(n.e164);
    } catch (err) {
      deps.logger.warn({ e164: n.e164, error: describe(err) }, 'could not clear an aged number yet');
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

export interface DriftReport {
  checked: number;
  /** In-service numbers whose routing was seen (or repaired) and so count as working again. */
  confirmed: string[];
  repaired: Array<{ e164: string; carrierId: string; expected: string; found: string | null }>;
  unreachable: string[];
}

/**
 * Compares each number's routing on its carrier with what its state wants, repairs what drifted
 * and records it in the audit log. Carriers that are down are skipped (failover covers them).
 * An in-service number whose routing it saw is confirmed: that is when a recovered carrier's
 * lines count as working again, and their shelters' service is recomputed.
 */
export async function driftCheck(deps: EngineDeps, opts: { carrierId?: string | null } = {}): Promise<DriftReport> {
  const report: DriftReport = { checked: 0, confirmed: [], repaired: [], unreachable: [] };
  const touched = new Set<string>();
  const carriers = (await deps.store.query('carriers', { limit: 1000 })).items;
  const down = new Set(carriers.filter((c) => c.health === 'down').map((c) => c.id));
  const expectations: Array<[PhoneNumber['state'], (n: PhoneNumber) => string]> = [
    ['in_service', () => deps.urls.voiceUrl],
    ['aging', () => deps.urls.intercept('closed')],
    ['suspended', () => deps.urls.intercept('suspended')],
  ];
  for (const [state, expectedUrl] of expectations) {
    await pagesOf(deps, state, async (n) => {
      if (down.has(n.carrierId) || (opts.carrierId && n.carrierId !== opts.carrierId)) return;
      report.checked++;
      const carrier = await deps.carriers.get(n.carrierId);
      const expected = expectedUrl(n);
      try {
        const actual = await carrier.readRouting(n.e164);
        if (actual?.voiceUrl === expected) {
          if (state === 'in_service') await confirmRouting(deps, n.e164, touched, report);
          return;
        }
        if (state === 'in_service') await carrier.routeNumber(n.e164, { voiceUrl: deps.urls.voiceUrl, voiceFallbackUrl: deps.urls.voiceFallbackUrl, statusCallback: deps.urls.statusCallback });
        else await carrier.interceptNumber(n.e164, expected);
        report.repaired.push({ e164: n.e164, carrierId: n.carrierId, expected, found: actual?.voiceUrl ?? null });
        await deps.store.transaction(async (tx) => {
          appendAudit(tx, { at: deps.clock.now(), actor: RECONCILER, action: 'drift.repaired', entity: { collection: 'numbers', id: n.e164 }, from: actual?.voiceUrl ?? null, to: expected, reason: `carrier ${n.carrierId} routing differed from the desired state (${state})` });
        });
        if (state === 'in_service') await confirmRouting(deps, n.e164, touched, report);
      } catch (err) {
        if (err instanceof CarrierError || (err as Error).name === 'CarrierPending') report.unreachable.push(n.e164);
        else throw err;
      }
    });
  }
  for (const shelterId of touched) await refreshShelterHealth(deps.store, shelterId, deps.clock.now());
  return report;
}

/** Marks an in-service number's routing as seen now, if it was not; notes its shelter for a service refresh. */
async function confirmRouting(deps: EngineDeps, e164: string, touched: Set<string>, report: DriftReport): Promise<void> {
  const at = deps.clock.now().toISOString();
  const confirmed = await deps.store.transaction(async (tx) => {
    const cur = await tx.get('numbers', e164);
    if (!cur || cur.state !== 'in_service' || cur.routingConfirmedAt) return null;
    tx.put('numbers', { ...cur, routingConfirmedAt: at, version: cur.version + 1, updatedAt: at });
    return { shelterId: cur.shelterId };
  });
  if (!confirmed) return;
  report.confirmed.push(e164);
  if (confirmed.shelterId) touched.add(confirmed.shelterId);
}
