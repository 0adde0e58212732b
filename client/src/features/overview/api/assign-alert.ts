import { api } from '../../../lib/http.js';
import type { Alert } from '../../../../../provisioning/model/index.js';

export const assignAlert = (id: string, assignee: string | null) => api<Alert>('PUT', `/api/v1/alerts/${encodeURIComponent(id)}/assignee`, { assignee });
