import { api } from '../../../lib/http.js';
import type { SuspensionReport } from '../../../../../provisioning/model/index.js';

export type { SuspensionReport };

/** 番号の利用停止: acts at once; the answer is the report for the authorities. */
export const suspendNumber = (number: string, reason: string, requestId?: string) =>
  api<SuspensionReport>('POST', '/api/v1/suspensions', { number, reason, ...(requestId ? { requestId } : {}) });
