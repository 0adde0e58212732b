import { createHash } from 'node:crypto';
import { expireAfter, RETENTION_DAYS, type CallControl, type WorkOrder } from '../../model/index.js';
import { callDecisionUrls, voiceUrlOfDecisions } from '../webhook-urls.js';
import { newId } from '../../platform/ids.js';
import type { Clock } from '../../platform/clock.js';
import type { Store } from '../../store/store.js';
import { eachDocument } from '../../store/paging.js';
import type { SecretBox } from '../../platform/secrets.js';
import { eraseOrderSecrets, sealOrderParams } from './work-order-secrets.js';
import { CarrierError, CarrierPending, type CarrierAdapter, type VoiceRouting } from '../carrier.js';
import { bumpedAt } from '../../store/versioned.js';

export interface ApiCarrierOptions {
  carrierId: string;
  store: Store;
  clock: Clock;
  /** How long a member has to complete a work order before the step fails and an alert is raised. */
  deadlineMs?: number;
  /** How soon the reconciler looks again while an order is pending. */
  pollMs?: number;
  onExpired?: (order: WorkOrder) => Promise<void>;
  /** Seals SIP passwords inside credential orders (as handsets' own are sealed). */
  secrets: SecretBox;
  /** `json` (default): route_number names the call-decision API; `twiml`: the TwiML voice URLs. */
  callControl?: CallControl;
}

type Action = WorkOrder['action'];

function digest(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 16);
}

/**
 * A member on another platform: every change becomes a work order it pulls and reports on.
 * The newest order for a target (a number, a credential) is the carrier's state as we know it.
 */
export function createApiCarrier(opts: ApiCarrierOptions): CarrierAdapter {
  const deadlineMs = opts.deadlineMs ?? 10 * 60_000;
  const pollMs = opts.pollMs ?? 1000;
  const { store, carrierId } = opts;
  const callControl = opts.callControl ?? 'json';

  async function latest(target: string): Promise<WorkOrder | null> {
    const { items } = await store.query('workOrders', { where: { carrierId, dedupeKey: target }, orderBy: { field: 'createdAt', direction: 'desc' }, limit: 1 });
    return items[0] ?? null;
  }

  /** The newest order the member reported done, per target whose key starts with `prefix`. */
  async function lastDone(prefix: string): Promise<Map<string, WorkOrder>> {
    const out = new Map<string, WorkOrder>();
    for await (const o of eachDocument(store, 'workOrders', { where: { carrierId, status: 'done' }, orderBy: { field: 'createdAt' }, limit: 1000 })) {
      if (o.dedupeKey.startsWith(prefix)) out.set(o.dedupeKey, o);
    }
    return out;
  }

  /** Per credential (`credential:shelter:user`), its newest order that did not expire: an expired one never happened. */
  async function newestCredentialOrders(): Promise<WorkOrder[]> {
    const newest = new Map<string, WorkOrder>();
    for (const action of ['create_credential', 'delete_credential'] as const) {
      for await (const o of eachDocument(store, 'workOrders', { where: { carrierId, action }, limit: 1000 })) {
        if (o.status === 'expired') continue;
        const seen = newest.get(o.dedupeKey);
        if (!seen || seen.createdAt < o.createdAt || (seen.createdAt === o.createdAt && seen.id < o.id)) newest.set(o.dedupeKey, o);
      }
    }
    return [...newest.values()];
  }

  /**
   * The credentials the member holds or was asked to make, by shelter: a credential whose newest
   * order is a create, done or pending (asked, not yet answered). A pending delete already takes it off.
   */
  async function credentialsByShelter(): Promise<Map<string, string[]>> {
    const byShelter = new Map<string, string[]>();
    for (const o of await newestCredentialOrders()) {
      if (o.action !== 'create_credential') continue;
      const shelterId = String(o.params.shelterId);
      byShelter.set(shelterId, [...(byShelter.get(shelterId) ?? []), String(o.params.username)]);
    }
    return byShelter;
  }

  /** Makes sure the newest order for `target` asks for exactly this; resolves once the member reports it done. */
  async function converge(target: string, action: Action, params: Record<string, unknown>): Promise<void> {
    const now = opts.clock.now();
    const want = digest({ action, params });
    const order = await latest(target);
    const same = order && order.action === action && (order.paramsDigest ?? digest({ action: order.action, params: order.params })) === want;
    if (same && order.status === 'done') return;
    if (same && order.status === 'pending') {
      if (order.deadline > now.toISOString()) throw new CarrierPending(order.id, pollMs);
      const expired = bumpedAt(order, now, { params: eraseOrderSecrets(order.params), status: 'expired', expireAt: expireAfter(now, RETENTION_DAYS.workOrder), detail: 'not completed before its deadline' });
      await store.put('workOrders', expired);
      await opts.onExpired?.(expired);
      throw new CarrierError(`carrier ${carrierId} did not complete work order ${order.id} (${action}) before its deadline`, false);
    }
    if (same && order.status === 'failed') {
      // Reported failed: the step fails now; the next attempt issues a fresh order.
      await store.put('workOrders', bumpedAt(order, now, { params: eraseOrderSecrets(order.params), status: 'expired', expireAt: expireAfter(now, RETENTION_DAYS.workOrder) }));
      throw new CarrierError(`carrier ${carrierId} reported work order ${order.id} failed: ${order.detail ?? 'no detail'}`, false);
    }
    if (order?.status === 'pending') {
      await store.put('workOrders', bumpedAt(order, now, { params: eraseOrderSecrets(order.params), status: 'expired', expireAt: expireAfter(now, RETENTION_DAYS.workOrder), detail: 'superseded by a newer order' }));
    }
    const fresh: WorkOrder = {
      id: newId('wo', now), version: 0, carrierId, jobId: null, action, params: sealOrderParams(params, opts.secrets), dedupeKey: target, paramsDigest: want, status: 'pending', detail: null,
      deadline: new Date(now.getTime() + deadlineMs).toISOString(), createdAt: now.toISOString(), updatedAt: now.toISOString(),
    };
    await store.put('workOrders', fresh);
    throw new CarrierPending(fresh.id, pollMs);
  }

  return {
    carrierId,
    async discoverNumbers() {
      // What the member has done is its newest DONE order per number: a pending one is not done yet.
      const done = await lastDone('number:');
      // A number routed under the other call control (the member switched it) is not routed as we want:
      // no routing, so the drift check sends it again under the contract the member declares now.
      return [...done.values()].map((o) => ({ e164: String(o.params.e164), carrierRef: o.id, routing: (contractOf(o) ?? callControl) === callControl ? routingOf(o) : null }));
    },
    routeNumber: (e164, routing) =>
      converge(`number:${e164}`, 'route_number', callControl === 'twiml' ? { e164, callControl, ...routing } : { e164, callControl, ...callDecisionUrls(routing.voiceUrl) }),
    interceptNumber: (e164, interceptUrl) => converge(`number:${e164}`, 'intercept_number', { e164, interceptUrl }),
    resetNumber: (e164) => converge(`number:${e164}`, 'reset_number', { e164 }),
    async ensureSipDomain() {
      // Members on their own platform run their registrar; it is named after the carrier by convention.
      return { domain: `${carrierId}.sip.shelter-line.jp` };
    },
    ensureCredential: ({ shelterId, username, password }) => converge(`credential:${shelterId}:${username}`, 'create_credential', { shelterId, username, password }),
    deleteCredential: (shelterId, username) => converge(`credential:${shelterId}:${username}`, 'delete_credential', { shelterId, username }),
    async listCredentials(shelterId) {
      return (await credentialsByShelter()).get(shelterId) ?? [];
    },
    async credentialShelters() {
      return [...(await credentialsByShelter()).keys()];
    },
    async deleteShelterCredentials(shelterId) {
      // Every delete is asked at once; the step waits (pending) until the member has done them all.
      let waiting: CarrierPending | null = null;
      // Its credentials, and the deletes asked before that the member has not done yet (waited for).
      const usernames = (await newestCredentialOrders()).filter((o) => o.params.shelterId === shelterId && (o.action === 'create_credential' || o.status === 'pending')).map((o) => String(o.params.username));
      for (const u of usernames) {
        try {
          await converge(`credential:${shelterId}:${u}`, 'delete_credential', { shelterId, username: u });
        } catch (err) {
          if (!(err instanceof CarrierPending)) throw err;
          waiting ??= err;
        }
      }
      if (waiting) throw waiting;
    },
    async health() {
      const { items } = await store.query('workOrders', { where: { carrierId, status: 'expired' }, limit: 5 });
      return items.some((o) => o.detail === 'not completed before its deadline')
        ? { ok: false, detail: 'work orders expire without being done' }
        : { ok: true, detail: 'work orders answered' };
    },
  };
}

/** Which call control a number's order routed it under (other actions carry none of their own). */
function contractOf(order: WorkOrder): CallControl | null {
  if (order.action !== 'route_number') return null;
  return typeof order.params.inboundDecisionUrl === 'string' ? 'json' : 'twiml';
}

function routingOf(order: WorkOrder): VoiceRouting | null {
  if (order.action === 'route_number') {
    const p = order.params;
    if (typeof p.inboundDecisionUrl === 'string') return { voiceUrl: voiceUrlOfDecisions(p.inboundDecisionUrl), voiceFallbackUrl: '', statusCallback: String(p.eventsUrl ?? '') };
    return { voiceUrl: String(p.voiceUrl ?? ''), voiceFallbackUrl: String(p.voiceFallbackUrl ?? ''), statusCallback: String(p.statusCallback ?? '') };
  }
  if (order.action === 'intercept_number') return { voiceUrl: String(order.params.interceptUrl), voiceFallbackUrl: '', statusCallback: '' };
  return null;
}
