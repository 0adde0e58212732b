import type { PhoneNumber } from '../model/index.js';
import { assignability } from '../numbers/lifecycle.js';
import type { CarrierGate } from './carrier-gate.js';

/** A sorted list consumed from the front; numbers used elsewhere are skipped lazily. */
export class Bucket {
  private i = 0;
  readonly items: PhoneNumber[] = [];
  peek(used: ReadonlySet<string>): PhoneNumber | null {
    while (this.i < this.items.length && used.has(this.items[this.i]!.e164)) this.i++;
    return this.items[this.i] ?? null;
  }
  remaining(used: ReadonlySet<string>): number {
    let n = 0;
    for (let j = this.i; j < this.items.length; j++) if (!used.has(this.items[j]!.e164)) n++;
    return n;
  }
}

export type AreaBuckets = { emergency: Bucket; plain: Bucket };

/** Why pool numbers could not be offered, counted for shortfall explanations. */
export type PoolStats = {
  /** 0AB-J numbers per area code whose carrier may not lend them now, by carrier. */
  blockedArea: Map<string, Map<string, number>>;
  /** 050 numbers whose carrier may not lend now, by carrier. */
  blocked050: Map<string, number>;
  /** 0AB-J numbers per area code ageing for some other shelter. */
  quarantinedArea: Map<string, number>;
  quarantined050: number;
  /** Numbers whose carrier is not in the carrier list. */
  unknownCarrier: number;
};

export type PoolIndex = {
  /** area code → carrier → buckets of 0AB-J numbers anyone may take. */
  area: Map<string, Map<string, AreaBuckets>>;
  /** carrier → 050 numbers anyone may take. */
  ip050: Map<string, Bucket>;
  /** shelter → its own previous numbers it may reclaim. */
  reclaim: Map<string, PhoneNumber[]>;
  stats: PoolStats;
};

/** Area codes compared with one leading 0 and digits only, as stored in the model. */
export function areaKey(code: string): string {
  const digits = code.replace(/\D/g, '');
  return digits.startsWith('0') ? digits : `0${digits}`;
}

function bump<K>(m: Map<K, number>, k: K): void {
  m.set(k, (m.get(k) ?? 0) + 1);
}

/** Indexes the pool once by area code, kind and carrier, so planning never scans it per shelter. */
export function indexPool(pool: readonly PhoneNumber[], gates: ReadonlyMap<string, CarrierGate>, now: Date): PoolIndex {
  const index: PoolIndex = {
    area: new Map(),
    ip050: new Map(),
    reclaim: new Map(),
    stats: { blockedArea: new Map(), blocked050: new Map(), quarantinedArea: new Map(), quarantined050: 0, unknownCarrier: 0 },
  };
  const seen = new Set<string>();
  const sorted = [...pool].sort((a, b) => (a.e164 < b.e164 ? -1 : a.e164 > b.e164 ? 1 : 0));
  for (const n of sorted) {
    if (seen.has(n.e164)) continue;
    seen.add(n.e164);
    if (n.kind !== '0ABJ' && n.kind !== '050') continue; // only geographic and IP-phone numbers are lent to shelters
    if (n.kind === '0ABJ' && n.areaCode === null) continue; // a 0AB-J without an area fits no shelter
    const area = n.kind === '0ABJ' ? areaKey(n.areaCode!) : null;
    const gate = gates.get(n.carrierId);
    if (!gate) {
      index.stats.unknownCarrier++;
      continue;
    }
    const allowed = area === null ? gate.open : gate.open0ABJ;
    if (!allowed) {
      if (area === null) bump(index.stats.blocked050, n.carrierId);
      else {
        const byCarrier = index.stats.blockedArea.get(area) ?? new Map<string, number>();
        bump(byCarrier, n.carrierId);
        index.stats.blockedArea.set(area, byCarrier);
      }
      continue;
    }
    // '' matches no shelter: ok here means anyone may take it.
    const forAnyone = assignability(n, '', now).ok;
    const prev = n.previousShelterId;
    if (prev) {
      const own = assignability(n, prev, now);
      if (own.ok && own.reclaim) {
        const list = index.reclaim.get(prev) ?? [];
        list.push(n);
        index.reclaim.set(prev, list);
      }
    }
    if (!forAnyone) {
      if (n.state === 'aging') {
        if (area === null) index.stats.quarantined050++;
        else bump(index.stats.quarantinedArea, area);
      }
      continue;
    }
    if (area === null) {
      const b = index.ip050.get(n.carrierId) ?? new Bucket();
      b.items.push(n);
      index.ip050.set(n.carrierId, b);
    } else {
      const byCarrier = index.area.get(area) ?? new Map<string, AreaBuckets>();
      const buckets = byCarrier.get(n.carrierId) ?? { emergency: new Bucket(), plain: new Bucket() };
      (n.emergencyCapable ? buckets.emergency : buckets.plain).items.push(n);
      byCarrier.set(n.carrierId, buckets);
      index.area.set(area, byCarrier);
    }
  }
  return index;
}
