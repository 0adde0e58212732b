import { api, ApiError } from '../../../lib/http.js';
import type { Role } from '../../../lib/board-types.js';

export interface Me {
  role: Role;
  label: string;
  carrierId: string | null;
}

/** Exchanges a token for the httpOnly session cookie; the token is not kept anywhere in the browser. */
export const signIn = (token: string) => api<Me>('POST', '/api/v1/session', { token });
export const signOut = () => api<void>('DELETE', '/api/v1/session');

/** Who the session is, or null when signed out. */
export async function whoAmI(): Promise<Me | null> {
  try {
    return await api<Me>('GET', '/api/v1/session');
  } catch (err) {
    if (err instanceof ApiError && (err.status === 401 || err.status === 403)) return null;
    throw err;
  }
}

export const canAct = (role: Role | null | undefined) => role === 'admin' || role === 'coordinator';
export const canSuspend = (role: Role | null | undefined) => role === 'admin' || role === 'authority';
