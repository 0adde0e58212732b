import { api } from '../../../lib/http.js';
import type { CarrierHealthRecorded } from '../../../../../provisioning/model/index.js';

/** A coordinator marks a carrier down (its shelters fail over) or up again. */
export const setCarrierDown = (id: string, down: boolean, reason: string) =>
  api<CarrierHealthRecorded>('POST', `/api/v1/carriers/${encodeURIComponent(id)}/health`, { down, reason });
