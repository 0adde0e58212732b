import type { IncomingMessage } from 'node:http';
import type { AppDeps } from '../app-deps.js';
import { authenticate, type Principal } from '../../provisioning/access/tokens.js';
import { principalFromSessionCookie } from '../http/session.js';

/** Who opens the socket: a bearer token (scripts, the benchmark) or the board's session cookie. */
export function boardAuthenticator(deps: AppDeps): (req: IncomingMessage) => Promise<Principal | null> {
  return async (req) => {
    const m = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
    if (m) return authenticate(deps.store, m[1]!);
    if (req.headers.cookie) return principalFromSessionCookie(deps, req.headers.cookie);
    return null;
  };
}
