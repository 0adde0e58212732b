import { api } from '../../../lib/http.js';

export interface SuspensionReport {
  e164: string;
  carrierName: string;
  lendingChain: string[];
  shelterName: string | null;
  routingReplaced: 'immediately' | 'queued';
}

/** 番号の利用停止: acts at once; the answer is the report for the authorities. */
export const suspendNumber = (number: string, reason: string, requestId?: string) =>
  api<SuspensionReport>('POST', '/api/v1/suspensions', { number, reason, ...(requestId ? { requestId } : {}) });
