import type { Principal } from '../../provisioning/access/tokens.js';
import type { Problem } from '../../provisioning/model/index.js';
import type { Store } from '../../provisioning/store/store.js';
import { problem } from '../http/problem.js';

/** Who holds a board socket: its token, and the session when the board's cookie opened it. */
export interface BoardPrincipal extends Principal {
  /** The stored session the cookie named; null for a bearer token. */
  sessionId: string | null;
}

/**
 * How often each instance re-reads the credentials of its open sockets. A revocation or sign-out
 * written by any instance is seen within this plus one read, well inside the second the board
 * promises. A timer rather than a check on every send: an idle board gets no sends, a bulk opening
 * sends thousands a second, and the store, not an in-process event, is what every instance shares.
 */
export const PRINCIPAL_CHECK_MS = 500;

const dead = (slug: 'token-revoked' | 'session-ended' | 'session-expired', detail: string): Problem =>
  problem(401, slug, 'Signed out', detail).problem;

/**
 * The sockets' credentials that no longer hold, each with the Problem the board shows: one batched
 * read of the distinct tokens and one of the distinct sessions, however many sockets share them
 * (with 30 boards on an instance: at most 60 document reads per check).
 */
export async function deadCredentials(store: Pick<Store, 'getMany'>, principals: readonly BoardPrincipal[], now: Date): Promise<Map<BoardPrincipal, Problem>> {
  const tokenIds = [...new Set(principals.map((p) => p.tokenId))];
  const sessionIds = [...new Set(principals.flatMap((p) => (p.sessionId ? [p.sessionId] : [])))];
  const [tokens, sessions] = await Promise.all([store.getMany('tokens', tokenIds), sessionIds.length ? store.getMany('sessions', sessionIds) : Promise.resolve([])]);
  const tokenById = new Map(tokenIds.map((id, i) => [id, tokens[i] ?? null]));
  const sessionById = new Map(sessionIds.map((id, i) => [id, sessions[i] ?? null]));
  const out = new Map<BoardPrincipal, Problem>();
  for (const p of principals) {
    const token = tokenById.get(p.tokenId);
    if (!token || token.revokedAt) {
      out.set(p, dead('token-revoked', 'the token this board signed in with was revoked; sign in again with a valid token'));
      continue;
    }
    if (!p.sessionId) continue;
    const session = sessionById.get(p.sessionId);
    if (!session) out.set(p, dead('session-ended', 'this board’s session was signed out; sign in again'));
    else if (session.expiresAt <= now.toISOString()) out.set(p, dead('session-expired', 'this board’s session expired; sign in again'));
  }
  return out;
}

/**
 * Re-checks the open sockets' credentials on a timer and hands each socket whose token or session
 * died to `onDead`. One check at a time: a slow store read is not stacked on by the next tick.
 */
export function watchPrincipals<S extends { principal: BoardPrincipal }>(opts: {
  store: Pick<Store, 'getMany'>;
  now: () => Date;
  open: () => Iterable<S>;
  onDead: (socket: S, why: Problem) => void;
  onError: (err: unknown) => void;
  everyMs?: number;
}): { stop(): void } {
  let running: Promise<void> | null = null;
  const run = async (): Promise<void> => {
    const sockets = [...opts.open()];
    if (sockets.length === 0) return;
    const dead = await deadCredentials(opts.store, sockets.map((s) => s.principal), opts.now());
    for (const s of sockets) {
      const why = dead.get(s.principal);
      if (why) opts.onDead(s, why);
    }
  };
  const timer = setInterval(() => {
    running ??= run().catch(opts.onError).finally(() => (running = null));
  }, opts.everyMs ?? PRINCIPAL_CHECK_MS);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
