import { createHash } from 'node:crypto';
import type { Request } from 'express';
import type { Principal } from '../../provisioning/access/tokens.js';
import type { AppDeps } from '../app-deps.js';
import { problem } from './problem.js';
import type { Reply } from './route.js';

function sha256(...parts: (string | Buffer)[]): string {
  const h = createHash('sha256');
  for (const p of parts) h.update(p).update('\0');
  return h.digest('hex');
}

/**
 * `Idempotency-Key` on a mutating call: the same key and body give back the first answer with
 * no second effect; the same key with another body is refused (422). Keys are per caller.
 */
export async function withIdempotency(deps: AppDeps, req: Request, principal: Principal | null, run: () => Promise<Reply>): Promise<Reply> {
  const key = req.get('idempotency-key');
  if (key === undefined) return run();
  if (key.length < 1 || key.length > 200) throw problem(400, 'validation', 'Invalid request', 'Idempotency-Key must be 1–200 characters');
  const id = 'idem_' + sha256(principal?.tokenId ?? 'anonymous', key);
  const requestHash = sha256(req.method, req.originalUrl, Buffer.isBuffer(req.body) ? req.body : '');
  const prior = await deps.store.get('idempotency', id);
  if (prior) {
    if (prior.requestHash !== requestHash) {
      throw problem(422, 'idempotency-key-reused', 'Idempotency key reused', 'this Idempotency-Key was already used with a different request');
    }
    const reply = prior.body as Reply;
    return { ...reply, headers: { ...(reply.headers ?? {}), 'Idempotent-Replayed': 'true' } };
  }
  const reply = await run();
  if (reply.status < 500 && !Buffer.isBuffer(reply.body)) {
    await deps.store.put('idempotency', {
      id, version: 0, requestHash, status: reply.status,
      body: { status: reply.status, body: reply.body, contentType: reply.contentType, headers: reply.headers },
      createdAt: deps.clock.now().toISOString(),
    });
  }
  return reply;
}
