import { api } from '../../../lib/http.js';
import type { Job } from '../../../lib/board-types.js';

export const openShelter = (id: string, body: { lines?: number; reason?: string } = {}) =>
  api<{ shelterId: string; desiredStatus: string; job: Job }>('POST', `/api/v1/shelters/${encodeURIComponent(id)}/open`, body);

export const closeShelter = (id: string, body: { reason?: string } = {}) =>
  api<{ shelterId: string; desiredStatus: string; job: Job }>('POST', `/api/v1/shelters/${encodeURIComponent(id)}/close`, body);

export const openShelters = (ids: string[], lines?: number) =>
  api<{ results: Array<{ shelterId: string; jobId?: string; error?: string }> }>('POST', '/api/v1/shelters/open-bulk', { ids, ...(lines ? { lines } : {}) });
