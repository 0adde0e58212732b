import type { Store } from '../store/store.js';
import { message, type CallRecord } from '../model/index.js';
import { checkNaviDialAllowance, checkOutboundAllowance, memberScope, naviDialMinutesToday, outboundUsage, type AbuseLimits } from '../compliance/abuse-limits.js';
import { raiseAlert } from '../alerts/alerts.js';
import { loadNetworkView } from './load-network-view.js';
import { parseSipUri } from './sip-uri.js';
import { classifyDialled, normaliseDialled, splitPresentationPrefix } from './classify-dialled.js';
import { decideOutbound, type OutboundDecision } from './decide-outbound.js';
import { DEFAULT_TONE_POLICY, type TonePolicy } from './identification-tone.js';
import { HANDSET_RING_SECONDS, decideInbound, type InboundCall, type InboundDecision, type InboundStage } from './decide-inbound.js';
import { isForwardedCall } from './forwarded-call.js';
import { decideCallbackTenancy } from './webhook-tenancy.js';
import { callRecordId, noteRoutedCall, recordCallStatus, type CallStatusEvent } from './call-events.js';
import type { NetworkView } from './network-view.js';

/**
 * The one place a call is routed, whichever way the member's platform asks (TwiML webhook or the
 * JSON call-decision API): load the view, check the member holds what it asks about, apply the
 * abuse limits, decide, and note the call for its status events. Renderings happen at the edge.
 */
export interface CallRoutingDeps {
  store: Store;
  now: Date;
  abuseLimits?: AbuseLimits;
  /** Who hears the identification tone (default: both parties, both directions). */
  tonePolicy?: TonePolicy;
  /** How long a shelter's handsets ring before the walk moves on (default HANDSET_RING_SECONDS). */
  handsetRingSeconds?: number;
  /** The directory hotline's E.164 (a number pointed at the directory webhook), when the operator has one. */
  directoryNumber?: string | null;
}

/** Refused before any decision: the asking member does not hold the number or handset (nothing written). */
export type Routed<D> = { ok: true; decision: D; view: NetworkView } | { ok: false; reason: string };

export interface CallAsked {
  /** Twilio's CallSid, or `memberCallSid(carrier, callId)` for a JSON member; null when the platform sent none. */
  callSid: string | null;
  from: string;
  to: string;
}

/** A handset's call: `from` is its `sip:user@domain`, `to` a SIP URI whose user part is what it dialled. */
export async function routeOutboundCall(deps: CallRoutingDeps, carrierId: string | null, call: CallAsked): Promise<Routed<OutboundDecision>> {
  const { store, now } = deps;
  const from = parseSipUri(call.from);
  const dialled = normaliseDialled(parseSipUri(call.to)?.user ?? '');
  // 184/186 only say whether the caller's number goes with the call: what follows is the number.
  const { number } = splitPresentationPrefix(dialled);
  const view = await loadNetworkView(store, {
    ...(from ? { sipUsername: from.user, sipDomain: from.domain } : {}),
    ...(/^\d{4}$|^\d{7}$/.test(number) ? { shortCode: number } : {}),
    dialled,
  });
  const tenancy = decideCallbackTenancy(carrierId, { kind: 'calling-handset', caller: view.caller });
  if (!tenancy.ok) return tenancy;
  // Limits count the asking member's own calls only: another member's reports never refuse this one's handset.
  const member = view.caller ? await memberScope(store, view.caller.carrierId) : null;
  const allowance = view.caller && member ? checkOutboundAllowance(await outboundUsage(store, member, view.caller.shelterId, view.caller.handsetId, now), deps.abuseLimits) : ({ ok: true } as const);
  // 0570 costs the shelter's line: its own per-handset minutes, read only when one is dialled.
  const naviDial = view.caller && member && classifyDialled(number).kind === 'navi-dial'
    ? checkNaviDialAllowance(await naviDialMinutesToday(store, member, view.caller.shelterId, view.caller.handsetId, now), deps.abuseLimits)
    : ({ ok: true } as const);
  const decision = decideOutbound({ from: call.from, to: call.to }, view, allowance, deps.tonePolicy ?? DEFAULT_TONE_POLICY, naviDial, deps.directoryNumber ?? null);
  if (decision.step === 'refuse' && decision.reason === 'usage-limit' && !allowance.ok) {
    await raiseAlert(store, now, { severity: 'warning', kind: `abuse_${allowance.limit}`, shelterId: view.caller!.shelterId, text: message('alert.abuse_limit', { shelter: view.caller!.shelterId, limit: allowance.limit }), detail: allowance.detail });
  }
  if (call.callSid && view.caller && (decision.step === 'connect' || decision.step === 'emergency' || decision.step === 'special' || decision.step === 'directory')) {
    const purpose = decision.step === 'connect' ? decision.purpose : decision.step;
    await noteRoutedCall(store, { callSid: call.callSid, carrierId: carrierId!, direction: 'outbound', shelterId: view.caller.shelterId, handsetId: view.caller.handsetId, from: call.from, to: decision.dial ?? dialled, callerId: decision.callerId, purpose }, now);
  }
  return { ok: true, decision, view };
}

export interface InboundAsked extends CallAsked {
  stage: InboundStage;
  dialStatus: string | null;
  /** Note an intercepted call too: a JSON member reports on every call it asked about (Twilio sends no status for them). */
  noteIntercepted?: boolean;
  /** Decide the whole walk at once, for platforms that fail over by themselves instead of asking at each step (JSON members). */
  wholeWalk?: boolean;
}

/** An inbound call routed: its first step, and the steps after it when the whole walk was asked for. */
export type RoutedInbound = { ok: true; decision: InboundDecision; walk: InboundDecision[]; view: NetworkView } | { ok: false; reason: string };

/** A call to a shelter number: refused (403) unless the asking member lends that number. */
export async function routeInboundCall(deps: CallRoutingDeps, carrierId: string | null, call: InboundAsked): Promise<RoutedInbound> {
  const view = await loadNetworkView(deps.store, { calledE164: call.to });
  const tenancy = decideCallbackTenancy(carrierId, { kind: 'called-number', called: view.called });
  if (!tenancy.ok) return tenancy;
  const shelterId = view.called?.shelterId ?? null;
  const tone = deps.tonePolicy ?? DEFAULT_TONE_POLICY;
  const ring = deps.handsetRingSeconds ?? HANDSET_RING_SECONDS;
  // Asked again at each step (Twilio's Dial actions), so a forwarded call is never sent back.
  const forwarded = shelterId !== null && (await isForwardedCall(deps.store, call, shelterId, deps.now));
  const decided: InboundCall = { from: call.from, to: call.to, stage: call.stage, dialStatus: call.dialStatus, forwarded };
  const decision = decideInbound(decided, view, tone, ring);
  const walk = call.wholeWalk ? inboundWalk(decision, view, decided, tone, ring) : [decision];
  if (call.callSid && (decision.step !== 'intercept' || call.noteIntercepted)) {
    // Where the walk forwards the call: that line then knows the call (it shows the caller's number) as a forward.
    const forwardedTo = walk.find((d) => d.step === 'ring-other-carrier')?.dial ?? null;
    await noteRoutedCall(deps.store, { callSid: call.callSid, carrierId: carrierId!, direction: 'inbound', shelterId, handsetId: null, from: call.from, to: call.to, forwardedTo }, deps.now);
  }
  return { ok: true, decision, walk, view };
}

/**
 * The whole walk of an inbound call decided at once (ring the handsets, then the other carrier,
 * then voicemail), for platforms that fail over by themselves instead of asking at each step.
 */
export function inboundWalk(first: InboundDecision, view: NetworkView, call: Pick<InboundCall, 'from' | 'to' | 'forwarded'>, tone: TonePolicy = DEFAULT_TONE_POLICY, handsetRingSeconds = HANDSET_RING_SECONDS): InboundDecision[] {
  const walk = [first];
  let step = first;
  while (step.step === 'ring-handsets' || step.step === 'ring-other-carrier') {
    const stage: InboundStage = step.step === 'ring-handsets' ? 'after-handsets' : 'after-other-carrier';
    step = decideInbound({ ...call, stage, dialStatus: 'no-answer' }, view, tone, handsetRingSeconds);
    if (step.step === 'hang-up') break;
    walk.push(step);
  }
  return walk;
}

export type EventRecorded = { ok: true; record: CallRecord } | { ok: false; status: 403 | 404; reason: string };

/** A status event of a call we routed: only the member the call was routed for may report on it. */
export async function recordCallEvent(deps: CallRoutingDeps, carrierId: string | null, event: CallStatusEvent): Promise<EventRecorded> {
  const routed = await deps.store.get('calls', callRecordId(event.callSid));
  const tenancy = decideCallbackTenancy(carrierId, { kind: 'routed-call', call: routed });
  if (!tenancy.ok) return { ok: false, status: routed ? 403 : 404, reason: tenancy.reason };
  return { ok: true, record: await recordCallStatus(deps.store, { ...event, from: event.from || (routed?.from ?? ''), to: event.to || (routed?.to ?? '') }, deps.now) };
}
