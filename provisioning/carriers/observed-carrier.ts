import type { CarrierAdapter } from './carrier.js';

/**
 * Wraps a carrier so each operation's outcome and latency is reported (health, metrics), and a
 * carrier known to be down fails fast (`admit` throws: circuit open). The member's limit is not
 * here: it holds per HTTP request, in the carrier's budget (carrier-budget.ts).
 */
export function observed(carrier: CarrierAdapter, observe?: (ok: boolean, err?: unknown, seconds?: number) => void, admit?: () => void): CarrierAdapter {
  const wrap = <A extends unknown[], R>(fn: (...a: A) => Promise<R>) => async (...args: A): Promise<R> => {
    // A carrier known to be down fails fast (circuit open), so its work never holds up the others.
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
  };
  return {
    carrierId: carrier.carrierId,
    discoverNumbers: wrap(() => carrier.discoverNumbers()),
    routeNumber: wrap((e164: string, routing: Parameters<CarrierAdapter['routeNumber']>[1]) => carrier.routeNumber(e164, routing)),
    interceptNumber: wrap((e164: string, url: string) => carrier.interceptNumber(e164, url)),
    resetNumber: wrap((e164: string) => carrier.resetNumber(e164)),
    ensureSipDomain: wrap((spec: Parameters<CarrierAdapter['ensureSipDomain']>[0]) => carrier.ensureSipDomain(spec)),
    ensureCredential: wrap((spec: Parameters<CarrierAdapter['ensureCredential']>[0]) => carrier.ensureCredential(spec)),
    deleteCredential: wrap((shelterId: string, username: string) => carrier.deleteCredential(shelterId, username)),
    listCredentials: wrap((shelterId: string) => carrier.listCredentials(shelterId)),
    credentialShelters: wrap(() => carrier.credentialShelters()),
    deleteShelterCredentials: wrap((shelterId: string) => carrier.deleteShelterCredentials(shelterId)),
    // Health probes are not observed as operations: they must answer while the circuit is open.
    health: () => carrier.health(),
    ...(carrier.placeTestCall ? { placeTestCall: wrap((spec: Parameters<NonNullable<CarrierAdapter['placeTestCall']>>[0]) => carrier.placeTestCall!(spec)) } : {}),
    ...(carrier.testCallStatus ? { testCallStatus: wrap((callRef: string) => carrier.testCallStatus!(callRef)) } : {}),
  };
}
