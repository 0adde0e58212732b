import { randomBytes } from 'node:crypto';

/** A Twilio SID: two-letter type prefix + 32 lowercase hex digits (34 characters). */
export function newSid(prefix: string): string {
  return prefix + randomBytes(16).toString('hex');
}

export function newAuthToken(): string {
  return randomBytes(16).toString('hex');
}

export const ACCOUNT_SID = /^AC[0-9a-fA-F]{32}$/;
