import { z } from 'zod';
import { Id, Instant } from './common.js';

export const HandsetVendor = z.enum(['yealink', 'grandstream', 'polycom', 'softphone']);
export type HandsetVendor = z.infer<typeof HandsetVendor>;

/** SIP credentials of a handset on one carrier. The password is encrypted at rest. */
export const SipCredential = z.object({
  carrierId: Id,
  role: z.enum(['primary', 'backup']),
  username: z.string().min(1).max(64),
  passwordEncrypted: z.string(),
  /** SIP domain (registrar) the handset registers to. */
  domain: z.string().max(253),
  carrierRef: z.string().optional(),
  state: z.enum(['pending', 'active', 'deleting', 'deleted']).default('pending'),
});
export type SipCredential = z.infer<typeof SipCredential>;

export const Handset = z.object({
  id: Id,
  version: z.number().int().nonnegative().default(0),
  shelterId: Id,
  /** 12 lower-case hex digits, no separators. */
  mac: z.string().regex(/^[0-9a-f]{12}$/).meta({ examples: ['001565aabbcc'] }),
  vendor: HandsetVendor,
  label: z.string().max(100).optional(),
  /** SHA-256 of the device token in the provisioning URL; the token itself is never stored. */
  deviceTokenHash: z.string().regex(/^[0-9a-f]{64}$/),
  status: z.enum(['active', 'revoked']).default('active'),
  /** The SIP user name the handset uses on every carrier; top-level so a call from it is one indexed lookup. */
  sipUsername: z.string().min(1).max(64).nullable().default(null),
  credentials: z.array(SipCredential).default([]),
  lastSeenAt: Instant.nullable().default(null),
  /** Version of what its files say now (registrar order, published number); changes with carrier health. */
  configVersion: z.string().max(64).nullable().default(null),
  /** The version the handset got at its last fetch (`lastSeenAt`); differs from `configVersion` until it resyncs. */
  fetchedConfigVersion: z.string().max(64).nullable().default(null),
  lastSeenFrom: z.string().max(64).nullable().default(null),
  /** A softphone's account file (its SIP password) is served once; a lost phone is re-registered. */
  accountFileServedAt: Instant.nullable().optional(),
  createdAt: Instant,
  updatedAt: Instant,
});
export type Handset = z.infer<typeof Handset>;
