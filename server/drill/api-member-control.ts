import express, { type Request, type Response } from 'express';
import { z } from 'zod';
import type { SimulatedApiMember } from './simulated-api-member.js';

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

function problem(res: Response, status: number, detail: string): void {
  res.status(status).type('application/problem+json').send(JSON.stringify({ type: 'about:blank', title: status === 404 ? 'Not Found' : status === 400 ? 'Bad Request' : 'Bad Gateway', status, detail }));
}

export function createApiMemberControlRouter(member: () => SimulatedApiMember | null): express.Router {
  const r = express.Router();
  r.use(express.json());
  const handle = <T>(schema: z.ZodType<T>, run: (m: SimulatedApiMember, body: T) => Promise<unknown>) => async (req: Request, res: Response) => {
    const m = member();
    if (!m) return problem(res, 404, 'this drill runs no simulated api member');
    const parsed = schema.safeParse(req.body ?? {});
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      return problem(res, 400, `${issue.path.join('.') || 'body'}: ${issue.message}`);
    }
    try {
      res.status(200).json(await run(m, parsed.data));
    } catch (err) {
      // The decision API refused the member (e.g. a number it does not lend): say what it answered.
      problem(res, 502, (err as Error).message);
    }
  };
  r.post('/calls', handle(InboundCall, (m, b) => m.receiveCall({ from: b.from, to: b.to, ...(b.talkSeconds === undefined ? {} : { talkSeconds: b.talkSeconds }) })));
  r.post('/sip-calls', handle(HandsetCall, (m, b) => m.placeCall({ username: b.username, domain: b.domain, dialled: b.to, ...(b.talkSeconds === undefined ? {} : { talkSeconds: b.talkSeconds }) })));
  return r;
}
