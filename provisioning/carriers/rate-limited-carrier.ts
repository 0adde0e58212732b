import { TokenBucket } from 'limiter';
import pLimit from 'p-limit';
import type { Carrier } from './carrier.js';
import type { CarrierCapacity } from '../model/index.js';

/**
 * The carrier's token bucket: awaited before every API request the adapter makes (one operation
 * such as "route this number" is several requests), so we never call a member's API faster than
 * it agreed to.
 */
export function requestRateLimit(capacity: CarrierCapacity): () => Promise<void> {
  const bucket = new TokenBucket({ bucketSize: Math.max(1, Math.ceil(capacity.requestsPerSecond)), tokensPerInterval: capacity.requestsPerSecond, interval: 'second' });
  return async () => {
    await bucket.removeTokens(1);
  };
}

/**
 * Wraps a carrier so at most `capacity.concurrency` operations run on it at once, and reports
 * each operation's outcome (for health).
 */
export function rateLimited(carrier: Carrier, capacity: CarrierCapacity, observe?: (ok: boolean, err?: unknown, seconds?: number) => void, admit?: () => void): Carrier {
  const slots = pLimit(capacity.concurrency);
  const wrap = <A extends unknown[], R>(fn: (...a: A) => Promise<R>) => (...args: A): Promise<R> =>
    slots(async () => {
      // A carrier known to be down fails fast (circuit open), so its queue never holds up the others.
      admit?.();
      const started = performance.now();
      try {
        const r = await fn(...args);
        observe?.(true, undefined, (performance.now() - started) / 1000);
        return r;
      } catch (err) {
        observe?.(false, err, (performance.now() - started) / 1000);
        throw err;
      }
    });
  return {
    carrierId: carrier.carrierId,
    discoverNumbers: wrap(() => carrier.discoverNumbers()),
    routeNumber: wrap((e164: string, routing: Parameters<Carrier['routeNumber']>[1]) => carrier.routeNumber(e164, routing)),
    interceptNumber: wrap((e164: string, url: string) => carrier.interceptNumber(e164, url)),
    resetNumber: wrap((e164: string) => carrier.resetNumber(e164)),
    ensureSipDomain: wrap((spec: Parameters<Carrier['ensureSipDomain']>[0]) => carrier.ensureSipDomain(spec)),
    ensureCredential: wrap((spec: Parameters<Carrier['ensureCredential']>[0]) => carrier.ensureCredential(spec)),
    deleteCredential: wrap((shelterId: string, username: string) => carrier.deleteCredential(shelterId, username)),
    listCredentials: wrap((shelterId: string) => carrier.listCredentials(shelterId)),
    credentialShelters: wrap(() => carrier.credentialShelters()),
    deleteShelterCredentials: wrap((shelterId: string) => carrier.deleteShelterCredentials(shelterId)),
    // Health probes are not throttled: they must answer while a bucket is drained.
    health: () => carrier.health(),
    ...(carrier.placeTestCall ? { placeTestCall: wrap((spec: Parameters<NonNullable<Carrier['placeTestCall']>>[0]) => carrier.placeTestCall!(spec)) } : {}),
    ...(carrier.testCallStatus ? { testCallStatus: wrap((callRef: string) => carrier.testCallStatus!(callRef)) } : {}),
  };
}
