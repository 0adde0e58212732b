import type { Actor, ApiToken, AreaScope, Role } from '../model/index.js';
import { newId, newSecret } from '../platform/ids.js';
import { hashToken } from '../platform/secrets.js';
import type { Store } from '../store/store.js';
import { appendAudit } from '../audit/audit-log.js';
import { invalid, notFound } from '../errors.js';
import { describeAreaScope, resolveAreaScope, type AreaScopeInput } from './area-scope.js';
import { bumped } from '../store/versioned.js';

/** An authenticated caller: who they are and what they may touch. */
export interface Principal extends Actor {
  role: Role;
  tokenId: string;
  /** The area a coordinator or viewer is limited to (area-scope.ts); null: everywhere. */
  scope: AreaScope | null;
}

/** Roles a token may be limited to an area for: the board's people. Admins see all; carriers and authorities are scoped otherwise. */
const AREA_ROLES: ReadonlySet<Role> = new Set(['coordinator', 'viewer']);

export const BOOTSTRAP_ADMIN_TOKEN_ID = 'tok_bootstrap_admin';
/** The start-up admin's name wherever people read who acted (board, audit, posters' print records); how it was set is in the audit. */
export const BOOTSTRAP_ADMIN_LABEL = '管理者（初期トークン）';

export function principalOf(token: ApiToken): Principal {
  return {
    id: token.id,
    tokenId: token.id,
    role: token.role,
    label: token.label,
    scope: token.scope ?? null,
    ...(token.carrierId ? { carrierId: token.carrierId } : {}),
  };
}

/** Finds the live token a bearer string stands for, or null. */
export async function authenticate(store: Store, bearer: string): Promise<Principal | null> {
  if (bearer.length < 16 || bearer.length > 256) return null;
  const { items } = await store.query('tokens', { where: { hash: hashToken(bearer) }, limit: 1 });
  const token = items[0];
  if (!token || token.revokedAt) return null;
  return principalOf(token);
}

export interface MintInput {
  label: string;
  role: Role;
  carrierId?: string | null;
  /** Places by code or name; resolved against the municipality table. */
  scope?: AreaScopeInput;
}

/** The scope a new token gets: only for the board's people, and only places the table knows. */
function scopeOf(input: MintInput): AreaScope | null {
  if (input.scope === undefined) return null;
  if (!AREA_ROLES.has(input.role)) throw invalid(`only a coordinator or viewer token is limited to an area; a ${input.role} token is not`, { fields: ['scope'] });
  const resolved = resolveAreaScope(input.scope);
  if (!resolved.ok) throw invalid(resolved.errors.map((e) => e.message).join('; '), { fields: resolved.errors.map((e) => e.path.replace(/^body\./, '')) });
  return resolved.scope;
}

/** Mints a 256-bit token; only its hash is stored, the token itself is returned once. */
export async function mintToken(store: Store, input: MintInput, ctx: { actor: Actor; at: Date; id?: string; secret?: string }) {
  if (input.role === 'carrier' && !input.carrierId) throw invalid('a carrier token needs carrierId', { fields: ['carrierId'] });
  if (input.role !== 'carrier' && input.carrierId) throw invalid('only a carrier token is bound to a carrier', { fields: ['carrierId'] });
  const scope = scopeOf(input);
  const secret = ctx.secret ?? newSecret(32);
  const doc: ApiToken = {
    id: ctx.id ?? newId('tok', ctx.at),
    version: 0,
    label: input.label,
    role: input.role,
    carrierId: input.carrierId ?? null,
    scope,
    hash: hashToken(secret),
    createdAt: ctx.at.toISOString(),
    revokedAt: null,
  };
  await store.transaction(async (tx) => {
    if (doc.carrierId && !(await tx.get('carriers', doc.carrierId))) throw notFound('carrier', doc.carrierId);
    tx.put('tokens', doc);
    appendAudit(tx, { at: ctx.at, actor: ctx.actor, action: 'token.mint', entity: { collection: 'tokens', id: doc.id }, after: { label: doc.label, role: doc.role, carrierId: doc.carrierId, scope: doc.scope } });
  });
  return { token: secret, record: publicToken(doc) };
}

export async function revokeToken(store: Store, id: string, ctx: { actor: Actor; at: Date }) {
  return store.transaction(async (tx) => {
    const doc = await tx.get('tokens', id);
    if (!doc) throw notFound('token', id);
    if (doc.revokedAt) return publicToken(doc);
    const next = bumped(doc, { revokedAt: ctx.at.toISOString() });
    tx.put('tokens', next);
    appendAudit(tx, {
      at: ctx.at, actor: ctx.actor, action: 'token.revoke', entity: { collection: 'tokens', id },
      before: { label: doc.label, role: doc.role, carrierId: doc.carrierId, scope: doc.scope, revokedAt: null }, after: { revokedAt: next.revokedAt },
    });
    return publicToken(next);
  });
}

/** A token as the API shows it: never the hash; its area with the places' names. */
export function publicToken(t: ApiToken) {
  return { id: t.id, label: t.label, role: t.role, carrierId: t.carrierId, scope: describeAreaScope(t.scope ?? null), createdAt: t.createdAt, revokedAt: t.revokedAt };
}

/**
 * Makes sure an admin token exists at start: the one ORCH_ADMIN_TOKEN names, or else a new one
 * (returned so it can be printed once). Returns null when nothing new was made.
 */
export async function bootstrapAdmin(store: Store, configured: string | undefined, at: Date): Promise<string | null> {
  const existing = await store.get('tokens', BOOTSTRAP_ADMIN_TOKEN_ID);
  const live = existing && !existing.revokedAt;
  if (live && (!configured || existing.hash === hashToken(configured))) {
    // A data dir from before the name was worded for the board ("admin (ORCH_ADMIN_TOKEN)") is renamed once.
    if (existing.label !== BOOTSTRAP_ADMIN_LABEL) await store.put('tokens', bumped(existing, { label: BOOTSTRAP_ADMIN_LABEL }));
    return null;
  }
  const secret = configured ?? newSecret(32);
  const source = configured ? 'ORCH_ADMIN_TOKEN' : 'generated';
  await store.transaction(async (tx) => {
    tx.put('tokens', {
      id: BOOTSTRAP_ADMIN_TOKEN_ID, version: (existing?.version ?? -1) + 1, label: BOOTSTRAP_ADMIN_LABEL, role: 'admin',
      carrierId: null, scope: null, hash: hashToken(secret), createdAt: at.toISOString(), revokedAt: null,
    });
    appendAudit(tx, { at, actor: { id: 'system', role: 'system', label: 'bootstrap' }, action: 'token.bootstrap', entity: { collection: 'tokens', id: BOOTSTRAP_ADMIN_TOKEN_ID }, reason: source });
  });
  // A configured token is known to the operator already; only a generated one is shown (once).
  return configured ? null : secret;
}

/** A token's use is recorded at most this often per process: last-used is for people, not an access log. */
const USE_RESOLUTION_MS = 60_000;

const recorders = new WeakMap<Store, Map<string, number>>();

/** Records that a token was used (at most once a minute per token and process); a failed write only loses a timestamp. */
export async function noteTokenUse(store: Store, tokenId: string, at: Date): Promise<void> {
  let written = recorders.get(store);
  if (!written) recorders.set(store, (written = new Map()));
  const last = written.get(tokenId);
  if (last !== undefined && at.getTime() - last < USE_RESOLUTION_MS && at.getTime() >= last) return;
  written.set(tokenId, at.getTime());
  try {
    await store.put('tokenUses', { id: tokenId, version: 0, lastUsedAt: at.toISOString() });
  } catch {
    written.delete(tokenId);
  }
}

/** The admin's list of tokens: label, role, created, last used, revoked; never a hash or a token. */
export async function listTokens(store: Store, q: { limit?: number; cursor?: string | null; role?: Role }) {
  const page = await store.query('tokens', { where: q.role ? { role: q.role } : {}, orderBy: { field: 'createdAt', direction: 'desc' }, limit: q.limit, cursor: q.cursor ?? null });
  const uses = await store.getMany('tokenUses', page.items.map((t) => t.id));
  return { items: page.items.map((t, i) => ({ ...publicToken(t), lastUsedAt: uses[i]?.lastUsedAt ?? null })), nextCursor: page.nextCursor };
}
