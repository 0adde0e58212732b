import type { Response } from 'express';
import type { z } from 'zod';
import { DomainError, type DomainErrorKind } from '../../provisioning/errors.js';
import { Problem as ProblemSchema, type Problem } from '../../provisioning/model/index.js';
import { InvalidCursorError } from '../../provisioning/store/store.js';
import { InvalidNumberError } from '../../provisioning/numbers/japanese-number.js';
import { IllegalTransitionError } from '../../provisioning/numbers/lifecycle.js';
import { CarrierError, CarrierPending } from '../../provisioning/carriers/carrier.js';
import { CertificationInputError } from '../../provisioning/compliance/certification.js';
import { AllocationInputError } from '../../provisioning/allocation/plan-allocation.js';
import { ShortCodeSpaceError } from '../../provisioning/allocation/short-codes.js';
import { InvalidProvisioningView } from '../../provisioning/handsets/provisioning-view.js';
import { LocalContentionError } from '../../provisioning/store/firestore/local-locks.js';
import { LeaseLostError } from '../../provisioning/jobs/job-queue.js';
import { IllegalJobTransitionError } from '../../provisioning/jobs/job-lifecycle.js';
import { MalformedCsvError, UnknownCsvLayoutError } from '../../provisioning/shelters/import/csv-errors.js';

export { ProblemSchema, type Problem };

/** The optional members a problem may carry beside type, title, status and detail. */
export type ProblemExtras = Omit<Problem, 'type' | 'title' | 'status' | 'detail'>;

const TYPE_BASE = 'https://shelter-line.jp/problems/';

const STATUS: Record<DomainErrorKind, { status: number; title: string }> = {
  not_found: { status: 404, title: 'Not found' },
  conflict: { status: 409, title: 'Conflict' },
  forbidden: { status: 403, title: 'Forbidden' },
  invalid: { status: 400, title: 'Invalid request' },
  unprocessable: { status: 422, title: 'Unprocessable request' },
  unavailable: { status: 503, title: 'Unavailable' },
};

export class HttpProblem extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail);
  }
}

export function problem(status: number, slug: string, title: string, detail: string, extra: ProblemExtras = {}): HttpProblem {
  return new HttpProblem({ ...extra, type: TYPE_BASE + slug, title, status, detail });
}

/** zod failures become 400 with every failing field path. */
export function validationProblem(error: z.ZodError, where: 'body' | 'query' | 'path'): HttpProblem {
  const errors = error.issues.map((i) => ({ path: [where, ...i.path.map(String)].join('.'), message: i.message }));
  return problem(400, 'validation', 'Invalid request', `${errors.length} field(s) failed validation: ${errors.slice(0, 5).map((e) => e.path).join(', ')}`, { errors });
}

/** Every error class the domain throws, with the answer it gives; test/security/domain-errors.test.ts keeps this complete. */
const DOMAIN_CLASSES: Array<[new (...args: never[]) => Error, { status: number; slug: string; title: string; retryAfterSeconds?: number }]> = [
  [IllegalTransitionError, { status: 409, slug: 'illegal-transition', title: 'Conflict' }],
  [IllegalJobTransitionError, { status: 409, slug: 'illegal-transition', title: 'Conflict' }],
  [CarrierPending, { status: 503, slug: 'carrier-pending', title: 'Waiting for the carrier', retryAfterSeconds: 1 }],
  [CarrierError, { status: 502, slug: 'carrier-failed', title: 'The carrier refused or failed' }],
  [CertificationInputError, { status: 400, slug: 'validation', title: 'Invalid request' }],
  [AllocationInputError, { status: 400, slug: 'validation', title: 'Invalid request' }],
  [ShortCodeSpaceError, { status: 503, slug: 'short-codes-exhausted', title: 'Unavailable' }],
  [InvalidProvisioningView, { status: 422, slug: 'unprocessable', title: 'Unprocessable request' }],
  [LocalContentionError, { status: 503, slug: 'contention', title: 'Busy', retryAfterSeconds: 1 }],
  [LeaseLostError, { status: 409, slug: 'lease-lost', title: 'Conflict' }],
  [UnknownCsvLayoutError, { status: 400, slug: 'validation', title: 'Invalid request' }],
  [MalformedCsvError, { status: 400, slug: 'validation', title: 'Invalid request' }],
];

export function toProblem(err: unknown): Problem {
  if (err instanceof HttpProblem) return err.problem;
  if (err instanceof DomainError) {
    const { status, title } = STATUS[err.kind] ?? STATUS.unprocessable;
    const { fields, ...facts } = err.facts ?? {};
    // Field names from the domain become the same `errors` list zod failures give.
    const errors = (fields as string[] | undefined)?.map((f) => ({ path: `body.${f}`, message: err.message }));
    return { ...facts, ...(errors ? { errors } : {}), type: TYPE_BASE + (err.kind ?? 'unprocessable').replace('_', '-'), title, status, detail: err.message };
  }
  for (const [cls, p] of DOMAIN_CLASSES) {
    if (err instanceof cls) return { type: TYPE_BASE + p.slug, title: p.title, status: p.status, detail: err.message || p.title, ...(p.retryAfterSeconds ? { retryAfterSeconds: p.retryAfterSeconds } : {}) };
  }
  if (err instanceof InvalidCursorError) return { type: TYPE_BASE + 'validation', title: 'Invalid request', status: 400, detail: err.message };
  // A number the caller typed (path or body) that is not a Japanese number is their mistake, not ours.
  if (err instanceof InvalidNumberError) return { type: TYPE_BASE + 'validation', title: 'Invalid request', status: 400, detail: err.message };
  const e = err as { type?: string; status?: number; statusCode?: number };
  // Errors raised by express's own body readers carry a status.
  if (e?.type === 'entity.too.large') return { type: TYPE_BASE + 'too-large', title: 'Payload too large', status: 413, detail: 'the request body is larger than this route accepts' };
  const status = e?.status ?? e?.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return { type: TYPE_BASE + 'bad-request', title: 'Bad request', status, detail: 'the request could not be read' };
  }
  return { type: TYPE_BASE + 'internal', title: 'Internal error', status: 500, detail: 'something went wrong on our side; it has been logged' };
}

export function sendProblem(res: Response, p: Problem): void {
  // A problem that says when to come back (429, an idempotent request still running) says it in the header too.
  if (typeof p.retryAfterSeconds === 'number') res.setHeader('Retry-After', String(Math.max(1, Math.ceil(p.retryAfterSeconds))));
  res.status(p.status).type('application/problem+json').send(JSON.stringify(p));
}
