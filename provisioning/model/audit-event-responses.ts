import { z } from 'zod';
import { AuditEvent } from './audit-event.js';

/** Answers of the audit log. Closed, like every answer (api-responses.ts). */

/** An audit event as the log shows it: with the name of what it is about, where one exists (a shelter's, a carrier's, a token's label). */
export const AuditEntry = AuditEvent.extend({
  entityName: z.string().nullable(),
  /** The name of the shelter the event concerns (`shelterId`), when it is not the entity itself. */
  shelterName: z.string().nullable(),
});
export type AuditEntry = z.infer<typeof AuditEntry>;
