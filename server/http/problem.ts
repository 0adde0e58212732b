import type { Response } from 'express';
import type { z } from 'zod';
import { DomainError, type DomainErrorKind } from '../../provisioning/errors.js';
import { Problem as ProblemSchema, type Problem } from '../../provisioning/model/index.js';
import { InvalidCursorError } from '../../provisioning/store/store.js';
import { InvalidNumberError } from '../../provisioning/numbers/japanese-number.js';

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

export function toProblem(err: unknown): Problem {
  if (err instanceof HttpProblem) return err.problem;
  if (err instanceof DomainError) {
    const { status, title } = STATUS[err.kind];
    const { fields, ...facts } = err.facts;
    // Field names from the domain become the same `errors` list zod failures give.
    const errors = fields?.map((f) => ({ path: `body.${f}`, message: err.message }));
    return { ...facts, ...(errors ? { errors } : {}), type: TYPE_BASE + err.kind.replace('_', '-'), title, status, detail: err.message };
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
  res.status(p.status).type('application/problem+json').send(JSON.stringify(p));
}
