/** What a carrier's platform answered, as far as its limits are concerned. */
export interface GatedResponse {
  statusCode: number;
  headers?: unknown;
}

/**
 * Wraps one HTTP request to a member's platform: waits for a slot of the member's limit (shared by
 * every instance), sends, and when the platform answers 429 learns from it and sends again once it
 * may (a 429 was never processed, so any request is safe to repeat). Returns the last answer.
 */
export type RequestGate = <R extends GatedResponse>(send: () => Promise<R>) => Promise<R>;

/** `Retry-After` in seconds or as an HTTP date, in ms from `now`; undefined when absent or unreadable. */
export function retryAfterMs(header: unknown, now: number = Date.now()): number | undefined {
  const text = Array.isArray(header) ? header[0] : header;
  if (typeof text !== 'string' || text.trim() === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(text.trim())) return Math.round(Number(text) * 1000);
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
