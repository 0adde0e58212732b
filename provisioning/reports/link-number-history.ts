import type { CallRecord, ReportCall, ReportLink } from '../model/index.js';
import type { Reader } from '../store/store.js';
import { eachDocument } from '../store/paging.js';

const PAGE = 200;
/** A bound on the scan: a number calling more than this in the window is evident without every row. */
const MAX_CALLS = 2000;

function toReportCall(c: CallRecord): ReportCall {
  return { callId: c.id, shelterId: c.shelterId, handsetId: c.handsetId, direction: c.direction, to: c.to, from: c.from, startedAt: c.startedAt, durationSeconds: c.durationSeconds, status: c.status };
}

/** Our outbound calls that showed `e164` as caller ID in [start, end], newest first (an indexed scan). */
export async function callsOnNumber(store: Reader, e164: string, start: Date, end: Date): Promise<CallRecord[]> {
  const out: CallRecord[] = [];
  for await (const c of eachDocument(store, 'calls', { where: { callerId: e164 }, orderBy: { field: 'startedAt', direction: 'desc' }, limit: PAGE })) {
    const t = Date.parse(c.startedAt);
    if (t > end.getTime()) continue;
    if (t < start.getTime() || out.length >= MAX_CALLS) break;
    out.push(c);
  }
  return out;
}

/**
 * Which carrier lent the number, which shelter held it at the reported time and which handsets
 * called on it then. Our call records say it best (they name shelter and handset per call); a
 * number with no calls in the window falls back to the shelter its record names.
 */
export async function linkNumberHistory(store: Reader, e164: string, window: { start: Date; end: Date }): Promise<ReportLink> {
  const [number, calls] = await Promise.all([store.get('numbers', e164), callsOnNumber(store, e164, window.start, window.end)]);
  const carrier = number ? await store.get('carriers', number.carrierId) : null;
  const fromCalls = calls.find((c) => c.shelterId)?.shelterId ?? null;
  const fromNumber = number ? (number.shelterId ?? number.previousShelterId) : null;
  const shelterId = fromCalls ?? fromNumber;
  const shelter = shelterId ? await store.get('shelters', shelterId) : null;
  return {
    ours: number !== null,
    carrierId: number?.carrierId ?? null,
    carrierName: carrier?.name ?? null,
    shelterId,
    shelterName: shelter?.name ?? null,
    basis: fromCalls ? 'calls' : fromNumber ? 'number' : 'none',
    windowStart: window.start.toISOString(),
    windowEnd: window.end.toISOString(),
    handsetIds: [...new Set(calls.flatMap((c) => (c.handsetId ? [c.handsetId] : [])))].sort(),
    calls: calls.map(toReportCall),
  };
}
