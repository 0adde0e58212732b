import { TEST_CALL_REACHED, type Actor, type Carrier as CarrierDoc, type TestCallOutcome, type TestCallOutcomeKind, type TestCallResult } from '../model/index.js';
import type { Store } from '../store/store.js';
import type { CarrierDirectory } from '../carriers/carrier-directory.js';
import { CarrierError, type CarrierAdapter, type TestCallStatus } from '../carriers/carrier.js';
import { appendAudit } from '../audit/audit-log.js';
import { conflict, describeError, notFound } from '../errors.js';
import { bumpedAt } from '../store/versioned.js';

/** What the handset plays when someone answers: staff know at once it is a drill of the line, not a caller. */
const TEST_MESSAGE = { text: 'シェルターラインの試験通話です。この電話機は着信できています。受話器を置いてください。', language: 'ja-JP' as const };

/**
 * How long to wait for the carrier to say what became of a call, in real time (the carrier's):
 * a registered phone rings within a second or two; asking 6 times a second apart bounds the request.
 */
export const WORD_WAIT = { tries: 6, everyMs: 1_000 };

/** Pure: what a carrier's call status says about the handset. */
export function outcomeOfStatus(status: TestCallStatus): TestCallOutcomeKind {
  switch (status) {
    case 'in-progress':
    case 'completed':
      return 'answered';
    case 'ringing':
    case 'busy':
    case 'no-answer':
      return 'rang';
    // A call to a SIP address fails when no phone is registered there (SIP 404/480).
    case 'failed':
      return 'not_registered';
    case 'canceled':
      return 'failed';
    case 'queued':
    case 'initiated':
      return 'unconfirmed';
  }
}

/** Asks the carrier about the call until it has got past "queued", or the wait is over. */
async function carrierWord(carrier: CarrierAdapter, callRef: string, wait: typeof WORD_WAIT): Promise<{ status: TestCallStatus | null; detail: string | null }> {
  if (!carrier.testCallStatus) return { status: null, detail: 'the carrier does not report how its calls went' };
  let status: TestCallStatus | null = null;
  for (let i = 0; i < wait.tries; i++) {
    if (i > 0) await new Promise((r) => setTimeout(r, wait.everyMs));
    try {
      status = await carrier.testCallStatus(callRef);
    } catch (err) {
      return { status, detail: `could not ask the carrier how the call went: ${describeError(err)}` };
    }
    if (status !== 'queued' && status !== 'initiated') return { status, detail: null };
  }
  return { status, detail: `the carrier had not said the phone rang after ${(wait.tries - 1) * wait.everyMs / 1000} s` };
}

type Leg = { handset: { id: string; label?: string | undefined }; credential: { carrierId: string; username: string; domain: string } };

/** One handset on one carrier: ring it, then ask what happened; never counts a call as reached on the carrier's "queued". */
async function ringOne(deps: { carriers: CarrierDirectory }, leg: Leg, from: string | null, carrierDoc: CarrierDoc | undefined, wait: typeof WORD_WAIT): Promise<TestCallOutcome> {
  const { handset, credential } = leg;
  const base = { handsetId: handset.id, handsetLabel: handset.label ?? null, carrierId: credential.carrierId, to: `sip:${credential.username}@${credential.domain}`, from, callRef: null, carrierStatus: null };
  const said = (outcome: TestCallOutcomeKind, detail: string | null, more: Partial<TestCallOutcome> = {}): TestCallOutcome => ({ ...base, outcome, detail, ...more });
  if (carrierDoc?.health === 'down') return said('carrier_down', `${credential.carrierId} is down: ${carrierDoc.healthReason ?? 'no reason recorded'}`);
  if (!from) return said('failed', `the shelter has no number in service on ${credential.carrierId} to call from`);
  const carrier = await deps.carriers.get(credential.carrierId);
  if (!carrier.placeTestCall) return said('unsupported', `${credential.carrierId} offers no API through which we can place a call`);
  let callRef: string;
  try {
    ({ callRef } = await carrier.placeTestCall({ username: credential.username, domain: credential.domain, from, message: TEST_MESSAGE }));
  } catch (err) {
    // 5xx, 429, timeouts: the carrier did not take the call; anything else is its refusal.
    return said(err instanceof CarrierError && err.retryable ? 'carrier_down' : 'failed', describeError(err));
  }
  const word = await carrierWord(carrier, callRef, wait);
  return said(word.status ? outcomeOfStatus(word.status) : 'unconfirmed', word.detail, { callRef, carrierStatus: word.status });
}

/**
 * Rings every active handset of an open shelter through each carrier it has credentials on, from
 * the shelter's own number on that carrier, then asks the carrier what became of each call. Each
 * call is placed once (a call is not idempotent); what each carrier said is returned, kept on the
 * shelter and audited. A carrier that is down is not called.
 */
export async function placeTestCall(deps: { store: Store; carriers: CarrierDirectory; wordWait?: typeof WORD_WAIT }, shelterId: string, ctx: { actor: Actor; at: Date }): Promise<TestCallResult> {
  const shelter = await deps.store.get('shelters', shelterId);
  if (!shelter) throw notFound('shelter', shelterId);
  if (shelter.desiredStatus !== 'open') throw conflict(`shelter ${shelterId} is not open: there is nothing to ring`, { state: shelter.actualStatus });
  const [handsets, numbers, carriers] = await Promise.all([
    deps.store.query('handsets', { where: { shelterId, status: 'active' }, limit: 200 }),
    deps.store.query('numbers', { where: { shelterId, state: 'in_service' }, limit: 50 }),
    deps.store.query('carriers', { limit: 1000 }),
  ]);
  // A pending credential may already exist at the carrier (an api member reports late): ring it too; the carrier's answer tells.
  const legs = handsets.items.flatMap((h) => h.credentials.filter((c) => c.state === 'active' || c.state === 'pending').map((c) => ({ handset: h, credential: c })));
  if (legs.length === 0) throw conflict(`shelter ${shelterId} has no handset with credentials to ring`, { state: 'no_handset' });
  const carrierDocs = new Map(carriers.items.map((c) => [c.id, c]));

  const results = await Promise.all(legs.map((leg) => {
    // Caller ID: the shelter's own line on that carrier before a replacement (callers know it).
    const lines = numbers.items.filter((n) => n.carrierId === leg.credential.carrierId);
    const from = (lines.find((n) => !(shelter.replacementLines ?? []).includes(n.e164)) ?? lines[0])?.e164 ?? null;
    return ringOne(deps, leg, from, carrierDocs.get(leg.credential.carrierId), deps.wordWait ?? WORD_WAIT);
  }));

  const count = (test: (o: TestCallOutcomeKind) => boolean) => results.filter((r) => test(r.outcome)).length;
  const reached = (o: TestCallOutcomeKind) => TEST_CALL_REACHED.includes(o);
  const summary = {
    at: ctx.at.toISOString(), by: ctx.actor.label ?? ctx.actor.id,
    reached: count(reached), notReached: count((o) => !reached(o) && o !== 'unsupported'), unsupported: count((o) => o === 'unsupported'),
  };
  await deps.store.transaction(async (tx) => {
    const current = await tx.get('shelters', shelterId);
    if (!current) throw notFound('shelter', shelterId);
    const next = bumpedAt(current, summary.at, { lastTestCall: summary });
    tx.put('shelters', next);
    appendAudit(tx, {
      at: ctx.at, actor: ctx.actor, action: 'shelter.test-call', entity: { collection: 'shelters', id: shelterId },
      after: { reached: summary.reached, notReached: summary.notReached, unsupported: summary.unsupported, calls: results.map((r) => ({ handset: r.handsetId, carrier: r.carrierId, outcome: r.outcome, callRef: r.callRef })) },
    });
  });
  return { shelterId, at: summary.at, results };
}
