import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { toProblem } from '../../server/http/problem.js';

const ROOT = join(import.meta.dirname, '../../provisioning');
/** A bug in our own code, not a refusal of the request: it is right for it to be a logged 500. */
const PROGRAMMING_ERRORS = new Set(['ReadAfterWriteError']);

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return name.endsWith('.ts') ? [path] : [];
  });
}

/** Every error class provisioning/ exports, found in the source so a new one cannot be forgotten. */
const classes = sources(ROOT).flatMap((path) =>
  [...readFileSync(path, 'utf8').matchAll(/^export class (\w+) extends (?:\w*Error)\b/gm)].map((m) => ({ name: m[1]!, path })),
);

describe('every domain error class maps to problem+json, never a 500', () => {
  it('finds the error classes', () => {
    expect(classes.map((c) => c.name)).toContain('IllegalTransitionError');
    expect(classes.length).toBeGreaterThan(10);
  });

  it.each(classes.filter((c) => !PROGRAMMING_ERRORS.has(c.name)).map((c) => [c.name, c.path] as const))('%s', async (name, path) => {
    const mod = (await import(path)) as Record<string, new (...args: never[]) => Error>;
    // Built without its constructor: the mapping may only depend on the class, not on arguments.
    const err = Object.assign(Object.create(mod[name]!.prototype) as Error, { message: `a ${name}` });
    const p = toProblem(err);
    expect(p.status, `${name} (${relative(ROOT, path)})`).not.toBe(500);
    expect(p.status).toBeGreaterThanOrEqual(400);
    expect(p.type).toMatch(/^https:\/\/shelter-line\.jp\/problems\//);
    expect(p.detail).toEqual(expect.any(String));
  });
});
