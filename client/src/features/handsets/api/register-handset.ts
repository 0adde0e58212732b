import { api } from '../../../lib/http.js';
import type { RegisteredHandset, RegisterHandsetInput } from '../../../../../provisioning/model/index.js';

export type Registered = RegisteredHandset;

export const registerHandset = (shelterId: string, body: RegisterHandsetInput) =>
  api<Registered>('POST', `/api/v1/shelters/${encodeURIComponent(shelterId)}/handsets`, body);
