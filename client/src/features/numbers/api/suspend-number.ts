import { api } from '../../../lib/http.js';
import type { SuspensionOutcome } from '../../../../../provisioning/model/index.js';

export type { SuspensionOutcome };

/** 番号の利用停止: acts at once; the answer is the report for the authorities. */
export const suspendNumber = (number: string, reason: string, requestId?: string, fraud = false) =>
  api<SuspensionOutcome>('POST', '/api/v1/suspensions', { number, reason, ...(requestId ? { requestId } : {}), ...(fraud ? { fraud: true } : {}) });
