import type { IncomingMessage } from 'node:http';
import type { AppDeps } from '../app-deps.js';
import { authenticate, noteTokenUse, type Principal } from '../../provisioning/access/tokens.js';
import { principalFromSessionCookie } from '../http/session.js';

/** Who opens the socket: a bearer token (scripts, the benchmark) or the board's session cookie. */
export function boardAuthenticator(deps: AppDeps): (req: IncomingMessage) => Promise<Principal | null> {
  return async (req) => {
    const m = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
    const principal = m ? await authenticate(deps.store, m[1]!) : req.headers.cookie ? await principalFromSessionCookie(deps, req.headers.cookie) : null;
    // A board that only watches still counts as using its token.
    if (principal) void noteTokenUse(deps.store, principal.tokenId, deps.clock.now());
    return principal;
  };
}
