import type { Carrier, LineHealth, PhoneNumber, PosterPrint, ServiceLine, Shelter, ShelterActualStatus, ShelterService } from '../model/index.js';

/** Numbers that are a shelter's lines: held by it, or suspended while it held them. */
const LINE_STATES: ReadonlySet<PhoneNumber['state']> = new Set(['reserved', 'in_service', 'error', 'suspended']);

export function isLineOf(n: PhoneNumber, shelterId: string): boolean {
  return n.shelterId === shelterId && LINE_STATES.has(n.state);
}

/**
 * A line works only when its carrier is up and the carrier was seen routing it to us since it
 * last came up; a number's state alone never makes it working.
 */
export function lineHealth(n: PhoneNumber, carrier: Pick<Carrier, 'health'> | undefined): LineHealth {
  if (n.state === 'suspended') return 'suspended';
  if (!carrier || carrier.health === 'down') return 'down';
  // A document from before routing was tracked has no stamp: unknown counts as unconfirmed.
  return n.state === 'in_service' && !!n.routingConfirmedAt ? 'working' : 'down';
}

/** Lower is better to publish: the shelter's own 0AB-J (emergency-capable first), other 0AB-J, then 050. */
function publishRank(n: PhoneNumber, shelter: Pick<Shelter, 'areaCodes'>): number {
  const local = n.kind === '0ABJ' && n.areaCode !== null && shelter.areaCodes.includes(n.areaCode);
  if (local) return n.emergencyCapable ? 0 : 1;
  if (n.kind === '0ABJ') return n.emergencyCapable ? 2 : 3;
  return n.kind === '050' ? 4 : 5;
}

/**
 * The one computation of what a shelter's lines can do. The published number stays the one
 * already published while it works (posters on walls show it); otherwise the best working line.
 */
export function shelterService(
  shelter: Pick<Shelter, 'id' | 'lines' | 'areaCodes' | 'replacementLines'> & { service?: Pick<ShelterService, 'publishedNumber'> | null },
  numbers: readonly PhoneNumber[],
  carriers: ReadonlyMap<string, Pick<Carrier, 'health'>>,
  at: Date,
): ShelterService {
  const held = numbers.filter((n) => isLineOf(n, shelter.id));
  const ranked = [...held].sort((a, b) => publishRank(a, shelter) - publishRank(b, shelter) || a.e164.localeCompare(b.e164));
  const lines: ServiceLine[] = ranked.map((n) => ({
    e164: n.e164, carrierId: n.carrierId, health: lineHealth(n, carriers.get(n.carrierId)), emergencyCapable: n.emergencyCapable,
    replacement: (shelter.replacementLines ?? []).includes(n.e164),
  }));
  const working = lines.filter((l) => l.health === 'working');
  const previous = shelter.service?.publishedNumber ?? null;
  const publishedNumber = working.some((l) => l.e164 === previous) ? previous : (working[0]?.e164 ?? null);
  // Lines in print order — the published one, the other working ones, then the rest — so every reader lists them alike.
  const order = (l: ServiceLine) => (l.e164 === publishedNumber ? 0 : l.health === 'working' ? 1 : 2);
  return {
    workingLines: working.length,
    wantedLines: shelter.lines,
    emergencyCapable: working.some((l) => l.emergencyCapable),
    publishedNumber,
    lines: [...lines].sort((a, b) => order(a) - order(b)),
    computedAt: at.toISOString(),
  };
}

/** What posters and directories print: the working lines, in the service's order (the published one first). */
export function publishedOrder(service: Pick<ShelterService, 'lines'>): ServiceLine[] {
  return service.lines.filter((l) => l.health === 'working');
}

/**
 * The one table of a shelter's actual status: for each status, the statuses it may go to.
 * `open`/`degraded`/`no_line` follow from the service of an open shelter (serviceStatus).
 */
export const SHELTER_STATUS_TRANSITIONS: Readonly<Record<ShelterActualStatus, readonly ShelterActualStatus[]>> = {
  closed: ['opening'],
  //       its opening job runs; the job's end sets what the lines can do
  opening: ['open', 'degraded', 'no_line', 'closing', 'error'],
  open: ['degraded', 'no_line', 'opening', 'closing'],
  //       一部障害: fewer working lines than wanted
  degraded: ['open', 'no_line', 'opening', 'closing'],
  //       回線なし: no working line at all
  no_line: ['open', 'degraded', 'opening', 'closing'],
  closing: ['closed', 'opening', 'error'],
  error: ['opening', 'closing', 'open', 'degraded', 'no_line'],
};

export function serviceStatus(service: Pick<ShelterService, 'workingLines' | 'wantedLines'>): 'open' | 'degraded' | 'no_line' {
  if (service.workingLines === 0) return 'no_line';
  return service.workingLines >= service.wantedLines ? 'open' : 'degraded';
}

/** A running shelter's status after its service changed; an opening or closing keeps its status until its job ends. */
export function statusAfterServiceChange(current: ShelterActualStatus, service: ShelterService): ShelterActualStatus {
  if (current !== 'open' && current !== 'degraded' && current !== 'no_line') return current;
  const next = serviceStatus(service);
  return SHELTER_STATUS_TRANSITIONS[current].includes(next) || next === current ? next : current;
}

/** Whether a carrier-health or routing change altered anything a person reads about the shelter. */
export function serviceChanged(before: ShelterService | null, after: ShelterService): boolean {
  if (!before) return true;
  const key = (s: ShelterService) => JSON.stringify([s.workingLines, s.wantedLines, s.emergencyCapable, s.publishedNumber, s.lines]);
  return key(before) !== key(after);
}

/** A poster is out of date once the numbers it printed, their order, or the emergency promise changed. */
export function posterOutOfDate(print: Pick<PosterPrint, 'numbers' | 'emergencyCapable'>, service: ShelterService | null): boolean {
  const now = service ? publishedOrder(service).map((l) => l.e164) : [];
  return JSON.stringify(now) !== JSON.stringify(print.numbers) || (service?.emergencyCapable ?? false) !== print.emergencyCapable;
}
