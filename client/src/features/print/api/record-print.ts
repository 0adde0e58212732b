import { api } from '../../../lib/http.js';

/** Tells the server what is about to be printed, so the board knows when a poster goes out of date. */
export const recordPrints = (shelterIds: string[]) => api<{ printedAt: string }>('POST', '/api/v1/prints', { shelterIds });
