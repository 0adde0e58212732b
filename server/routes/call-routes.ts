import { CALL_DECISION_PATHS, CallEvent, CallEventAck, InboundCallAnswer, InboundCallQuestion, OutboundCallAnswer, OutboundCallQuestion } from '../../provisioning/model/index.js';
import { memberCallSid, recordCallEvent, routeInboundCall, routeOutboundCall, type CallRoutingDeps } from '../../provisioning/network/index.js';
import { defineRoute, roles } from '../http/route.js';
import { problem } from '../http/problem.js';
import { renderInboundJson, renderOutboundJson, type JsonRenderUrls } from '../webhooks/render-json.js';
import { TONE_PATH } from '../webhooks/twilio-webhook-routes.js';
import type { AppDeps } from '../app-deps.js';
import { callRoutingOf } from '../config.js';

/** Twilio's CallStatus words, which call records and abuse limits count in. */
const STATUS_OF_EVENT = { ringing: 'ringing', answered: 'in-progress', completed: 'completed', busy: 'busy', 'no-answer': 'no-answer', failed: 'failed', canceled: 'canceled' } as const;

function jsonUrls(deps: AppDeps): JsonRenderUrls {
  const prompts = deps.config.ORCH_PROMPT_AUDIO_BASE_URL?.replace(/\/+$/, '');
  return { toneUrl: deps.config.ORCH_TONE_URL ?? `${deps.config.publicUrl}${TONE_PATH}`, promptAudioUrl: (reason) => (prompts ? `${prompts}/${encodeURIComponent(reason)}.wav` : null) };
}
const routing = (deps: AppDeps, now: Date): CallRoutingDeps => ({ store: deps.store, now, ...callRoutingOf(deps.config) });
const notYours = (reason: string) => problem(403, 'forbidden', 'Forbidden', reason);
/** The member asking: a carrier token always names its carrier. */
function memberOf(principal: { carrierId?: string | null } | null): string {
  if (!principal?.carrierId) throw notYours('a carrier token names its carrier');
  return principal.carrierId;
}

/** The call-decision API: the dial plan for members whose platform is not Twilio's (Kamailio, Asterisk, FreeSWITCH…). */
export const callRoutes = [
  defineRoute({
    method: 'post', path: CALL_DECISION_PATHS.outbound, access: roles('carrier'), tags: ['call decisions'],
    summary: 'A shelter handset registered on your platform places a call: connect (number, caller ID and whether it is withheld after 184, identification tone), special, emergency, directory (relay to the directory hotline), or a spoken refusal / guidance (with the SIP answer for edges without media)',
    body: OutboundCallQuestion,
    responses: { 200: { description: 'what to do with the call', schema: OutboundCallAnswer }, 403: { description: 'the handset is registered on another member' } },
    handler: async ({ body, principal, deps, now }) => {
      const { domain } = body.handset;
      const carrierId = memberOf(principal);
      const routed = await routeOutboundCall(routing(deps, now), carrierId, {
        callSid: memberCallSid(carrierId, body.callId), from: `sip:${body.handset.username}@${domain}`, to: `sip:${body.dialled}@${domain}`,
      });
      if (!routed.ok) throw notYours(routed.reason);
      return { status: 200, body: renderOutboundJson(routed.decision, jsonUrls(deps)) };
    },
  }),
  defineRoute({
    method: 'post', path: CALL_DECISION_PATHS.inbound, access: roles('carrier'), tags: ['call decisions'],
    summary: 'A call reaches a shelter number you lend: ring its handsets, then (onNoAnswer) its number on the other carrier, then voicemail; or an intercept',
    body: InboundCallQuestion,
    responses: { 200: { description: 'the whole walk of the call, first step outermost', schema: InboundCallAnswer }, 403: { description: 'the number is not one you lend to the network' } },
    handler: async ({ body, principal, deps, now }) => {
      const carrierId = memberOf(principal);
      const call = { callSid: memberCallSid(carrierId, body.callId), from: body.from, to: body.to, stage: 'new' as const, dialStatus: null, noteIntercepted: true, wholeWalk: true };
      const routed = await routeInboundCall(routing(deps, now), carrierId, call);
      if (!routed.ok) throw notYours(routed.reason);
      return { status: 200, body: renderInboundJson(routed.walk, jsonUrls(deps)) };
    },
  }),
  defineRoute({
    method: 'post', path: CALL_DECISION_PATHS.events, access: roles('carrier'), tags: ['call decisions'],
    summary: 'Report what became of a call the decision API routed (answered, completed with its duration…): call records and abuse limits count it',
    body: CallEvent,
    responses: { 200: { description: 'recorded on the call', schema: CallEventAck }, 404: { description: 'no call with this id was routed for your carrier' } },
    handler: async ({ body, principal, deps, now }) => {
      const carrierId = memberOf(principal);
      const recorded = await recordCallEvent(routing(deps, now), carrierId, {
        callSid: memberCallSid(carrierId, body.callId), status: STATUS_OF_EVENT[body.event], from: '', to: '', durationSeconds: body.durationSeconds ?? null,
      });
      if (!recorded.ok) throw recorded.status === 404 ? problem(404, 'not-found', 'Not found', recorded.reason, { id: body.callId }) : notYours(recorded.reason);
      const r = recorded.record;
      return { status: 200, body: { callId: body.callId, status: r.status, durationSeconds: r.durationSeconds, shelterId: r.shelterId } };
    },
  }),
];
