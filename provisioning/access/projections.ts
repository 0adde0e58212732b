import { BOARD_COLLECTIONS, BoardCollection } from '../model/index.js';
import type { Carrier, Collections, Handset, LendingEligibility, PhoneNumber, PublicCarrier, PublicHandset, Role } from '../model/index.js';

/**
 * One projection per role, shared by the REST routes and the board's WebSocket: a role sees over
 * the socket exactly what its REST reads return, no more.
 */
export { BOARD_COLLECTIONS, BoardCollection };

export function isBoardCollection(c: string): c is BoardCollection {
  return BoardCollection.safeParse(c).success;
}

/** What each board role may read: a viewer has REST reads of shelters, jobs and alerts only. */
const VISIBLE: Partial<Record<Role, ReadonlySet<BoardCollection>>> = {
  admin: new Set(BOARD_COLLECTIONS),
  coordinator: new Set(BOARD_COLLECTIONS),
  viewer: new Set(['shelters', 'numbers', 'jobs', 'alerts']),
};

export function visibleTo(role: Role, collection: BoardCollection): boolean {
  return VISIBLE[role]?.has(collection) ?? false;
}

/** Filled by the layer that knows lending rules (compliance): the carrier form shows what it may lend today. */
export interface ProjectionContext {
  carrierEligibility: (c: Carrier) => LendingEligibility;
}

/** A handset as the API and the board show it: no device-token hash, no SIP passwords. */
export function publicHandset(h: Handset): PublicHandset {
  const { deviceTokenHash: _hash, credentials, ...rest } = h;
  return { ...rest, credentials: credentials.map(({ passwordEncrypted: _pw, ...c }) => c) };
}

/** A carrier as coordinators see it: no auth token. */
export function publicCarrier(c: Carrier, eligibility: LendingEligibility): PublicCarrier {
  const { twilio, ...rest } = c;
  return { ...rest, twilio: twilio ? { accountSid: twilio.accountSid, apiBaseUrl: twilio.apiBaseUrl ?? null } : null, eligibility };
}

/** Published means a shelter can be called on it now; numbers in the pool, aging or withdrawn stay private between members. */
export function publishedNumber(n: PhoneNumber): PhoneNumber | null {
  return n.shelterId && n.state === 'in_service' ? n : null;
}

/** The form of one document for a role; null when the role may not see it (the board then drops it). */
export function projectForRole<C extends BoardCollection>(role: Role, collection: C, doc: Collections[C], ctx: ProjectionContext): unknown | null {
  if (!visibleTo(role, collection)) return null;
  if (role === 'viewer' && collection === 'numbers') return publishedNumber(doc as PhoneNumber);
  switch (collection) {
    case 'carriers':
      return publicCarrier(doc as Carrier, ctx.carrierEligibility(doc as Carrier));
    case 'handsets':
      return publicHandset(doc as Handset);
    default:
      return doc;
  }
}

/** A shelter's detail (GET /api/v1/shelters/:id) for a role: a viewer gets published numbers and no handsets. */
export function projectShelterDetail<D extends { numbers: PhoneNumber[]; handsets: unknown[] }>(role: Role, detail: D) {
  if (role !== 'viewer') return detail;
  return { ...detail, numbers: detail.numbers.map(publishedNumber).filter((n): n is PhoneNumber => n !== null), handsets: [] };
}
