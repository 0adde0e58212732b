import type { PhoneNumber } from '../model/index.js';
import { CarrierError, CarrierPending, type CarrierAdapter, type VoiceRouting } from '../carriers/carrier.js';
import type { EngineDeps } from './engine-deps.js';
import { bumpedAt } from '../store/versioned.js';
import { agingDue, eachNumber } from './settle-aged-numbers.js';
import { audited, isCarrierTrouble, type DriftReport } from './drift-report.js';

/** One carrier's numbers: observed in one listing, repaired where the routing differs from what the state wants. */
export async function driftNumbers(deps: EngineDeps, carrier: CarrierAdapter, report: DriftReport, touched: Set<string>): Promise<void> {
  const now = deps.clock.now();
  const wanted: PhoneNumber[] = [];
  await eachNumber(deps, { carrierId: carrier.carrierId }, async (n) => {
    // A due aging number belongs to settleAgedNumbers, which resets it: intercepting it again would undo that.
    if (n.state === 'in_service' || n.state === 'suspended' || (n.state === 'aging' && !agingDue(n, now))) wanted.push(n);
  });
  if (wanted.length === 0) return;
  let observed: Map<string, VoiceRouting | null>;
  try {
    observed = new Map((await carrier.discoverNumbers()).map((d) => [d.e164, d.routing]));
  } catch (err) {
    if (!isCarrierTrouble(err)) throw err;
    report.unreachable.push(...wanted.map((n) => ({ carrierId: carrier.carrierId, item: n.e164 })));
    return;
  }
  for (const n of wanted) {
    report.checked++;
    const expected = n.state === 'in_service' ? deps.urls.voiceUrl : deps.urls.intercept(n.state === 'suspended' ? 'suspended' : 'closed');
    const actual = observed.get(n.e164)?.voiceUrl ?? null;
    if (actual === expected) {
      if (n.state === 'in_service') await confirmRouting(deps, n.e164, touched, report);
      continue;
    }
    try {
      if (n.state === 'in_service') await carrier.routeNumber(n.e164, { voiceUrl: deps.urls.voiceUrl, voiceFallbackUrl: deps.urls.voiceFallbackUrl, statusCallback: deps.urls.statusCallback });
      else await carrier.interceptNumber(n.e164, expected);
    } catch (err) {
      // An api member was asked (its work order is the record): a later check sees it done. Not out of reach.
      if (err instanceof CarrierPending) continue;
      if (!(err instanceof CarrierError)) throw err;
      report.unreachable.push({ carrierId: n.carrierId, item: n.e164 });
      continue;
    }
    report.repaired.push({ e164: n.e164, carrierId: n.carrierId, expected, found: actual });
    await audited(deps, { collection: 'numbers', id: n.e164 }, actual, expected, `carrier ${n.carrierId} routing differed from the desired state (${n.state})`);
    if (n.state === 'in_service') await confirmRouting(deps, n.e164, touched, report);
  }
}


/** Marks an in-service number's routing as seen now, if it was not; notes its shelter for a service refresh. */
async function confirmRouting(deps: EngineDeps, e164: string, touched: Set<string>, report: DriftReport): Promise<void> {
  const at = deps.clock.now().toISOString();
  const confirmed = await deps.store.transaction(async (tx) => {
    const cur = await tx.get('numbers', e164);
    if (!cur || cur.state !== 'in_service' || cur.routingConfirmedAt) return null;
    tx.put('numbers', bumpedAt(cur, at, { routingConfirmedAt: at }));
    return { shelterId: cur.shelterId };
  });
  if (!confirmed) return;
  report.confirmed.push(e164);
  if (confirmed.shelterId) touched.add(confirmed.shelterId);
}
