import { CarrierError } from '../carrier.js';

/** Socket-level failures: the request may not have reached Twilio, so trying again can help. */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ECONNABORTED', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ERR_NETWORK']);

export const TWILIO_NOT_FOUND = 20404;

interface RestLike {
  status: number;
  code?: number;
  message: string;
}

function isRestException(e: unknown): e is RestLike {
  return e instanceof Error && e.name !== 'AxiosError' && typeof (e as Partial<RestLike>).status === 'number';
}

/** Maps an SDK failure to a CarrierError: 429, 5xx, timeouts and network errors are retryable; other 4xx are not. */
export function toCarrierError(e: unknown, what: string): CarrierError {
  if (e instanceof CarrierError) return e;
  if (isRestException(e)) {
    const retryable = e.status === 429 || e.status >= 500;
    return new CarrierError(`${what}: Twilio answered ${e.status}${e.code ? ` (${e.code})` : ''}: ${e.message}`, retryable, e.status, e.code);
  }
  const code = (e as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && NETWORK_CODES.has(code)) {
    return new CarrierError(`${what}: Twilio not reachable (${code}): ${(e as Error).message}`, true, undefined, code);
  }
  return new CarrierError(`${what}: ${(e as Error)?.message ?? String(e)}`, false);
}

export function isNotFound(e: unknown): boolean {
  return e instanceof CarrierError && (e.code === TWILIO_NOT_FOUND || e.status === 404);
}
