import type { SecretBox } from '../../platform/secrets.js';

/** Work-order params as stored: a SIP password only ever sealed, under `passwordSealed`. */
export function sealOrderParams(params: Record<string, unknown>, secrets: SecretBox): Record<string, unknown> {
  const { password, ...rest } = params;
  return typeof password === 'string' ? { ...rest, passwordSealed: secrets.seal(password) } : rest;
}

/** Once an order is done, failed or expired nobody needs its password again: it is erased. */
export function eraseOrderSecrets(params: Record<string, unknown>): Record<string, unknown> {
  const { passwordSealed: _sealed, password: _plain, ...rest } = params;
  return rest;
}

/** The params the owning member receives: the password unsealed for it, for this response only. */
export function unsealOrderParams(params: Record<string, unknown>, secrets: SecretBox | null): Record<string, unknown> {
  const { passwordSealed, ...rest } = params;
  return typeof passwordSealed === 'string' && secrets ? { ...rest, password: secrets.open(passwordSealed) } : rest;
}
