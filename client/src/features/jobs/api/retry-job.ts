import { api } from '../../../lib/http.js';
import type { Job } from '../../../../../provisioning/model/index.js';

export const retryJob = (id: string) => api<Job>('POST', `/api/v1/jobs/${encodeURIComponent(id)}/retry`);
