import { api } from '../../../lib/http.js';
import type { TestCallResult } from '../../../../../provisioning/model/index.js';

export const placeTestCall = (shelterId: string) => api<TestCallResult>('POST', `/api/v1/shelters/${encodeURIComponent(shelterId)}/test-calls`);
