import type { CallRecord } from '../model/index.js';
import type { Reader } from '../store/store.js';
import { presentedCaller } from './decide-inbound.js';

/**
 * How long after a call reached one of a shelter's lines its forward may reach another: the handset
 * ring, the forward's set-up, and a generous margin for a slow carrier (2 min).
 */
const FORWARD_WINDOW_MS = 2 * 60 * 1000;
/** The shelter's recent calls looked at (newest first, on the calls' existing shelterId+startedAt index). */
const RECENT_CALLS = 50;
/** A first leg that ended this way was handed on; an answered one was not. */
const HANDED_ON = new Set(['no-answer', 'busy']);

/**
 * Whether a new call to `to` is the forward of a call that reached another line of the same
 * shelter moments ago from the same caller, and whose walk forwards it to `to` (noted on its record). Forwards show the caller's own number (so the
 * shelter's phones show who calls), so only our call records can tell a forward from a new call,
 * and the walk must not send it back. A caller without a number cannot be matched (their forward
 * shows the shelter's own number instead, which decideInbound recognises). A JSON member's walk is
 * noted whole when asked, so the same caller dialling the other line themselves within the window,
 * after hanging up, is taken for the forward: that line then rings its handsets and takes a message.
 */
export async function isForwardedCall(store: Reader, call: { from: string; to: string }, shelterId: string, now: Date): Promise<boolean> {
  const caller = presentedCaller(call.from);
  if (!caller) return false;
  const since = now.getTime() - FORWARD_WINDOW_MS;
  const page = await store.query('calls', { where: { shelterId }, orderBy: { field: 'startedAt', direction: 'desc' }, limit: RECENT_CALLS });
  return page.items.some((c: CallRecord) =>
    c.direction === 'inbound' && c.forwardedTo === call.to && Date.parse(c.startedAt) >= since
    && presentedCaller(c.from ?? '') === caller && (c.endedAt === null || HANDED_ON.has(c.status)));
}
