import { parseCookie, stringifySetCookie } from 'cookie';
import type { FailedAttempts } from './failed-attempts.js';
import type { AppDeps } from '../app-deps.js';
import { authenticate, noteTokenUse, principalOf, type Principal } from '../../provisioning/access/tokens.js';
import { describeAreaScope } from '../../provisioning/access/area-scope.js';
import { hashToken } from '../../provisioning/platform/secrets.js';
import { newSecret } from '../../provisioning/platform/ids.js';
import { defineRoute, anyone, roles, VIEWER_PLUS } from './route.js';
import { SessionInfo, SessionInput } from '../../provisioning/model/index.js';
import { problem } from './problem.js';

// Firebase Hosting forwards only the cookie named `__session` to Cloud Run: any other name signs the board out.
export const SESSION_COOKIE = '__session';
const SESSION_HOURS = 12;

/** The board signs in with a token once; the browser then holds only an httpOnly, SameSite=Strict cookie. */
export async function principalFromSessionCookie(deps: AppDeps, cookieHeader: string): Promise<Principal | null> {
  const id = sessionIdOf(cookieHeader);
  if (!id) return null;
  const session = await deps.store.get('sessions', id);
  if (!session || session.expiresAt <= deps.clock.now().toISOString()) return null;
  const token = await deps.store.get('tokens', session.tokenId);
  if (!token || token.revokedAt) return null;
  return principalOf(token);
}

/** The stored session a Cookie header names (its id is the hash of the cookie's secret), or null. */
export function sessionIdOf(cookieHeader: string): string | null {
  const value = parseCookie(cookieHeader)[SESSION_COOKIE];
  return value && value.length <= 100 ? 'ses_' + hashToken(value) : null;
}

function cookie(deps: AppDeps, value: string, maxAgeSeconds: number): string {
  return stringifySetCookie({
    name: SESSION_COOKIE, value, httpOnly: true, sameSite: 'strict', path: '/', maxAge: maxAgeSeconds,
    secure: deps.config.publicUrl.startsWith('https://'),
  });
}

/** Who a session is, with the area it is limited to (the board shows it in its header); the token's id too, so the board can name the start-up admin in the reader's language. */
const sessionInfo = (p: Principal): SessionInfo => ({ id: p.id, role: p.role, label: p.label ?? p.id, carrierId: p.carrierId ?? null, scope: describeAreaScope(p.scope) });

export const sessionRoutes = [
  defineRoute({
    method: 'post', path: '/api/v1/session', access: anyone, summary: 'Sign in to the board: exchange a token for a session cookie', tags: ['access'],
    body: SessionInput,
    responses: { 200: { description: 'signed in; Set-Cookie carries the session', schema: SessionInfo }, 401: { description: 'unknown or revoked token' } },
    handler: async ({ body, deps, now, req }) => {
      const principal = await authenticate(deps.store, body.token);
      if (!principal) {
        const failures = req.app.locals.authFailures as FailedAttempts | undefined;
        const address = `ip:${req.ip ?? 'unknown'}`;
        const wait = failures?.blockedFor(address) ?? 0;
        failures?.fail(address);
        if (wait) throw problem(429, 'rate-limited', 'Too many requests', 'too many wrong tokens from this address; try again later', { retryAfterSeconds: wait });
        throw problem(401, 'unauthenticated', 'Unauthenticated', 'that token is unknown or revoked');
      }
      void noteTokenUse(deps.store, principal.tokenId, now);
      const secret = newSecret(32);
      await deps.store.put('sessions', {
        id: 'ses_' + hashToken(secret), version: 0, tokenId: principal.tokenId,
        expiresAt: new Date(now.getTime() + SESSION_HOURS * 3600_000).toISOString(), createdAt: now.toISOString(),
      });
      return { status: 200, headers: { 'Set-Cookie': cookie(deps, secret, SESSION_HOURS * 3600) }, body: sessionInfo(principal) };
    },
  }),
  defineRoute({
    method: 'get', path: '/api/v1/session', access: roles(...VIEWER_PLUS, 'carrier', 'authority'), area: 'unbound', summary: 'Who the current session or token is', tags: ['access'],
    responses: { 200: { description: 'the caller', schema: SessionInfo } },
    handler: async ({ principal }) => ({ status: 200, body: sessionInfo(principal!) }),
  }),
  defineRoute({
    method: 'delete', path: '/api/v1/session', access: anyone, summary: 'Sign out of the board', tags: ['access'],
    responses: { 204: { description: 'signed out' } },
    handler: async ({ req, deps }) => {
      const id = req.headers.cookie ? sessionIdOf(req.headers.cookie) : null;
      // Sockets opened with this session see it gone at their next check and close (server/ws/principal-check.ts).
      if (id) await deps.store.delete('sessions', id);
      return { status: 204, headers: { 'Set-Cookie': cookie(deps, '', 0) } };
    },
  }),
];
