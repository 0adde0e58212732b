import { z } from 'zod';
import type { AppDeps } from '../app-deps.js';
import { handsetFile } from '../../provisioning/handsets/handset-files.js';
import { problem } from '../http/problem.js';
import { FailedAttempts } from '../http/failed-attempts.js';
import { surfaceRoute, type Surface } from '../http/surface.js';

/** Failed fetches allowed per address and per token prefix in a minute, before further failures answer 429. */
export const FAILED_PER_ADDRESS = 30;
export const FAILED_PER_TOKEN_PREFIX = 10;

const handsetFileContext = (deps: AppDeps) => ({
  deps,
  byAddress: new FailedAttempts(deps.clock, FAILED_PER_ADDRESS, 60_000),
  byPrefix: new FailedAttempts(deps.clock, FAILED_PER_TOKEN_PREFIX, 60_000),
});
const route = surfaceRoute<ReturnType<typeof handsetFileContext>>();

/**
 * `GET /p/:token/:file` for handsets: only failed attempts are limited (per address and per token
 * prefix), so guesses from behind a shelter's NAT never lock out its registered phones. Every
 * refusal is logged, never the token; any wrong token is a counted 404, however long.
 */
export const handsetFileRoutes = [
  route({
    method: 'get', path: '/p/:token/:file', access: { kind: 'external', mechanism: 'device-token' }, tags: ['handsets'],
    headers: [{ name: 'User-Agent', required: false, description: 'a desk phone names its MAC here; a User-Agent naming another MAC is refused' }],
    summary: 'A handset\'s provisioning file in its vendor\'s format (Yealink {mac}.cfg, Grandstream cfg{mac}.xml, Polycom {mac}.cfg, softphone JSON); rate-limited per address (60 a minute)',
    params: z.object({ token: z.string().min(1).max(200).meta({ examples: ['0123456789abcdefghijklmnopqrAa7'] }), file: z.string().min(1).max(100).meta({ examples: ['001565aabbcc.cfg'] }) }),
    responses: {
      200: {
        description: 'the file in the vendor\'s format; a softphone also gets its QR code (qr.png, qr.svg)', schema: z.string(), contentType: 'text/plain',
        also: [{ contentType: 'application/xml', schema: z.string() }, { contentType: 'image/png', schema: z.string() }, { contentType: 'image/svg+xml', schema: z.string() }],
      },
      403: { description: 'the User-Agent names another MAC, or the handset is revoked' },
      404: { description: 'unknown token or file' },
      429: { description: 'too many provisioning requests from this address' },
    },
    validates: false,
    handler: async ({ req, deps: { deps, byAddress, byPrefix } }) => {
      const { token, file } = req.params as { token: string; file: string };
      const address = `ip:${req.ip ?? 'unknown'}`;
      const prefix = `prefix:${token.slice(0, 6)}`;
      const result = await handsetFile({ store: deps.store, secrets: deps.secrets, clock: deps.clock, publicUrl: deps.config.publicUrl }, token, file, req.get('user-agent'), req.ip ?? null);
      if (!result.ok) {
        const wait = Math.max(byAddress.blockedFor(address), byPrefix.blockedFor(prefix));
        byAddress.fail(address);
        byPrefix.fail(prefix);
        deps.logger.warn({ from: req.ip, file, status: wait ? 429 : result.status, reason: result.reason, userAgent: req.get('user-agent') }, 'handset provisioning refused');
        if (wait) throw problem(429, 'rate-limited', 'Too many requests', 'too many failed provisioning requests; try again later', { retryAfterSeconds: wait });
        throw problem(result.status, result.status === 404 ? 'not-found' : 'forbidden', result.status === 404 ? 'Not found' : 'Forbidden', result.reason);
      }
      return { status: 200, body: result.body, contentType: result.contentType, headers: { 'Cache-Control': 'no-store' } };
    },
  }),
];

export const handsetFiles: Surface<AppDeps, ReturnType<typeof handsetFileContext>> = { routes: handsetFileRoutes, context: handsetFileContext };
