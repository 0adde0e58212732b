import type { Request, Response, Router } from 'express';
import { z } from 'zod';
import type { Role } from '../../provisioning/model/index.js';
import type { Principal } from '../../provisioning/access/tokens.js';
import { BOUND_DOCUMENTS, reachOf, type BoundCollection } from '../../provisioning/access/area-scope.js';
import { notFound } from '../../provisioning/errors.js';
import type { AppDeps } from '../app-deps.js';
import { problem, validationProblem } from './problem.js';
import { withIdempotency } from './idempotency.js';
import { sendReply, type Reply } from './reply.js';

/** Who may call a route: roles holding a bearer token or session, or a non-token mechanism. */
export type Access =
  /** `limited`: the surface's own limit per address applies (the report window's reports an hour). */
  | { kind: 'public'; limited?: true }
  | { kind: 'roles'; roles: readonly Role[]; /** a carrier token may only act on its own carrier (`:id` or `:carrierId`) */ carrierScoped?: boolean }
  /** Verified by its own means (Twilio signature, device token); listed so the contract covers it. */
  | { kind: 'external'; mechanism: 'twilio-signature' | 'device-token' };

export const anyone: Access = { kind: 'public' };
export const roles = (...r: Role[]): Access => ({ kind: 'roles', roles: r });
export const carrierScoped = (...r: Role[]): Access => ({ kind: 'roles', roles: r, carrierScoped: true });
export const VIEWER_PLUS: Role[] = ['admin', 'coordinator', 'viewer'];

/**
 * How a route treats a caller limited to an area (a coordinator or viewer token with a scope);
 * callers without one are not affected:
 * - `{ bound }`: the route names one shelter, job or alert by `:id`. Outside the area it answers
 *   404 exactly as for an unknown id (whether it exists elsewhere is not the caller's to know);
 *   one shared by every area (a carrier alert, a network job) may be read but not acted on (403).
 * - `filtered`: the handler keeps to the area itself, through its use case (lists, exports,
 *   imports, bulk actions): it must pass the principal on.
 * - `unbound`: about no place (carriers, the caller's session, dial-plan tables): the same for all.
 * - `national` (what a route that says nothing gets): it acts on or reports the whole network,
 *   which an area-limited caller may not (403).
 */
export type AreaAccess = { bound: BoundCollection } | 'filtered' | 'unbound' | 'national';

export interface HandlerContext<P, Q, B> {
  principal: Principal | null;
  params: P;
  query: Q;
  body: B;
  /** The raw body when a route accepts CSV. */
  csv: Buffer | null;
  req: Request;
  res: Response;
  deps: AppDeps;
  now: Date;
}

export interface RouteResponse {
  description: string;
  schema?: z.ZodType;
  contentType?: string;
  /** Other representations of the same answer (e.g. CSV beside JSON). */
  also?: { contentType: string; schema: z.ZodType }[];
}

/**
 * What the OpenAPI document says of a route, on any surface (the API, Twilio's webhooks, handset
 * files, the report window): the same entry that is mounted, so the two cannot differ.
 */
export interface RouteDoc {
  method: 'get' | 'post' | 'patch' | 'delete' | 'put';
  path: string;
  access: Access;
  /** How a coordinator or viewer limited to an area is treated here; every route such callers may reach says so. */
  area?: AreaAccess;
  summary: string;
  tags: string[];
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
  /** A form-encoded body (Twilio webhooks, the report form), read as application/x-www-form-urlencoded. */
  form?: z.ZodType;
  /** Header parameters the route reads (X-Twilio-Signature, User-Agent). */
  headers?: { name: string; required: boolean; description: string }[];
  /** Accepts `text/csv` as well as (or, with csvOnly, instead of) JSON. */
  csv?: boolean;
  csvOnly?: boolean;
  /** Rules of the body JSON Schema cannot say (CSV layouts, check digits), for the document. */
  bodyDescription?: string;
  /** An example CSV body for the document, when the route reads text/csv. */
  csvExample?: string;
  /**
   * What the route answers besides what every route of its kind may (401/403 for roles, 400 for
   * parsed input, 413/415 for bodies, 400/422 for Idempotency-Key): a success needs its schema,
   * an error (≥ 400) is a Problem.
   */
  responses: Record<number, RouteResponse>;
}

/** An API route: authorised by role (or public), parsed, idempotent when it mutates, answered by its use case. */
export interface RouteSpec<P = any, Q = any, B = any> extends RouteDoc {
  params?: z.ZodType<P>;
  query?: z.ZodType<Q>;
  body?: z.ZodType<B>;
  /** The API reads JSON or CSV; a form is for the surfaces (server/http/surface.ts). */
  form?: never;
  handler: (ctx: HandlerContext<P, Q, B>) => Promise<Reply>;
}

export function defineRoute<P, Q, B>(spec: RouteSpec<P, Q, B>): RouteSpec<P, Q, B> {
  return spec;
}

export const JSON_LIMIT = 1024 * 1024;
export const CSV_LIMIT = 5 * 1024 * 1024;

const utf8 = new TextDecoder('utf-8', { fatal: true });

function readBody(spec: RouteSpec, req: Request): { json: unknown; csv: Buffer | null } {
  const raw: Buffer = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (spec.csv && (type === 'text/csv' || type === 'application/csv')) {
    if (raw.length > CSV_LIMIT) throw problem(413, 'too-large', 'Payload too large', 'a CSV body may be at most 5 MB');
    return { json: undefined, csv: raw };
  }
  if (spec.csvOnly) throw problem(415, 'unsupported-media-type', 'Unsupported media type', 'send the file as text/csv');
  if (type !== 'application/json' && !type.endsWith('+json')) {
    throw problem(415, 'unsupported-media-type', 'Unsupported media type', `send application/json${spec.csv ? ' or text/csv' : ''}`);
  }
  if (raw.length > JSON_LIMIT) throw problem(413, 'too-large', 'Payload too large', 'a JSON body may be at most 1 MB');
  let text: string;
  try {
    text = utf8.decode(raw);
  } catch {
    throw problem(400, 'invalid-encoding', 'Invalid request', 'the body is not valid UTF-8');
  }
  try {
    return { json: JSON.parse(text), csv: null };
  } catch {
    throw problem(400, 'invalid-json', 'Invalid request', 'the body is not valid JSON');
  }
}

function parsePart<T>(schema: z.ZodType<T> | undefined, value: unknown, where: 'body' | 'query' | 'path'): T {
  if (!schema) return undefined as T;
  const r = schema.safeParse(value);
  if (!r.success) throw validationProblem(r.error, where);
  return r.data;
}

export function authorize(spec: RouteSpec, principal: Principal | null, params: Record<string, string>): void {
  const access = spec.access;
  if (access.kind !== 'roles') return;
  if (!principal) throw problem(401, 'unauthenticated', 'Unauthenticated', 'send Authorization: Bearer <token>', {});
  if (!access.roles.includes(principal.role)) {
    throw problem(403, 'forbidden', 'Forbidden', `this needs one of the roles ${access.roles.join(', ')}; your token is ${principal.role}`);
  }
  if (access.carrierScoped && principal.role === 'carrier') {
    const target = params.carrierId ?? params.id;
    if (target !== undefined && target !== principal.carrierId) throw problem(403, 'forbidden', 'Forbidden', 'a carrier token may act only on its own carrier');
  }
}

/**
 * Keeps an area-limited caller to its area on routes that name one document or act nationally;
 * a refused try is logged with the token (never its secret) and what it reached for.
 */
async function guardArea(spec: RouteSpec, principal: Principal | null, params: Record<string, string>, deps: Pick<AppDeps, 'store' | 'logger'>): Promise<void> {
  if (!principal?.scope) return;
  const area = spec.area ?? 'national';
  if (area === 'filtered' || area === 'unbound') return;
  const refuse = (status: number, why: string) => deps.logger.warn({ tokenId: principal.tokenId, role: principal.role, method: spec.method.toUpperCase(), route: spec.path, id: params.id ?? null, status, why }, 'refused: outside the caller\'s area');
  if (area === 'national') {
    refuse(403, 'national');
    throw problem(403, 'forbidden', 'Forbidden', 'this acts on the whole network; a token limited to an area may not use it');
  }
  const id = params.id ?? '';
  const reach = await reachOf(deps.store, principal, area.bound, id);
  if (reach === 'outside') {
    refuse(404, 'outside');
    throw notFound(BOUND_DOCUMENTS[area.bound], id);
  }
  if (reach === 'shared' && spec.method !== 'get') {
    refuse(403, 'shared');
    throw problem(403, 'forbidden', 'Forbidden', `this ${BOUND_DOCUMENTS[area.bound]} concerns the whole network; a token limited to an area may read it but not act on it`);
  }
}

/** Mounts a route: authenticate → authorize → parse → (idempotency) → use case → reply. */
export function mountRoute(router: Router, spec: RouteSpec, deps: AppDeps): void {
  // A limit per address belongs to a surface's guards; on the API it would silently not apply.
  if (spec.access.kind === 'public' && spec.access.limited) throw new Error(`${spec.method} ${spec.path}: the API has no limit per address to apply`);
  router[spec.method](spec.path, async (req: Request, res: Response) => {
    const authenticated = (res.locals.principal as Principal | undefined) ?? null;
    authorize(spec, authenticated, req.params as Record<string, string>);
    // As an actor, the principal carries this request's id to the jobs it queues.
    const principal = authenticated && typeof res.locals.requestId === 'string' ? { ...authenticated, requestId: res.locals.requestId as string } : authenticated;
    const params = parsePart(spec.params, req.params, 'path');
    // After the path is parsed: the id it reads is a valid one.
    await guardArea(spec, authenticated, (params ?? {}) as Record<string, string>, deps);
    const query = parsePart(spec.query, { ...(req.query as object) }, 'query');
    let body: unknown;
    let csv: Buffer | null = null;
    if (spec.body || spec.csvOnly) {
      const read = readBody(spec, req);
      csv = read.csv;
      body = csv ? undefined : parsePart(spec.body, read.json, 'body');
    }
    const run = () => spec.handler({ principal, params, query, body, csv, req, res, deps, now: deps.clock.now() });
    const reply = spec.method === 'get' ? await run() : await withIdempotency(deps, req, principal, run);
    if (res.headersSent) return;
    sendReply(res, reply);
  });
}
