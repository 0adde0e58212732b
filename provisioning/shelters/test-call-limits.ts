import type { Actor, TestCallResult } from '../model/index.js';
import type { Store } from '../store/store.js';
import type { CarrierDirectory } from '../carriers/carrier-directory.js';
import { appendAudit } from '../audit/audit-log.js';
import { takeFromWindows, type WindowLimit } from '../access/rate-windows.js';
import { placeTestCall } from './test-call.js';

/** Each test call rings every handset of the shelter, in a shelter where people may be sleeping. */
export interface TestCallLimits {
  /** Test calls of one shelter, from anyone, in 15 minutes. */
  perShelter: number;
  /** Test calls one coordinator (one token) places in an hour, on any shelters. */
  perCoordinator: number;
}
export const TEST_CALL_SHELTER_WINDOW_MS = 15 * 60_000;
export const TEST_CALL_COORDINATOR_WINDOW_MS = 60 * 60_000;
/** A shelter tested, fixed and tested again; a coordinator checking a town's shelters after a mass opening. */
export const DEFAULT_TEST_CALL_LIMITS: TestCallLimits = { perShelter: 3, perCoordinator: 20 };

export type TestCallPlaced = { ok: true; result: TestCallResult } | { ok: false; limit: 'shelter' | 'coordinator'; max: number; windowMinutes: number; retryAfterSeconds: number };

/**
 * A test call within its limits: one use is taken from the shelter's window and the caller's, or
 * the refusal is audited and nothing is rung. The call itself is placeTestCall's.
 */
export async function placeLimitedTestCall(
  deps: { store: Store; carriers: CarrierDirectory },
  shelterId: string,
  ctx: { actor: Actor; at: Date; limits?: TestCallLimits },
): Promise<TestCallPlaced> {
  const limits = ctx.limits ?? DEFAULT_TEST_CALL_LIMITS;
  const windows: WindowLimit<'shelter' | 'coordinator'>[] = [
    { name: 'shelter', key: `test-call.shelter.${shelterId}`, max: limits.perShelter, windowMs: TEST_CALL_SHELTER_WINDOW_MS },
    { name: 'coordinator', key: `test-call.caller.${ctx.actor.id}`, max: limits.perCoordinator, windowMs: TEST_CALL_COORDINATOR_WINDOW_MS },
  ];
  const taken = await takeFromWindows(deps.store, windows, ctx.at);
  if (taken.ok) return { ok: true, result: await placeTestCall(deps, shelterId, ctx) };
  const refused = { ok: false as const, limit: taken.limit.name, max: taken.limit.max, windowMinutes: taken.limit.windowMs / 60_000, retryAfterSeconds: taken.retryAfterSeconds };
  await deps.store.transaction(async (tx) => {
    appendAudit(tx, {
      at: ctx.at, actor: ctx.actor, action: 'shelter.test-call.refused', entity: { collection: 'shelters', id: shelterId },
      after: { limit: refused.limit, max: refused.max, windowMinutes: refused.windowMinutes, retryAfterSeconds: refused.retryAfterSeconds },
    });
  });
  return refused;
}
