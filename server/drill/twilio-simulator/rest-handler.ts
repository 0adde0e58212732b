import type { Request, Response } from 'express';
import type { AccountState, RequestLogEntry } from './state.js';
import { TwilioFault, errorBody, notFound, tooManyRequests, unauthorized, unavailable } from './twilio-fault.js';
import { accountSidOfPath, matchRoute, type RestReply } from './rest-routes.js';

/** One answered REST request, as a test or a benchmark sees it. */
export interface Exchange {
  method: string;
  path: string;
  query: Record<string, string>;
  status: number;
  /** Parsed JSON body; undefined for an empty body (204). */
  body: unknown;
  rawBody: string;
  contentType: string | null;
}

export interface RestHandlerDeps {
  accounts: Map<string, AccountState>;
  now: () => Date;
  latencyMs: () => number;
  domainNameTaken(name: string): boolean;
  domainDeleted(name: string): void;
  /** Seconds a 429 tells the client to wait (`Retry-After`). */
  retryAfterSeconds: () => number;
  onExchange(e: Exchange): void;
  onRequest(): void;
}

function firstValues(obj: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!obj || typeof obj !== 'object') return out;
  for (const [k, v] of Object.entries(obj as Record<string, unknown>)) {
    const first = Array.isArray(v) ? v[0] : v;
    if (typeof first === 'string') out[k] = first;
  }
  return out;
}

function basicAuth(header: string | undefined): { user: string; pass: string } | null {
  const m = /^Basic\s+(.+)$/i.exec(header ?? '');
  if (!m) return null;
  const text = Buffer.from(m[1]!, 'base64').toString('utf8');
  const colon = text.indexOf(':');
  return colon < 0 ? null : { user: text.slice(0, colon), pass: text.slice(colon + 1) };
}

/**
 * A `timeout` outage: the request gets no answer while the outage lasts (the client's own timeout
 * gives up first); when it ends, or the client goes away, it is let go with a 503.
 */
function heldUntilOutageEnds(acct: AccountState, res: Response): Promise<void> {
  return new Promise<void>((resolve) => {
    const release = () => {
      acct.held.delete(release);
      res.off('close', release);
      resolve();
    };
    acct.held.add(release);
    // The response's close (not the request's, which fires once its body is read): the client left.
    res.once('close', release);
  }).then(() => {
    throw unavailable();
  });
}

/** Twilio's request pipeline: authenticate, outage, rate limit, route, then answer after the injected latency. */
export function createRestHandler(deps: RestHandlerDeps) {
  return async (req: Request, res: Response): Promise<void> => {
    const path = req.path;
    const query = firstValues(req.query);
    const acct = deps.accounts.get(accountSidOfPath(path) ?? '');
    const entry: RequestLogEntry = { atMs: deps.now().getTime(), method: req.method, path, status: 0 };
    acct?.requests.push(entry);
    deps.onRequest();
    let reply: RestReply;
    // Twilio's REST limit is concurrent requests per account: this one counts until it is answered.
    let counted = false;
    try {
      if (!path.startsWith('/2010-04-01/')) throw notFound(path);
      const cred = basicAuth(req.headers.authorization);
      if (!acct || !cred || cred.user !== acct.sid || cred.pass !== acct.authToken) throw unauthorized();
      if (acct.outage === 'timeout') await heldUntilOutageEnds(acct, res);
      acct.inFlight++;
      counted = true;
      acct.mostArrived = Math.max(acct.mostArrived, acct.inFlight);
      if (acct.concurrencyLimit !== null && acct.inFlight > acct.concurrencyLimit) throw tooManyRequests();
      acct.mostInFlight = Math.max(acct.mostInFlight, acct.inFlight);
      if (acct.outage) throw unavailable();
      if (acct.bucket && !acct.bucket.tryTake()) throw tooManyRequests();
      const match = matchRoute(req.method, path);
      if (!match) throw notFound(path);
      reply = match.route.handle({
        acct,
        params: match.params,
        query,
        form: firstValues(req.body),
        path,
        now: deps.now(),
        domainNameTaken: deps.domainNameTaken,
        domainDeleted: deps.domainDeleted,
      });
    } catch (e) {
      const fault = e instanceof TwilioFault ? e : new TwilioFault(500, 20500, `Internal Server Error: ${(e as Error).message}`);
      reply = { status: fault.status, body: errorBody(fault), ...(fault.status === 429 ? { headers: { 'Retry-After': String(deps.retryAfterSeconds()) } } : {}) };
    }
    // A refused request is answered at once (never processed); the others after the API's latency.
    const delay = reply.status === 429 ? 0 : deps.latencyMs();
    try {
      if (delay > 0) await new Promise((r) => setTimeout(r, delay));
    } finally {
      if (counted) acct!.inFlight--;
    }
    entry.status = reply.status;
    const rawBody = reply.body === undefined ? '' : JSON.stringify(reply.body);
    const contentType = reply.body === undefined ? null : 'application/json; charset=utf-8';
    deps.onExchange({ method: req.method, path, query, status: reply.status, body: reply.body, rawBody, contentType });
    // A request held by a timeout outage whose client gave up: nobody is left to answer.
    if (res.destroyed) return;
    if (reply.headers) res.set(reply.headers);
    if (contentType) res.status(reply.status).type(contentType).send(rawBody);
    else res.status(reply.status).end();
  };
}
