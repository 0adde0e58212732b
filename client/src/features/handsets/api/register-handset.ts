import { api } from '../../../lib/http.js';
import type { BoardHandset } from '../../../lib/board-types.js';

export interface Registered {
  handset: BoardHandset;
  jobId: string;
  provisioningUrl: string;
  files: string[];
}

export const registerHandset = (shelterId: string, body: { mac?: string; vendor: string; label?: string }) =>
  api<Registered>('POST', `/api/v1/shelters/${encodeURIComponent(shelterId)}/handsets`, body);
