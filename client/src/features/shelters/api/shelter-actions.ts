import { api } from '../../../lib/http.js';
import type { BulkOpenResult, CloseShelterInput, OpenShelterInput, ShelterStateRequested } from '../../../../../provisioning/model/index.js';

export const openShelter = (id: string, body: OpenShelterInput = {}) =>
  api<ShelterStateRequested>('POST', `/api/v1/shelters/${encodeURIComponent(id)}/open`, body);

export const closeShelter = (id: string, body: CloseShelterInput = {}) =>
  api<ShelterStateRequested>('POST', `/api/v1/shelters/${encodeURIComponent(id)}/close`, body);

export const openShelters = (ids: string[], opts: { lines?: number; reason?: string } = {}) =>
  api<BulkOpenResult>('POST', '/api/v1/shelters/open-bulk', { ids, ...(opts.lines ? { lines: opts.lines } : {}), ...(opts.reason ? { reason: opts.reason } : {}) });
