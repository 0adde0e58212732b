import { api } from '../../../lib/http.js';
import type { Shelter, ShelterContactInput } from '../../../../../provisioning/model/index.js';

export const updateShelterContact = (id: string, body: ShelterContactInput) =>
  api<Shelter>('PATCH', `/api/v1/shelters/${encodeURIComponent(id)}/contact`, body);

export const recordCheckIn = (id: string) => api<Shelter>('POST', `/api/v1/shelters/${encodeURIComponent(id)}/check-ins`);
