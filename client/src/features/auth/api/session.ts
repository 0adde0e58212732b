import { api, ApiError } from '../../../lib/http.js';
import type { Role, SessionInfo } from '../../../../../provisioning/model/index.js';

export type Me = SessionInfo;

/** Exchanges a token for the httpOnly session cookie; the token is not kept anywhere in the browser. */
export async function signIn(token: string): Promise<Me> {
  const me = await api<Me>('POST', '/api/v1/session', { token });
  localStorage.setItem(SIGNED_IN, '1');
  return me;
}

export async function signOut(): Promise<void> {
  localStorage.removeItem(SIGNED_IN);
  await api<void>('DELETE', '/api/v1/session');
}

// The cookie is httpOnly, so this non-secret hint saves a first visit from a 401 round trip.
const SIGNED_IN = 'sl-signed-in';

/** Who the session is, or null when signed out. */
export async function whoAmI(): Promise<Me | null> {
  if (!localStorage.getItem(SIGNED_IN)) return null;
  try {
    return await api<Me>('GET', '/api/v1/session');
  } catch (err) {
    if (err instanceof ApiError && (err.status === 401 || err.status === 403)) {
      localStorage.removeItem(SIGNED_IN);
      return null;
    }
    throw err;
  }
}

export const canAct = (role: Role | null | undefined) => role === 'admin' || role === 'coordinator';
export const canSuspend = (role: Role | null | undefined) => role === 'admin' || role === 'authority';
