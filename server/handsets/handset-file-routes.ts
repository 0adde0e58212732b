import express from 'express';
import type { AppDeps } from '../app-deps.js';
import { handsetFile } from '../../provisioning/handsets/handset-files.js';
import { sendProblem, problem } from '../http/problem.js';
import { FailedAttempts } from '../http/failed-attempts.js';

/** Failed fetches allowed per address and per token prefix in a minute, before further failures answer 429. */
export const FAILED_PER_ADDRESS = 30;
export const FAILED_PER_TOKEN_PREFIX = 10;

/**
 * `GET /p/:token/:file` for handsets: only failed attempts are limited (per address and per token
 * prefix), so guesses from behind a shelter's NAT never lock out its registered phones. Every
 * refusal is logged, never the token.
 */
export function createProvisioningRouter(deps: AppDeps): express.Router {
  const router = express.Router();
  const byAddress = new FailedAttempts(deps.clock, FAILED_PER_ADDRESS, 60_000);
  const byPrefix = new FailedAttempts(deps.clock, FAILED_PER_TOKEN_PREFIX, 60_000);
  router.get('/p/:token/:file', async (req, res) => {
    const { token, file } = req.params as { token: string; file: string };
    const address = `ip:${req.ip ?? 'unknown'}`;
    const prefix = `prefix:${token.slice(0, 6)}`;
    const result = await handsetFile({ store: deps.store, secrets: deps.secrets, clock: deps.clock, publicUrl: deps.config.publicUrl }, token, file, req.get('user-agent'), req.ip ?? null);
    if (!result.ok) {
      const wait = Math.max(byAddress.blockedFor(address), byPrefix.blockedFor(prefix));
      byAddress.fail(address);
      byPrefix.fail(prefix);
      deps.logger.warn({ from: req.ip, file, status: wait ? 429 : result.status, reason: result.reason, userAgent: req.get('user-agent') }, 'handset provisioning refused');
      if (wait) return sendProblem(res, problem(429, 'rate-limited', 'Too many requests', 'too many failed provisioning requests; try again later', { retryAfterSeconds: wait }).problem);
      return sendProblem(res, problem(result.status, result.status === 404 ? 'not-found' : 'forbidden', result.status === 404 ? 'Not found' : 'Forbidden', result.reason).problem);
    }
    res.setHeader('Cache-Control', 'no-store');
    res.type(result.contentType).send(result.body);
  });
  return router;
}
