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
 * The order the shelter got its lines, which decides what is published: its own lines first, best
 * to publish first (the one its opening published), then replacement lines in the order failovers
 * added them. Fixed while the shelter is open, so health alone moves the published number.
 */
export function lineOrder(shelter: Pick<Shelter, 'areaCodes' | 'replacementLines'>, lines: readonly PhoneNumber[]): PhoneNumber[] {
  const replacements = shelter.replacementLines ?? [];
  const late = (n: PhoneNumber) => replacements.indexOf(n.e164);
  return [...lines].sort((a, b) => late(a) - late(b) || publishRank(a, shelter) - publishRank(b, shelter) || a.e164.localeCompare(b.e164));
}

/**
 * The one computation of what a shelter's lines can do. The published number is the first working
 * line in the shelter's line order: a line that works again after an outage is published again, and
 * the poster printed with it is true again.
 */
export function shelterService(
  shelter: Pick<Shelter, 'id' | 'lines' | 'areaCodes' | 'replacementLines'>,
  numbers: readonly PhoneNumber[],
  carriers: ReadonlyMap<string, Pick<Carrier, 'health'>>,
  at: Date,
): ShelterService {
  const held = lineOrder(shelter, numbers.filter((n) => isLineOf(n, shelter.id)));
  const lines: ServiceLine[] = held.map((n) => ({
    e164: n.e164, carrierId: n.carrierId, health: lineHealth(n, carriers.get(n.carrierId)), emergencyCapable: n.emergencyCapable,
    replacement: (shelter.replacementLines ?? []).includes(n.e164),
  }));
  const working = lines.filter((l) => l.health === 'working');
  // Lines in print order — the working ones in line order (the published one first), then the rest — so every reader lists them alike.
  return {
    workingLines: working.length,
    wantedLines: shelter.lines,
    emergencyCapable: working.some((l) => l.emergencyCapable),
    publishedNumber: working[0]?.e164 ?? null,
    lines: [...working, ...lines.filter((l) => l.health !== 'working')],
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

/**
 * A poster is out of date once it no longer tells the truth: its first (published) number is not
 * the one published now, a number it printed no longer works, or the emergency promise changed. A
 * spare line added since does not make it wrong.
 */
export function posterOutOfDate(print: Pick<PosterPrint, 'numbers' | 'emergencyCapable'>, service: ShelterService | null): boolean {
  const working = new Set(service ? publishedOrder(service).map((l) => l.e164) : []);
  if ((print.numbers[0] ?? null) !== (service?.publishedNumber ?? null)) return true;
  return print.numbers.some((e164) => !working.has(e164)) || (service?.emergencyCapable ?? false) !== print.emergencyCapable;
}
