import { api } from '../../../lib/http.js';

/** A coordinator marks a carrier down (its shelters fail over) or up again. */
export const setCarrierDown = (id: string, down: boolean, reason: string) =>
  api<{ carrierId: string; health: string }>('POST', `/api/v1/carriers/${encodeURIComponent(id)}/health`, { down, reason });
