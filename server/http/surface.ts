import express, { Router, type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import type { z } from 'zod';
import { problem, sendProblem, toProblem, validationProblem } from './problem.js';
import { sendReply, type Reply } from './reply.js';
import type { RouteDoc } from './route.js';

/**
 * A surface beside the API (Twilio's webhooks, handset files, the report window): no bearer token,
 * its own checks and answers. Its routes are entries like the API's, mounted and documented from
 * the same table (server/routes/surface-routes.ts).
 */
export interface SurfaceHandlerContext<C, P, Q, B> {
  /** The parsed input; the raw request when the route checks its own (`validates: false`). */
  params: P;
  query: Q;
  body: B;
  req: Request;
  res: Response;
  /** What the surface's routes share, made once when it is mounted (counters, the tone, URLs). */
  deps: C;
}

export interface SurfaceRoute<C, P = any, Q = any, B = any> extends RouteDoc {
  params?: z.ZodType<P>;
  query?: z.ZodType<Q>;
  /** JSON, and with `form` as well, either of the two. */
  body?: z.ZodType<B>;
  form?: z.ZodType<B>;
  /**
   * false: the schemas only document the input and the handler reads the request itself, so a
   * wrong token is still a counted 404 rather than a 400 (`/p/`), an announcement always plays.
   */
  validates?: false;
  /** Nothing returned: the handler wrote the answer itself (the tone: its own ETag, no freshness check of express's). */
  handler: (ctx: SurfaceHandlerContext<C, P, Q, B>) => Promise<Reply | void>;
}

/** How the surface's routes are let in, by their `access`: a Twilio signature, or a public route's limit per address. */
export interface SurfaceGuards {
  twilioSignature?: RequestHandler;
  perAddress?: RequestHandler;
}

export interface Surface<D, C> {
  routes: readonly SurfaceRoute<C>[];
  /** What the routes share, from what the surface is given. */
  context: (deps: D) => C;
  guards?: (ctx: C) => SurfaceGuards;
  /** The largest form or JSON body its routes read, when they read one. */
  bodyLimit?: string;
  /** Headers for every answer under a path, errors included (the report window's CSP). */
  headers?: { under: string; set: Record<string, string> };
  /** How a failure under a path is answered (default: the app's, a Problem). */
  errors?: { under: string; answer: (err: unknown, req: Request, res: Response, ctx: C) => void };
}

export const surfaceRoute =
  <C>() =>
  <P, Q, B>(route: SurfaceRoute<C, P, Q, B>): SurfaceRoute<C, P, Q, B> =>
    route;

function parsed<T>(schema: z.ZodType<T> | undefined, value: unknown, where: 'body' | 'query' | 'path'): T {
  if (!schema) return value as T;
  const r = schema.safeParse(value);
  if (!r.success) throw validationProblem(r.error, where);
  return r.data;
}

function need(guard: RequestHandler | undefined, what: string): RequestHandler {
  if (!guard) throw new Error(`a route needs ${what}, which its surface does not give`);
  return guard;
}

/** Mounts a surface: limit → body → signature → (media type, parse) → handler → reply; failures answered its way. */
export function mountSurface<D, C>(surface: Surface<D, C>, deps: D): Router {
  const router = Router();
  const ctx = surface.context(deps);
  const guards = surface.guards?.(ctx) ?? {};
  if (surface.headers) {
    const { set } = surface.headers;
    router.use(surface.headers.under, (_req: Request, res: Response, next: NextFunction) => {
      for (const [k, v] of Object.entries(set)) res.setHeader(k, v);
      next();
    });
  }
  for (const route of surface.routes) {
    const chain: RequestHandler[] = [];
    if (route.access.kind === 'public' && route.access.limited) chain.push(need(guards.perAddress, 'a limit per address'));
    if ((route.form || route.body) && !surface.bodyLimit) throw new Error(`${route.method} ${route.path} reads a body, and its surface sets no limit`);
    if (route.form) chain.push(express.urlencoded({ extended: false, limit: surface.bodyLimit }));
    if (route.body) chain.push(express.json({ limit: surface.bodyLimit }));
    if (route.access.kind === 'external' && route.access.mechanism === 'twilio-signature') chain.push(need(guards.twilioSignature, 'a Twilio signature check'));
    router[route.method](route.path, ...chain, async (req: Request, res: Response) => {
      if (route.form && route.body && !req.is('application/x-www-form-urlencoded') && !req.is('application/json')) {
        throw problem(415, 'unsupported-media-type', 'Unsupported media type', 'send the form (application/x-www-form-urlencoded) or application/json');
      }
      const check = route.validates !== false;
      // The body before the query, as the webhooks always read them: its errors are the ones reported.
      const params = check ? parsed(route.params, req.params, 'path') : req.params;
      const body = check && (route.form || route.body) ? parsed(route.body ?? route.form, req.body ?? {}, 'body') : req.body;
      const query = check ? parsed(route.query, req.query, 'query') : req.query;
      const reply = await route.handler({ params, query, body, req, res, deps: ctx });
      if (reply && !res.headersSent) sendReply(res, reply);
    });
  }
  const { errors } = surface;
  if (errors) {
    router.use(errors.under, (err: unknown, req: Request, res: Response, next: NextFunction) => {
      if (res.headersSent) return next(err);
      errors.answer(err, req, res, ctx);
    });
  }
  return router;
}

/** A surface's failure as the API answers one: a Problem, our own failures logged. */
export function answerProblem(err: unknown, res: Response, log: (err: unknown) => void): void {
  const p = toProblem(err);
  if (p.status >= 500) log(err);
  sendProblem(res, p);
}
