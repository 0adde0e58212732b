import { CarrierError } from '../carrier.js';
import { retryAfterMs } from '../request-gate.js';

/** Socket-level failures: the request may not have reached Twilio, so trying again can help. */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ECONNABORTED', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ERR_NETWORK']);

export const TWILIO_NOT_FOUND = 20404;
/** Our code for an error answer that is not Twilio's own body: a proxy, a gateway, a mock, a broken edge. */
export const NOT_TWILIO = 'not-twilio';

/** Twilio's error body, as its error-code pages document it: `{code, message, more_info, status}`. */
export interface TwilioErrorBody {
  code: number;
  message: string;
  more_info: string;
  status: number;
}

export function isTwilioErrorBody(body: unknown): body is TwilioErrorBody {
  const b = body as Partial<TwilioErrorBody> | null;
  return !!b && typeof b === 'object' && typeof b.code === 'number' && typeof b.message === 'string' && typeof b.more_info === 'string' && typeof b.status === 'number';
}

/**
 * An HTTP answer of status ≥ 400 as a CarrierError. Only Twilio's own error body is Twilio's answer
 * (its code decides); anything else — a gateway's HTML page, a JSON body of another shape — says
 * nothing about the resource, so it is a transport failure: retryable, and never "not found".
 */
export function errorAnswer(status: number, body: unknown, headers: Record<string, unknown>): CarrierError {
  const wait = retryAfterMs(headers['retry-after']);
  if (isTwilioErrorBody(body)) {
    const retryable = status === 429 || status >= 500;
    return new CarrierError(`Twilio answered ${status} (${body.code}): ${body.message}`, retryable, status, body.code, wait === undefined ? {} : { retryAfterMs: wait });
  }
  const type = String(headers['content-type'] ?? 'no content type').split(';')[0];
  const text = (typeof body === 'string' ? body : JSON.stringify(body) ?? '').replace(/\s+/g, ' ').trim().slice(0, 300);
  return new CarrierError(`HTTP ${status} that is not Twilio's error body (${type}): ${text || '(empty)'}`, true, status, NOT_TWILIO, wait === undefined ? {} : { retryAfterMs: wait });
}

/** Maps an SDK failure to a CarrierError naming what was being done; 429, 5xx, timeouts and network errors are retryable. */
export function toCarrierError(e: unknown, what: string): CarrierError {
  if (e instanceof CarrierError) return new CarrierError(`${what}: ${e.message}`, e.retryable, e.status, e.code, e.retryAfterMs === undefined ? {} : { retryAfterMs: e.retryAfterMs });
  const code = (e as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && NETWORK_CODES.has(code)) {
    return new CarrierError(`${what}: Twilio not reachable (${code}): ${(e as Error).message}`, true, undefined, code);
  }
  return new CarrierError(`${what}: ${(e as Error)?.message ?? String(e)}`, false);
}

/** Twilio itself said the resource does not exist (20404): a delete of it is done. A bare 404 from elsewhere is not. */
export function isNotFound(e: unknown): boolean {
  return e instanceof CarrierError && e.code === TWILIO_NOT_FOUND;
}
