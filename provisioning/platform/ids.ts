import { randomBytes, randomFillSync } from 'node:crypto';

let lastMs = 0;
let seq = 0;

/**
 * Randomness for ids drawn from a pool filled 4 KiB at a time: a mass opening makes tens of
 * thousands of ids, and one randomBytes(4) call each showed as 6 % of the allocation bench's CPU profile.
 */
const pool = Buffer.alloc(4096);
let poolAt = pool.length;
function randomHex4(): string {
  if (poolAt + 4 > pool.length) {
    randomFillSync(pool);
    poolAt = 0;
  }
  const hex = pool.toString('hex', poolAt, poolAt + 4);
  poolAt += 4;
  return hex;
}

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
  return `${prefix}_${time}${counter}${randomHex4()}`;
}

/** A 256-bit secret, URL-safe. */
export function newSecret(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}
