import type { Actor, Shelter, TestCallOutcome, TestCallResult } from '../model/index.js';
import type { Store } from '../store/store.js';
import type { CarrierDirectory } from '../carriers/carrier-directory.js';
import { appendAudit } from '../audit/audit-log.js';
import { conflict, describeError, notFound } from '../errors.js';

/** What the handset plays when someone answers: staff know at once it is a drill of the line, not a caller. */
const TEST_MESSAGE = { text: 'シェルターラインの試験通話です。この電話機は着信できています。受話器を置いてください。', language: 'ja-JP' as const };

/**
 * Rings every active handset of an open shelter through each carrier it has credentials on, from
 * the shelter's own number on that carrier. Each carrier call is made once (a call is not
 * idempotent); what each carrier answered is returned, kept on the shelter and audited.
 */
export async function placeTestCall(deps: { store: Store; carriers: CarrierDirectory }, shelterId: string, ctx: { actor: Actor; at: Date }): Promise<TestCallResult> {
  const shelter = await deps.store.get('shelters', shelterId);
  if (!shelter) throw notFound('shelter', shelterId);
  if (shelter.desiredStatus !== 'open') throw conflict(`shelter ${shelterId} is not open: there is nothing to ring`, { state: shelter.actualStatus });
  const [handsets, numbers] = await Promise.all([
    deps.store.query('handsets', { where: { shelterId, status: 'active' }, limit: 200 }),
    deps.store.query('numbers', { where: { shelterId, state: 'in_service' }, limit: 50 }),
  ]);
  // A pending credential may already exist at the carrier (an api member reports late): ring it too; the carrier's answer tells.
  const legs = handsets.items.flatMap((h) => h.credentials.filter((c) => c.state === 'active' || c.state === 'pending').map((c) => ({ handset: h, credential: c })));
  if (legs.length === 0) throw conflict(`shelter ${shelterId} has no handset with credentials to ring`, { state: 'no_handset' });

  const results: TestCallOutcome[] = [];
  for (const { handset, credential } of legs) {
    const from = numbers.items.find((n) => n.carrierId === credential.carrierId)?.e164 ?? null;
    const base = { handsetId: handset.id, handsetLabel: handset.label ?? null, carrierId: credential.carrierId, to: `sip:${credential.username}@${credential.domain}`, from };
    if (!from) {
      results.push({ ...base, outcome: 'failed', callRef: null, detail: `the shelter has no number in service on ${credential.carrierId} to call from` });
      continue;
    }
    const carrier = await deps.carriers.get(credential.carrierId);
    if (!carrier.placeTestCall) {
      results.push({ ...base, outcome: 'unsupported', callRef: null, detail: `${credential.carrierId} offers no API through which we can place a call` });
      continue;
    }
    try {
      const { callRef } = await carrier.placeTestCall({ username: credential.username, domain: credential.domain, from, message: TEST_MESSAGE });
      results.push({ ...base, outcome: 'placed', callRef, detail: null });
    } catch (err) {
      results.push({ ...base, outcome: 'failed', callRef: null, detail: describeError(err) });
    }
  }

  const count = (o: TestCallOutcome['outcome']) => results.filter((r) => r.outcome === o).length;
  const summary = { at: ctx.at.toISOString(), by: ctx.actor.label ?? ctx.actor.id, placed: count('placed'), failed: count('failed'), unsupported: count('unsupported') };
  await deps.store.transaction(async (tx) => {
    const current = await tx.get('shelters', shelterId);
    if (!current) throw notFound('shelter', shelterId);
    const next: Shelter = { ...current, lastTestCall: summary, version: current.version + 1, updatedAt: summary.at };
    tx.put('shelters', next);
    appendAudit(tx, {
      at: ctx.at, actor: ctx.actor, action: 'shelter.test-call', entity: { collection: 'shelters', id: shelterId },
      after: { placed: summary.placed, failed: summary.failed, unsupported: summary.unsupported, calls: results.map((r) => ({ handset: r.handsetId, carrier: r.carrierId, outcome: r.outcome, callRef: r.callRef })) },
    });
  });
  return { shelterId, at: summary.at, results };
}
