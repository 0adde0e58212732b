import type { Handset, PublicHandset } from '../model/index.js';

/** A handset as the API and the board show it: no device-token hash, no SIP passwords. */
export function publicHandset(h: Handset): PublicHandset {
  const { deviceTokenHash: _hash, credentials, ...rest } = h;
  return { ...rest, credentials: credentials.map(({ passwordEncrypted: _pw, ...c }) => c) };
}
