import type { Carrier } from '../model/index.js';
import { lendingEligibility } from '../compliance/certification.js';

/** What one carrier may be given in this plan, decided once per plan rather than per number. */
export type CarrierGate = {
  carrier: Carrier;
  /** May lend at all (050). */
  open: boolean;
  /** May lend 0AB-J numbers. */
  open0ABJ: boolean;
  /** Why not, in plain words (empty when fully open). */
  reasons: string[];
  maxLines: number;
};

export function carrierGates(
  carriers: readonly Carrier[],
  opts: { now: Date; etocGraceDays: number; excludeCarriers?: readonly string[] },
): Map<string, CarrierGate> {
  const excluded = new Set(opts.excludeCarriers ?? []);
  const gates = new Map<string, CarrierGate>();
  for (const carrier of carriers) {
    const e = lendingEligibility(carrier, opts.now, { etocGraceDays: opts.etocGraceDays });
    const reasons = [...e.reasons];
    const down = carrier.health === 'down' || carrier.manualDown;
    if (down) reasons.push(`carrier is down${carrier.healthReason ? `: ${carrier.healthReason}` : ''}`);
    if (excluded.has(carrier.id)) reasons.push('carrier excluded from this allocation');
    const usable = !down && !excluded.has(carrier.id);
    gates.set(carrier.id, {
      carrier,
      open: usable && e.canLend,
      open0ABJ: usable && e.canLend0ABJ,
      reasons,
      maxLines: carrier.capacity.maxLines ?? Number.POSITIVE_INFINITY,
    });
  }
  return gates;
}
