import { z } from 'zod';
import { Id, Instant } from './common.js';
import { Role } from './audit-event.js';
import { ApiToken, AreaScopeView } from './access.js';

/** Answers of the token and session routes. Closed, like every answer (api-responses.ts). */

/** A token as the API shows it: never its hash. */
export const PublicToken = ApiToken.omit({ hash: true, version: true, scope: true }).extend({ scope: AreaScopeView.nullable() });
export type PublicToken = z.infer<typeof PublicToken>;
/** A token in the admin's list: never its hash or the token; when it was last used (null: never, or before this was recorded). */
export const ListedToken = PublicToken.extend({ lastUsedAt: Instant.nullable() });
export type ListedToken = z.infer<typeof ListedToken>;
export const MintedToken = PublicToken.extend({ token: z.string().describe('the bearer token; shown only in this answer') });
export type MintedToken = z.infer<typeof MintedToken>;

export const SessionInfo = z.object({ id: z.string().describe('the token the session stands for'), role: Role, label: z.string(), carrierId: Id.nullable(), scope: AreaScopeView.nullable() });

export type SessionInfo = z.infer<typeof SessionInfo>;
