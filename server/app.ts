import express, { type NextFunction, type Request, type Response } from 'express';
import type { AppDeps } from './app-deps.js';
import { authenticate, noteTokenUse, type Principal } from '../provisioning/access/tokens.js';
import { allRoutes } from './routes/index.js';
import { mountRoute, CSV_LIMIT, type RouteSpec } from './http/route.js';
import { problem, sendProblem, toProblem } from './http/problem.js';
import { principalFromSessionCookie } from './http/session.js';
import { randomUUID } from 'node:crypto';

/** A caller's (or the load balancer's) request id is kept when it is a plain token; anything else gets a fresh one. */
const REQUEST_ID = /^[A-Za-z0-9._:-]{8,100}$/;
import { FailedAttempts } from './http/failed-attempts.js';
import { securityHeaders } from './http/security-headers.js';

/** Wrong tokens allowed per address in a minute before further wrong ones answer 429. */
export const AUTH_FAILURES_PER_MINUTE = 10;
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The origins a cookie-authenticated mutation may come from: the public URL's, or the Host it was sent to. */
function allowedOrigin(origin: string | undefined, publicUrl: string, host: string | undefined): boolean {
  if (!origin) return false;
  try {
    const o = new URL(origin);
    return o.origin === new URL(publicUrl).origin || (host !== undefined && o.host === host);
  } catch {
    return false;
  }
}

export interface AppExtras {
  /** Extra routers mounted before the API (webhooks, handset files, the board). */
  routers?: express.Router[];
  routes?: RouteSpec[];
}

function bearerOf(req: Request): string | null {
  const h = req.headers.authorization;
  if (!h) return null;
  const m = /^Bearer\s+(\S+)$/i.exec(h);
  return m ? m[1]! : null;
}

/** The express app: thin by design — parse, call a use case, map its errors. */
export function createApp(deps: AppDeps, extras: AppExtras = {}): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  // Behind a proxy every request comes from the proxy's address: per-address limits would then lock
  // everyone out together. Only as many X-Forwarded-For entries as there are proxies are believed.
  app.set('trust proxy', deps.config.ORCH_TRUST_PROXY);
  app.use(securityHeaders);

  app.use((req, res, next) => {
    const started = process.hrtime.bigint();
    const offered = req.headers['x-request-id'];
    const requestId = typeof offered === 'string' && REQUEST_ID.test(offered) ? offered : randomUUID();
    res.setHeader('X-Request-Id', requestId);
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      // Only the path: query strings and headers may carry tokens.
      // The client as limits see it, and the chain it came from (to set ORCH_TRUST_PROXY behind a proxy).
      deps.logger.info({ requestId, method: req.method, path: req.path, status: res.statusCode, ms: Math.round(ms * 10) / 10, client: req.ip, forwardedFor: req.get('x-forwarded-for') ?? null }, 'request');
      // The route pattern, not the path: ids in paths would make a series per shelter.
      deps.ops?.metrics.observeHttp(req.method, (req.route as { path?: string } | undefined)?.path ?? 'unmatched', res.statusCode, ms / 1000);
    });
    // Everything this request causes (jobs it creates) carries its id: mountRoute puts it on the actor.
    // Passed by hand, not in an AsyncLocalStorage: on Node 20 that hooks every promise of the
    // process, a twentieth of a mass opening's time (national benchmark, 1.12 → 1.06 × the bound).
    res.locals.requestId = requestId;
    next();
  });

  const https = deps.config.publicUrl.startsWith('https://');
  app.use((_req, res, next) => {
    // Only behind https: HSTS over plain http would be ignored, and a drill laptop has no certificate.
    if (https) res.setHeader('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
    next();
  });

  for (const r of extras.routers ?? []) app.use(r);

  const authFailures = new FailedAttempts(deps.clock, AUTH_FAILURES_PER_MINUTE, 60_000);
  app.locals.authFailures = authFailures;
  app.use('/api', (_req, res, next) => {
    // API answers may carry tokens, passwords or a session: no cache may keep them.
    res.setHeader('Cache-Control', 'no-store');
    next();
  });
  app.use('/api', express.raw({ type: () => true, limit: CSV_LIMIT }));
  app.use(async (req: Request, res: Response, next: NextFunction) => {
    const bearer = bearerOf(req);
    res.locals.principal = bearer ? await authenticate(deps.store, bearer) : null;
    let viaCookie = false;
    if (!res.locals.principal && !bearer && req.headers.cookie) {
      res.locals.principal = await principalFromSessionCookie(deps, req.headers.cookie);
      viaCookie = res.locals.principal !== null;
    }
    // Not awaited: a timestamp for the admin's token list must not slow or fail the request.
    if (res.locals.principal) void noteTokenUse(deps.store, (res.locals.principal as Principal).tokenId, deps.clock.now());
    if (bearer && !res.locals.principal) {
      const address = `ip:${req.ip ?? 'unknown'}`;
      const wait = authFailures.blockedFor(address);
      authFailures.fail(address);
      if (wait) return sendProblem(res, problem(429, 'rate-limited', 'Too many requests', 'too many wrong tokens from this address; try again later', { retryAfterSeconds: wait }).problem);
    }
    // SameSite=Strict is one guard; a browser's Origin on a cookie-authenticated write is the second.
    if (viaCookie && !SAFE_METHODS.has(req.method) && !allowedOrigin(req.get('origin'), deps.config.publicUrl, req.get('host'))) {
      return sendProblem(res, problem(403, 'forbidden', 'Forbidden', 'a request signed in by the board cookie must come from the board’s own origin').problem);
    }
    next();
  });

  const router = express.Router();
  for (const spec of [...allRoutes(), ...(extras.routes ?? [])]) mountRoute(router, spec, deps);
  app.use(router);

  app.use((req: Request, res: Response) => {
    sendProblem(res, problem(404, 'not-found', 'Not found', `no route ${req.method} ${req.path}`).problem);
  });
  app.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const p = toProblem(err);
    if (p.status >= 500) deps.logger.error({ err, path: req.path }, 'request failed');
    if (res.headersSent) return res.end();
    sendProblem(res, p);
  });
  return app;
}
