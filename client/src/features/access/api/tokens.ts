import { api } from '../../../lib/http.js';
import type { ListedToken, MintedToken, Page, PublicToken, Role } from '../../../../../provisioning/model/index.js';

export const fetchTokens = (cursor: string | null) =>
  api<Page<ListedToken>>('GET', `/api/v1/tokens?limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);

/** Places as an admin types them (codes or names); the server resolves them and answers with their names. */
export interface AreaScopeInput {
  prefectures: string[];
  municipalities: string[];
}

export const createToken = (label: string, role: Role, scope: AreaScopeInput | null) =>
  api<MintedToken>('POST', '/api/v1/tokens', { label, role, ...(scope ? { scope } : {}) });

export const revokeToken = (id: string) => api<PublicToken>('DELETE', `/api/v1/tokens/${encodeURIComponent(id)}`);
