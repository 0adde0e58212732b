import { z } from 'zod';
import { Id } from './common.js';
import { Handset, SipCredential } from './handset.js';

/** Answers of the handset routes. Closed, like every answer (api-responses.ts). */

/** A handset as the API and the board show it: no device-token hash, no SIP passwords. */
export const PublicHandset = Handset.omit({ deviceTokenHash: true, credentials: true }).extend({
  credentials: z.array(SipCredential.omit({ passwordEncrypted: true })),
});
export type PublicHandset = z.infer<typeof PublicHandset>;

export const RegisteredHandset = z.object({
  handset: PublicHandset,
  jobId: Id,
  provisioningUrl: z.url().describe('the first file the phone fetches: /p/{token}/{file}; the token is shown only in this answer'),
  provisioningBase: z.url(),
  files: z.array(z.url()),
});

export type RegisteredHandset = z.infer<typeof RegisteredHandset>;
