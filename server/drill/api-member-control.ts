import express from 'express';
import { z } from 'zod';
import type { SimulatedApiMember } from './simulated-api-member.js';
import { action, simProblem } from './twilio-simulator/control-routes.js';

/**
 * `/_sim/api-member`: calls on the drill's member on its own platform, beside the simulator's
 * `/_sim/calls` and `/_sim/sip-calls` for the Twilio members, so a drill shows calls on every
 * carrier. Each goes through the call-decision API exactly as a Kamailio or Asterisk member's would.
 * Unauthenticated like the rest of `/_sim`: it only ever listens on loopback.
 */
const Talk = z.number().int().min(0).max(86_400).optional();
/** Someone calls a shelter number the member lends. */
const InboundCall = z.strictObject({ from: z.string().min(1).max(64), to: z.string().min(1).max(64), talkSeconds: Talk });
/** A shelter handset registered on the member dials. */
const HandsetCall = z.strictObject({ username: z.string().min(1).max(128), domain: z.string().min(1).max(255), to: z.string().min(1).max(64), talkSeconds: Talk });

export function createApiMemberControlRouter(member: () => SimulatedApiMember | null): express.Router {
  const r = express.Router();
  r.use(express.json());
  const needMember: express.RequestHandler = (_req, res, next) => (member() ? next() : simProblem(res, 404, 'this drill runs no simulated api member'));
  // The decision API refused the member (e.g. a number it does not lend): say what it answered, as a gateway would.
  const refused = () => 502;
  r.post('/calls', needMember, action(InboundCall, (b) => member()!.receiveCall({ from: b.from, to: b.to, ...(b.talkSeconds === undefined ? {} : { talkSeconds: b.talkSeconds }) }), 200, refused));
  r.post('/sip-calls', needMember, action(HandsetCall, (b) => member()!.placeCall({ username: b.username, domain: b.domain, dialled: b.to, ...(b.talkSeconds === undefined ? {} : { talkSeconds: b.talkSeconds }) }), 200, refused));
  return r;
}
