import type { Carrier, Handset, PhoneNumber, Shelter } from '../model/index.js';
import { message } from '../model/messages.js';
import type { Reader, Store, Transaction } from '../store/store.js';
import { posterOutOfDate, serviceChanged, serviceStatus, shelterService, statusAfterServiceChange } from '../numbers/line-health.js';
import { handsetConfigVersion } from '../handsets/registrar-order.js';
import { raiseAlert, resolveAlerts } from '../alerts/alerts.js';
import { bumpedAt } from '../store/versioned.js';

export interface ShelterHealthInputs {
  shelter: Shelter;
  numbers: PhoneNumber[];
  carriers: Map<string, Carrier>;
  handsets: Handset[];
}

/**
 * Everything a shelter's service depends on, read inside the caller's transaction (reads before
 * writes) — except the carriers, read from `committed` outside it. Every shelter's transaction
 * would otherwise lock every carrier document: one such transaction of a killed instance then
 * blocks any carrier write for a minute, and its process's other transactions queue behind it.
 * Reading them after the shelter is safe: a carrier's health change commits first and then
 * rewrites each affected shelter in a transaction of its own, which comes after this one.
 */
export async function readShelterHealth(tx: Transaction, shelterId: string, committed: Reader): Promise<ShelterHealthInputs | null> {
  const shelter = await tx.get('shelters', shelterId);
  if (!shelter) return null;
  const [numbers, carriers, handsets] = await Promise.all([
    tx.query('numbers', { where: { shelterId }, limit: 50 }),
    committed.query('carriers', { limit: 1000 }),
    tx.query('handsets', { where: { shelterId }, limit: 200 }),
  ]);
  return { shelter, numbers: numbers.items, carriers: new Map(carriers.items.map((c) => [c.id, c])), handsets: handsets.items };
}

/**
 * Recomputes a shelter's service and status from its lines and their carriers, and the version of
 * its handsets' files; returns the shelter (unversioned) and the handsets whose version changed.
 * `patch` lets the caller change the shelter in the same write (e.g. its job, its replacement lines).
 */
export function computeShelterHealth(inputs: ShelterHealthInputs, at: Date, patch: Partial<Shelter> = {}, opts: { jobEnded?: boolean } = {}): { shelter: Shelter; changed: boolean; handsets: Handset[] } {
  const base: Shelter = { ...inputs.shelter, ...patch };
  const stamp = at.toISOString();
  let next: Shelter = base;
  if (base.desiredStatus === 'open') {
    const service = shelterService(base, inputs.numbers, inputs.carriers, at);
    const changed = serviceChanged(base.service, service);
    next = {
      ...base,
      service: changed ? service : base.service,
      // The end of an opening job settles its status; otherwise only a running shelter's status follows its lines.
      actualStatus: opts.jobEnded ? serviceStatus(service) : statusAfterServiceChange(base.actualStatus, service),
      noEmergencyLine: !service.emergencyCapable,
    };
  } else if (base.service !== null || base.noEmergencyLine) {
    next = { ...base, service: null, noEmergencyLine: false };
  }
  // The poster and the directory on the wall know their age: stale once what they printed is no longer what is true.
  if (next.lastPrint) next = { ...next, lastPrint: { ...next.lastPrint, outOfDate: posterOutOfDate(next.lastPrint, next.service) } };
  if (next.lastDirectoryPrint) next = { ...next, lastDirectoryPrint: { ...next.lastDirectoryPrint, outOfDate: posterOutOfDate(next.lastDirectoryPrint, next.service) } };
  const handsets: Handset[] = [];
  for (const h of inputs.handsets) {
    if (h.status !== 'active') continue;
    const configVersion = handsetConfigVersion(h, next, inputs.carriers);
    if (configVersion !== h.configVersion) handsets.push(bumpedAt(h, stamp, { configVersion }));
  }
  return { shelter: next, changed: JSON.stringify(next) !== JSON.stringify(inputs.shelter), handsets };
}

/** Writes what computeShelterHealth found changed: the store's change feed carries it to every board. */
export function writeShelterHealth(tx: Transaction, inputs: ShelterHealthInputs, at: Date, patch: Partial<Shelter> = {}, opts: { jobEnded?: boolean } = {}): Shelter {
  const result = computeShelterHealth(inputs, at, patch, opts);
  let next = result.shelter;
  if (result.changed) {
    next = bumpedAt(inputs.shelter, at, next);
    tx.put('shelters', next);
  }
  for (const h of result.handsets) tx.put('handsets', h);
  return next;
}

/** One transaction: read, recompute, write. */
export async function syncShelterHealth(tx: Transaction, committed: Reader, shelterId: string, at: Date, patch: Partial<Shelter> = {}): Promise<Shelter | null> {
  const inputs = await readShelterHealth(tx, shelterId, committed);
  return inputs ? writeShelterHealth(tx, inputs, at, patch) : null;
}

/** The same in a transaction of its own, for callers outside one (drift check, suspensions). */
export async function refreshShelterHealth(store: Store, shelterId: string, at: Date): Promise<Shelter | null> {
  const shelter = await store.transaction((tx) => syncShelterHealth(tx, store, shelterId, at));
  await alertShelterService(store, shelter, at);
  return shelter;
}

/** The board's alerts for a shelter whose lines fall short: none working, or none that can call 110/118/119. */
export async function alertShelterService(store: Store, shelter: Shelter | null, at: Date): Promise<void> {
  if (!shelter) return;
  const open = shelter.desiredStatus === 'open';
  if (open && !shelter.service) return;
  const noLine = open && shelter.actualStatus === 'no_line';
  const noEmergency = open && !noLine && shelter.noEmergencyLine;
  if (noLine) await raiseAlert(store, at, { severity: 'critical', kind: 'no_line', shelterId: shelter.id, text: message('alert.shelter_no_line', { shelter: shelter.name }) });
  else await resolveAlerts(store, at, { kind: 'no_line', shelterId: shelter.id });
  if (noEmergency) await raiseAlert(store, at, { severity: 'warning', kind: 'no_emergency', shelterId: shelter.id, text: message('alert.shelter_no_emergency', { shelter: shelter.name }) });
  else await resolveAlerts(store, at, { kind: 'no_emergency', shelterId: shelter.id });
}
