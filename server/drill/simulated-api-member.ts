import { randomUUID } from 'node:crypto';
import { CALL_DECISION_PATHS, type InboundCallAnswer, type OutboundCallAnswer } from '../../provisioning/model/index.js';
import { startWorkOrderLoop, type WorkOrderLoop } from '../connectors/work-order-loop.js';

export type { ReceivedWorkOrder } from '../connectors/work-order-loop.js';

export interface SimulatedCall<A> {
  callId: string;
  answer: A;
  /** Whether the simulated platform connected the call (and reported answered, then completed). */
  connected: boolean;
}

export interface SimulatedApiMember extends WorkOrderLoop {
  /** A shelter handset registered on this member dials: the platform asks the call-decision API and reports the call's events. */
  placeCall(call: { username: string; domain: string; dialled: string; talkSeconds?: number; callId?: string }): Promise<SimulatedCall<OutboundCallAnswer>>;
  /** Someone calls a shelter number this member lends. */
  receiveCall(call: { from: string; to: string; talkSeconds?: number; callId?: string }): Promise<SimulatedCall<InboundCallAnswer>>;
}

/** Every decision that places the call is carried out: special dials the translated or special number, directory the hotline. */
const PLACES_CALL: Record<OutboundCallAnswer['action'], boolean> = { connect: true, special: true, emergency: true, directory: true, announce: false };
/** A handset or the other line answers, or the member's own recorder takes a message; an intercept connects nobody. */
const TAKES_CALL: Record<InboundCallAnswer['action'], boolean> = { ring: true, forward: true, voicemail: true, announce: false };

/**
 * The member on another platform, as drill mode plays it: it takes every work order as configured,
 * and its calls go through the same call-decision API a Kamailio or Asterisk member uses.
 */
export function startSimulatedApiMember(opts: { baseUrl: string; carrierId: string; token: string; waitSeconds?: number; onError?: (err: unknown) => void }): SimulatedApiMember {
  const headers = { authorization: `Bearer ${opts.token}`, 'content-type': 'application/json' };
  async function post<T>(path: string, body: unknown): Promise<T> {
    const res = await fetch(`${opts.baseUrl}${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
    if (!res.ok) throw new Error(`${path} answered ${res.status}: ${await res.text()}`);
    return (await res.json()) as T;
  }
  /** What a platform reports once a connected call ends. */
  async function talk(callId: string, seconds: number): Promise<void> {
    await post(CALL_DECISION_PATHS.events, { callId, event: 'answered' });
    await post(CALL_DECISION_PATHS.events, { callId, event: 'completed', durationSeconds: seconds });
  }
  return {
    ...startWorkOrderLoop(opts),
    async placeCall(call) {
      const callId = call.callId ?? `drill-${randomUUID()}`;
      const answer = await post<OutboundCallAnswer>(CALL_DECISION_PATHS.outbound, { callId, handset: { username: call.username, domain: call.domain }, dialled: call.dialled });
      const connected = PLACES_CALL[answer.action];
      if (connected) await talk(callId, call.talkSeconds ?? 60);
      return { callId, answer, connected };
    },
    async receiveCall(call) {
      const callId = call.callId ?? `drill-${randomUUID()}`;
      const answer = await post<InboundCallAnswer>(CALL_DECISION_PATHS.inbound, { callId, from: call.from, to: call.to });
      const connected = TAKES_CALL[answer.action];
      if (connected) await talk(callId, call.talkSeconds ?? 60);
      return { callId, answer, connected };
    },
  };
}
