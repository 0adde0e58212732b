import type { Actor, Carrier, PublicCarrier, RegisterCarrierInput, SetCarrierSpecialNumbersInput, UpdateCarrierInput } from '../model/index.js';
import { newId } from '../platform/ids.js';
import type { SecretBox } from '../platform/secrets.js';
import type { Store } from '../store/store.js';
import { appendAudit } from '../audit/audit-log.js';
import { conflict, notFound } from '../errors.js';
import { mintToken } from '../access/tokens.js';
import { lendingEligibility } from '../compliance/certification.js';
import { publicCarrier as projectCarrier } from '../access/projections.js';
import { newProbeJob } from './carrier-probe.js';
import { twilioDomainName } from './adapter-factory.js';
import { bumpedAt } from '../store/versioned.js';

/** The SIP domain a carrier's adapter found or made on its account, recorded so handsets register there. */
export async function recordSipDomain(store: Store, carrierId: string, domain: string, at: Date): Promise<void> {
  await store.transaction(async (tx) => {
    const c = await tx.get('carriers', carrierId);
    if (!c?.twilio || c.twilio.sipDomain === domain) return;
    tx.put('carriers', bumpedAt(c, at, { twilio: { ...c.twilio, sipDomain: domain } }));
  });
}

export interface CarrierDeps {
  store: Store;
  secrets: SecretBox;
  etocGraceDays: number;
  /** Names this deployment's SIP domains (global names on Twilio); absent: the name from before ids. */
  deploymentId?: string;
}

/** A carrier as the API shows it: never its auth token, with what it may lend today. */
export function publicCarrier(c: Carrier, now: Date, etocGraceDays: number): PublicCarrier {
  return projectCarrier(c, lendingEligibility(c, now, { etocGraceDays }));
}
export type { PublicCarrier };

/** Summary for the audit log: what changed, never secrets. */
function summary(c: Carrier): Record<string, unknown> {
  return { name: c.name, kind: c.kind, status: c.status, health: c.health, manualDown: c.manualDown, certifications: c.certifications, capacity: c.capacity, specialNumbers: c.specialNumbers, ...(c.maxCallSeconds ? { maxCallSeconds: c.maxCallSeconds } : {}) };
}

export async function registerCarrier(deps: CarrierDeps, input: RegisterCarrierInput, ctx: { actor: Actor; at: Date }) {
  const at = ctx.at.toISOString();
  const id = input.id ?? newId('car', ctx.at);
  const carrier: Carrier = {
    id,
    version: 0,
    name: input.name,
    kind: input.kind,
    certifications: input.certifications,
    capacity: { requestsPerSecond: 10, concurrency: 4, ...input.capacity },
    ...(input.contact ? { contact: input.contact } : {}),
    status: 'active',
    health: 'up',
    manualDown: false,
    lendingChain: input.lendingChain ?? [],
    specialNumbers: input.specialNumbers ?? [],
    ...(input.callControl ? { callControl: input.callControl } : {}),
    ...(input.maxCallSeconds ? { maxCallSeconds: input.maxCallSeconds } : {}),
    ...(input.twilio
      ? {
          twilio: {
            accountSid: input.twilio.accountSid,
            authTokenEncrypted: deps.secrets.seal(input.twilio.authToken),
            ...(input.twilio.apiBaseUrl ? { apiBaseUrl: input.twilio.apiBaseUrl } : {}),
            ...(deps.deploymentId ? { sipDomain: twilioDomainName(deps.deploymentId, id) } : {}),
          },
        }
      : {}),
    createdAt: at,
    updatedAt: at,
  };
  await deps.store.transaction(async (tx) => {
    if (await tx.get('carriers', carrier.id)) throw conflict(`carrier ${carrier.id} already exists`, { id: carrier.id });
    if (carrier.twilio) {
      const same = await tx.query('carriers', { limit: 1000 });
      if (same.items.some((c) => c.twilio?.accountSid === carrier.twilio!.accountSid)) {
        throw conflict('another carrier already uses this Twilio account', { accountSid: carrier.twilio.accountSid });
      }
    }
    tx.put('carriers', carrier);
    // Watched from the start: its probe job asks it every few seconds, idle or not.
    tx.put('jobs', newProbeJob(carrier.id, ctx.at));
    appendAudit(tx, { at: ctx.at, actor: ctx.actor, action: 'carrier.register', entity: { collection: 'carriers', id: carrier.id }, after: summary(carrier) });
  });
  const { token } = await mintToken(deps.store, { label: carrier.name, role: 'carrier', carrierId: carrier.id }, ctx);
  return { carrier: publicCarrier(carrier, ctx.at, deps.etocGraceDays), token };
}

export async function updateCarrier(deps: CarrierDeps, id: string, input: UpdateCarrierInput, ctx: { actor: Actor; at: Date }) {
  const updated = await deps.store.transaction(async (tx) => {
    const before = await tx.get('carriers', id);
    if (!before) throw notFound('carrier', id);
    // Marking a carrier down or up goes through carrierHealthChanged (it triggers failover).
    const { twilio, manualDown: _m, healthReason: _h, ...plain } = input;
    const next: Carrier = bumpedAt(before, ctx.at, plain);
    // A status an admin sets is the admin's: the certification check will not lift an admin's freeze.
    if (plain.status !== undefined) next.frozenBy = plain.status === 'frozen' ? 'admin' : null;
    if (plain.callControl === 'json' && before.kind === 'twilio') throw conflict('a twilio carrier takes calls by TwiML only');
    if (twilio) {
      if (before.kind !== 'twilio') throw conflict('only a twilio carrier has Twilio credentials');
      // The same account keeps its SIP domain; another account gets this deployment's name afresh.
      const sipDomain = before.twilio?.accountSid === twilio.accountSid ? before.twilio.sipDomain : deps.deploymentId ? twilioDomainName(deps.deploymentId, id) : undefined;
      next.twilio = {
        accountSid: twilio.accountSid,
        authTokenEncrypted: deps.secrets.seal(twilio.authToken),
        ...(twilio.apiBaseUrl ? { apiBaseUrl: twilio.apiBaseUrl } : {}),
        ...(sipDomain ? { sipDomain } : {}),
      };
    }
    tx.put('carriers', next);
    appendAudit(tx, {
      at: ctx.at, actor: ctx.actor, action: 'carrier.update',
      entity: { collection: 'carriers', id }, before: summary(before), after: summary(next), reason: input.statusReason ?? null,
    });
    return next;
  });
  return publicCarrier(updated, ctx.at, deps.etocGraceDays);
}

/** An admin declares which special numbers (171, #7119, …) the carrier's lines can dial: the dial plan routes them there. */
export async function setCarrierSpecialNumbers(deps: CarrierDeps, id: string, input: SetCarrierSpecialNumbersInput, ctx: { actor: Actor; at: Date }) {
  const updated = await deps.store.transaction(async (tx) => {
    const before = await tx.get('carriers', id);
    if (!before) throw notFound('carrier', id);
    const next = bumpedAt(before, ctx.at, { specialNumbers: [...input.specialNumbers].sort() });
    tx.put('carriers', next);
    appendAudit(tx, {
      at: ctx.at, actor: ctx.actor, action: 'carrier.special_numbers',
      entity: { collection: 'carriers', id }, before: { specialNumbers: before.specialNumbers ?? [] }, after: { specialNumbers: next.specialNumbers }, reason: input.reason ?? null,
    });
    return next;
  });
  return publicCarrier(updated, ctx.at, deps.etocGraceDays);
}

export async function getCarrier(deps: CarrierDeps, id: string, now: Date) {
  const c = await deps.store.get('carriers', id);
  if (!c) throw notFound('carrier', id);
  return publicCarrier(c, now, deps.etocGraceDays);
}

export async function listCarriers(deps: CarrierDeps, q: { limit?: number; cursor?: string | null }, now: Date) {
  const page = await deps.store.query('carriers', { limit: q.limit, cursor: q.cursor ?? null });
  return { items: page.items.map((c) => publicCarrier(c, now, deps.etocGraceDays)), nextCursor: page.nextCursor };
}
