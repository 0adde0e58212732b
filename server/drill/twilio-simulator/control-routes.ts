import { STATUS_CODES } from 'node:http';
import express, { type Request, type Response } from 'express';
import { z } from 'zod';
import type { TwilioSimulator } from './simulator-interface.js';

/**
 * The `/_sim` JSON API: the simulator's control methods for drill mode, where the simulator runs
 * in its own process. Unauthenticated by design: it only ever listens on loopback.
 */
const AccountBody = z.object({ sid: z.string().optional(), authToken: z.string().min(1).optional(), friendlyName: z.string().optional(), concurrencyLimit: z.number().int().min(1).nullable().optional() });
const ConcurrencyBody = z.object({ limit: z.number().int().min(1).nullable() });
const NumbersBody = z.object({ e164s: z.array(z.string()).min(1) });
const OutageBody = z.object({ on: z.boolean(), mode: z.enum(['unavailable', 'timeout']).optional() });
const RegisterBody = z.object({ domain: z.string().min(1), username: z.string().min(1), password: z.string().min(1) });
const RateLimitBody = z.object({ limit: z.object({ perSecond: z.number().positive(), burst: z.number().min(1) }).nullable() });
const LatencyBody = z.object({ ms: z.number().min(0) });
const CallBody = z.object({ to: z.string().min(1), from: z.string().min(1), accountSid: z.string().optional() });
const SipCallBody = z.object({ domain: z.string().min(1), username: z.string().min(1), to: z.string().min(1) });
const WebhookBody = z.object({
  accountSid: z.string().min(1),
  url: z.url(),
  params: z.record(z.string(), z.string()),
  method: z.enum(['GET', 'POST']).optional(),
});

type Sim = Omit<TwilioSimulator, 'app'>;

/** A `/_sim` refusal (RFC 9457, untyped): its title is the status's own name. */
export function simProblem(res: Response, status: number, detail: string): void {
  res.status(status).type('application/problem+json').send(JSON.stringify({ type: 'about:blank', title: STATUS_CODES[status] ?? 'Error', status, detail }));
}

/** A failed simulator action: an unknown account is 404, anything else the caller's mistake (400). */
const simulatorFailure = (message: string) => (/^no simulated/.test(message) ? 404 : 400);

/** Parses the body, runs the action, and maps a bad body to 400 and a failure by `failureStatus`. */
export function action<T>(schema: z.ZodType<T>, run: (body: T, req: Request) => unknown, status = 200, failureStatus: (message: string) => number = simulatorFailure) {
  return async (req: Request, res: Response) => {
    const parsed = schema.safeParse(req.body ?? {});
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      return simProblem(res, 400, `${issue.path.join('.') || 'body'}: ${issue.message}`);
    }
    try {
      const result = await run(parsed.data, req);
      res.status(status).json(result ?? { ok: true });
    } catch (e) {
      const message = (e as Error).message;
      simProblem(res, failureStatus(message), message);
    }
  };
}

const Empty = z.unknown();

export function createControlRouter(sim: Sim): express.Router {
  const r = express.Router();
  const sid = (req: Request) => String(req.params.sid);
  r.post('/accounts', action(AccountBody, (b) => sim.createAccount(b), 201));
  r.post('/accounts/:sid/numbers', action(NumbersBody, (b, req) => sim.seedNumbers(sid(req), b.e164s), 201));
  r.put('/accounts/:sid/outage', action(OutageBody, (b, req) => sim.setOutage(sid(req), b.on, b.mode)));
  r.post('/registrations', action(RegisterBody, (b) => ({ registered: sim.registerSip(b) })));
  r.put('/accounts/:sid/rate-limit', action(RateLimitBody, (b, req) => sim.setRateLimit(sid(req), b.limit)));
  r.put('/accounts/:sid/concurrency-limit', action(ConcurrencyBody, (b, req) => sim.setConcurrencyLimit(sid(req), b.limit)));
  r.get('/accounts/:sid/concurrency', action(Empty, (_b, req) => sim.concurrency(sid(req), { reset: req.query.reset === '1' })));
  r.put('/latency', action(LatencyBody, (b) => sim.setLatency(b.ms)));
  r.get('/accounts/:sid/snapshot', action(Empty, (_b, req) => sim.snapshot(sid(req))));
  r.get('/accounts/:sid/requests', action(Empty, (_b, req) => ({ count: sim.requestCount(sid(req)), log: sim.requestLog(sid(req)) })));
  r.get('/requests', action(Empty, () => ({ count: sim.requestCount() })));
  r.post('/calls', action(CallBody, (b) => sim.placeCall(b)));
  r.post('/sip-calls', action(SipCallBody, (b) => sim.placeSipCall(b)));
  r.post('/webhooks', action(WebhookBody, (b) => sim.sendWebhook(b)));
  return r;
}
