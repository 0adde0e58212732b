import type { IncomingMessage } from 'node:http';
import type { AppDeps } from '../app-deps.js';
import { authenticate, noteTokenUse } from '../../provisioning/access/tokens.js';
import { principalFromSessionCookie, sessionIdOf } from '../http/session.js';
import type { BoardPrincipal } from './principal-check.js';

/** Who opens the socket: a bearer token (scripts, the benchmark) or the board's session cookie, which the hub re-checks while it is open. */
export function boardAuthenticator(deps: AppDeps): (req: IncomingMessage) => Promise<BoardPrincipal | null> {
  return async (req) => {
    const m = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
    const cookie = req.headers.cookie;
    const principal = m ? await authenticate(deps.store, m[1]!) : cookie ? await principalFromSessionCookie(deps, cookie) : null;
    if (!principal) return null;
    // A board that only watches still counts as using its token.
    void noteTokenUse(deps.store, principal.tokenId, deps.clock.now());
    return { ...principal, sessionId: !m && cookie ? sessionIdOf(cookie) : null };
  };
}
