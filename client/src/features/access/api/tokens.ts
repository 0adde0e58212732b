import { api } from '../../../lib/http.js';
import type { ListedToken, MintedToken, Page, PublicToken, Role } from '../../../../../provisioning/model/index.js';

export const fetchTokens = (cursor: string | null) =>
  api<Page<ListedToken>>('GET', `/api/v1/tokens?limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);

export const createToken = (label: string, role: Role) => api<MintedToken>('POST', '/api/v1/tokens', { label, role });

export const revokeToken = (id: string) => api<PublicToken>('DELETE', `/api/v1/tokens/${encodeURIComponent(id)}`);
