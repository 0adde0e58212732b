import { api } from '../../../lib/http.js';
import type { CarrierHealthRecorded, PreflightReport } from '../../../../../provisioning/model/index.js';

/** A coordinator marks a carrier down (its shelters fail over) or up again. */
export const setCarrierDown = (id: string, down: boolean, reason: string) =>
  api<CarrierHealthRecorded>('POST', `/api/v1/carriers/${encodeURIComponent(id)}/health`, { down, reason });

/** Checks the member's real account (credentials, numbers, SIP domain, its limit); the report is kept on the carrier. */
export const runCarrierPreflight = (id: string) => api<PreflightReport>('POST', `/api/v1/carriers/${encodeURIComponent(id)}/preflight`);
