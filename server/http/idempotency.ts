import { createHash } from 'node:crypto';
import type { Request } from 'express';
import type { Principal } from '../../provisioning/access/tokens.js';
import { claimIdempotencyKey, completeIdempotencyKey, releaseIdempotencyKey } from '../../provisioning/access/idempotency-records.js';
import type { AppDeps } from '../app-deps.js';
import { problem } from './problem.js';
import type { Reply } from './reply.js';

function sha256(...parts: (string | Buffer)[]): string {
  const h = createHash('sha256');
  for (const p of parts) h.update(p).update('\0');
  return h.digest('hex');
}

/**
 * `Idempotency-Key` on a mutating call: the same key and body give back the first answer with
 * no second effect; the same key with another body is refused (422); a duplicate that arrives
 * while the first still runs gets 409 and retries. Keys are per caller; answers are kept sealed
 * for 24 h (they may carry a freshly minted token or a session cookie).
 */
export async function withIdempotency(deps: AppDeps, req: Request, principal: Principal | null, run: () => Promise<Reply>): Promise<Reply> {
  const key = req.get('idempotency-key');
  if (key === undefined) return run();
  if (key.length < 1 || key.length > 200) throw problem(400, 'validation', 'Invalid request', 'Idempotency-Key must be 1–200 characters');
  const id = 'idem_' + sha256(principal?.tokenId ?? 'anonymous', key);
  const requestHash = sha256(req.method, req.originalUrl, Buffer.isBuffer(req.body) ? req.body : '');
  const claim = await claimIdempotencyKey(deps.store, id, requestHash, deps.clock.now());
  switch (claim.kind) {
    case 'mismatch':
      throw problem(422, 'idempotency-key-reused', 'Idempotency key reused', 'this Idempotency-Key was already used with a different request');
    case 'in-progress':
      throw problem(409, 'idempotency-key-in-progress', 'Request in progress', 'a request with this Idempotency-Key is still running; retry shortly', { retryAfterSeconds: 1 });
    case 'replay': {
      const reply = JSON.parse(deps.secrets.open(claim.record.replySealed!)) as Reply;
      return { ...reply, headers: { ...(reply.headers ?? {}), 'Idempotent-Replayed': 'true' } };
    }
    case 'claimed':
      break;
  }
  let reply: Reply;
  try {
    reply = await run();
  } catch (err) {
    await releaseIdempotencyKey(deps.store, id);
    throw err;
  }
  if (reply.status < 500 && !Buffer.isBuffer(reply.body)) {
    const kept = { status: reply.status, body: reply.body, contentType: reply.contentType, headers: reply.headers };
    await completeIdempotencyKey(deps.store, claim.record, reply.status, deps.secrets.seal(JSON.stringify(kept)), deps.clock.now());
  } else await releaseIdempotencyKey(deps.store, id);
  return reply;
}
