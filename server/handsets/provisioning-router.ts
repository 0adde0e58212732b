import express from 'express';
import { rateLimit } from 'express-rate-limit';
import type { AppDeps } from '../app-deps.js';
import { handsetFile } from '../../provisioning/handsets/handset-files.js';
import { sendProblem, problem } from '../http/problem.js';

/** `GET /p/:token/:file` for handsets: rate-limited per address, every refusal logged (never the token). */
export function createProvisioningRouter(deps: AppDeps): express.Router {
  const router = express.Router();
  const limiter = rateLimit({
    windowMs: 60_000,
    limit: 60,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    handler: (req, res) => {
      deps.logger.warn({ from: req.ip, path: '/p/…' }, 'handset provisioning rate limit hit');
      sendProblem(res, problem(429, 'rate-limited', 'Too many requests', 'too many provisioning requests from this address; try again in a minute').problem);
    },
  });
  router.get('/p/:token/:file', limiter, async (req, res) => {
    const { token, file } = req.params as { token: string; file: string };
    const result = await handsetFile({ store: deps.store, secrets: deps.secrets, clock: deps.clock, publicUrl: deps.config.publicUrl }, token, file, req.get('user-agent'), req.ip ?? null);
    if (!result.ok) {
      deps.logger.warn({ from: req.ip, file, status: result.status, reason: result.reason, userAgent: req.get('user-agent') }, 'handset provisioning refused');
      return sendProblem(res, problem(result.status, result.status === 404 ? 'not-found' : 'forbidden', result.status === 404 ? 'Not found' : 'Forbidden', result.reason).problem);
    }
    res.setHeader('Cache-Control', 'no-store');
    res.type(result.contentType).send(result.body);
  });
  return router;
}
