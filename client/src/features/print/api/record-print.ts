import { api } from '../../../lib/http.js';
import type { RecordPrintInput } from '../../../../../provisioning/model/index.js';

/** Tells the server what is about to be printed (posters, or a municipality's directory), so the board knows when it goes out of date. */
export const recordPrints = (what: RecordPrintInput) => api<{ printedAt: string }>('POST', '/api/v1/prints', what);
