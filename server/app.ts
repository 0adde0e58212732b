import express, { type NextFunction, type Request, type Response } from 'express';
import type { AppDeps } from './app-deps.js';
import { authenticate } from '../provisioning/access/tokens.js';
import { allRoutes } from './routes/index.js';
import { mountRoute, CSV_LIMIT, type RouteSpec } from './http/route.js';
import { problem, sendProblem, toProblem } from './http/problem.js';
import { principalFromSessionCookie } from './http/session.js';
import { randomUUID } from 'node:crypto';
import { withRequestContext } from '../provisioning/platform/request-context.js';

/** A caller's (or the load balancer's) request id is kept when it is a plain token; anything else gets a fresh one. */
const REQUEST_ID = /^[A-Za-z0-9._:-]{8,100}$/;

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

  app.use((req, res, next) => {
    const started = process.hrtime.bigint();
    const offered = req.headers['x-request-id'];
    const requestId = typeof offered === 'string' && REQUEST_ID.test(offered) ? offered : randomUUID();
    res.setHeader('X-Request-Id', requestId);
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      // Only the path: query strings and headers may carry tokens.
      deps.logger.info({ requestId, method: req.method, path: req.path, status: res.statusCode, ms: Math.round(ms * 10) / 10 }, 'request');
      // The route pattern, not the path: ids in paths would make a series per shelter.
      deps.ops?.metrics.observeHttp(req.method, (req.route as { path?: string } | undefined)?.path ?? 'unmatched', res.statusCode, ms / 1000);
    });
    // Everything this request causes (jobs it creates) carries its id.
    withRequestContext({ requestId }, next);
  });

  for (const r of extras.routers ?? []) app.use(r);

  app.use('/api', express.raw({ type: () => true, limit: CSV_LIMIT }));
  app.use(async (req: Request, res: Response, next: NextFunction) => {
    const bearer = bearerOf(req);
    res.locals.principal = bearer ? await authenticate(deps.store, bearer) : null;
    if (!res.locals.principal && !bearer && req.headers.cookie) res.locals.principal = await principalFromSessionCookie(deps, req.headers.cookie);
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
