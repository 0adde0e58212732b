import { randomBytes } from 'node:crypto';

let lastMs = 0;
let seq = 0;

/**
 * A time-ordered id: `prefix_` + 13-char base36 time + 4-char sequence + 8 hex of randomness.
 * Sorting ids sorts by creation time, which audit paging relies on.
 */
export function newId(prefix: string, at: Date = new Date()): string {
  const ms = at.getTime();
  if (ms === lastMs) seq++;
  else {
    lastMs = ms;
    seq = 0;
  }
  const time = ms.toString(36).padStart(10, '0');
  const counter = seq.toString(36).padStart(4, '0');
  return `${prefix}_${time}${counter}${randomBytes(4).toString('hex')}`;
}

/** A 256-bit secret, URL-safe. */
export function newSecret(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}
