import { createHash } from 'node:crypto';
import { CallRecord, VoiceMessage } from '../model/index.js';
import type { Reader, Store } from '../store/store.js';
import { eachDocument } from '../store/paging.js';
import { DAY_MS } from '../platform/clock.js';
import { newId } from '../platform/ids.js';
import { loadNetworkView } from './load-network-view.js';
import { parseSipUri } from './sip-uri.js';
import { bumped } from '../store/versioned.js';

/** One Twilio status callback, already parsed. */
export interface CallStatusEvent {
  callSid: string;
  /** Twilio CallStatus: queued, initiated, ringing, in-progress, completed, busy, failed, no-answer, canceled. */
  status: string;
  from: string;
  to: string;
  /** CallDuration, sent with the final callback. */
  durationSeconds: number | null;
}

/** A call our voice handlers routed, before its carrier reported on it: counted by no limit until then. */
export const ROUTED = 'routed';
const TERMINAL = new Set(['completed', 'busy', 'failed', 'no-answer', 'canceled']);
/** Twilio ends every call after four hours, so an older "active" call lost its final callback. */
const MAX_CALL_MS = 4 * 60 * 60 * 1000;
/** Shelters count their day in Japan time (no daylight saving). */
const JST_OFFSET_MS = 9 * 60 * 60 * 1000;

const TWILIO_CALL_SID = /^CA[0-9a-fA-F]{32}$/;
/** A call on a JSON member's platform: its own call id, scoped by the member (two members may reuse one). */
const MEMBER_CALL_SID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}:[\x21-\x7e]{1,256}$/;

/** The call key of a call on a member's own platform (Kamailio, Asterisk…): `carrierId:callId`. */
export function memberCallSid(carrierId: string, callId: string): string {
  return `${carrierId}:${callId}`;
}

export function isCallSid(callSid: string): boolean {
  return TWILIO_CALL_SID.test(callSid) || MEMBER_CALL_SID.test(callSid);
}

export function callRecordId(callSid: string): string {
  // A member's call id may hold any printable character (SIP Call-IDs do): its digest is the key.
  return TWILIO_CALL_SID.test(callSid) ? `call_${callSid}` : `call_m${createHash('sha256').update(callSid).digest('hex').slice(0, 40)}`;
}

/** Which shelter and handset a call belongs to, from its From/To alone. */
async function attribute(store: Reader, event: CallStatusEvent): Promise<Pick<CallRecord, 'shelterId' | 'handsetId' | 'direction'>> {
  const sip = parseSipUri(event.from);
  if (sip) {
    const view = await loadNetworkView(store, { sipUsername: sip.user, sipDomain: sip.domain });
    return { direction: 'outbound', shelterId: view.caller?.shelterId ?? null, handsetId: view.caller?.handsetId ?? null };
  }
  const view = await loadNetworkView(store, { calledE164: event.to });
  const shelterId = view.called?.shelterId ?? null;
  // The only numbers pointed at us that belong to no shelter are directory hotlines.
  return { direction: shelterId ? 'inbound' : 'directory', shelterId, handsetId: null };
}

export interface RoutedCall {
  callSid: string;
  carrierId: string;
  direction: CallRecord['direction'];
  shelterId: string | null;
  handsetId: string | null;
  from: string;
  to: string;
  /** What an outbound call was for (0570 calls have their own daily minutes). */
  purpose?: CallRecord['purpose'];
  /** The shelter number shown as caller ID on an outbound call. */
  callerId?: string | null;
  /** The shelter's other line an inbound call is forwarded to, once its walk gets there. */
  forwardedTo?: string | null;
}

/**
 * Notes a call a voice handler routed, so later status callbacks can be checked against the
 * member that owns it. A repeat (Dial action on the same call) leaves the record as it is, but
 * for noting where the call is forwarded.
 */
export async function noteRoutedCall(store: Store, call: RoutedCall, at: Date): Promise<CallRecord | null> {
  if (!isCallSid(call.callSid)) return null;
  const id = callRecordId(call.callSid);
  return store.transaction(async (tx) => {
    const prev = await tx.get('calls', id);
    if (prev && call.forwardedTo && prev.forwardedTo !== call.forwardedTo) {
      const next = CallRecord.parse(bumped(prev, { forwardedTo: call.forwardedTo }));
      tx.put('calls', next);
      return next;
    }
    if (prev) return prev;
    const record = CallRecord.parse({ ...call, id, version: 0, status: ROUTED, durationSeconds: 0, startedAt: at.toISOString(), endedAt: null });
    tx.put('calls', record);
    return record;
  });
}

/** Records a status callback on the call's one record; late or repeated callbacks never undo an ended call. */
export async function recordCallStatus(store: Store, event: CallStatusEvent, at: Date): Promise<CallRecord> {
  if (!isCallSid(event.callSid)) throw new RangeError(`not a Twilio call SID nor a member's call key: ${JSON.stringify(event.callSid)}`);
  const who = await attribute(store, event);
  const id = callRecordId(event.callSid);
  return store.transaction(async (tx) => {
    const prev = await tx.get('calls', id);
    const ended = prev?.endedAt != null;
    const terminal = TERMINAL.has(event.status);
    const record = CallRecord.parse({
      ...who,
      ...prev,
      id,
      callSid: event.callSid,
      from: prev?.from ?? event.from,
      to: prev?.to ?? event.to,
      version: (prev?.version ?? 0) + 1,
      status: ended ? prev.status : event.status,
      durationSeconds: Math.max(prev?.durationSeconds ?? 0, event.durationSeconds ?? 0),
      startedAt: prev?.startedAt ?? at.toISOString(),
      endedAt: prev?.endedAt ?? (terminal ? at.toISOString() : null),
    });
    tx.put('calls', record);
    return record;
  });
}

export interface CallActivity {
  activeCalls: number;
  callsToday: number;
  /** Minutes as carriers count them: each call rounded up to a whole minute. */
  minutesToday: number;
}

function startOfJstDay(now: Date): number {
  return Math.floor((now.getTime() + JST_OFFSET_MS) / DAY_MS) * DAY_MS - JST_OFFSET_MS;
}

/** A shelter's calls now and today (Japan time), computed from its call records. */
export async function callActivity(store: Reader, shelterId: string, now: Date): Promise<CallActivity> {
  const dayStart = startOfJstDay(now);
  const horizon = Math.min(dayStart, now.getTime() - MAX_CALL_MS);
  const activity: CallActivity = { activeCalls: 0, callsToday: 0, minutesToday: 0 };
  for await (const call of eachDocument(store, 'calls', { where: { shelterId }, orderBy: { field: 'startedAt', direction: 'desc' }, limit: 500 })) {
    const started = Date.parse(call.startedAt);
    if (started < horizon) break;
    if (call.status === ROUTED) continue;
    if (call.endedAt === null && started >= now.getTime() - MAX_CALL_MS) activity.activeCalls++;
    if (started >= dayStart) {
      activity.callsToday++;
      activity.minutesToday += Math.ceil(call.durationSeconds / 60);
    }
  }
  return activity;
}

export interface NewVoiceMessage {
  shelterId: string;
  from: string | null;
  to: string | null;
  recordingUrl: string;
  duration: number;
  /** Twilio's RecordingSid: a retried callback stores the same message once. */
  recordingSid?: string | null;
}

/** Keeps a recorded voice message with its shelter, for the board. */
export async function storeVoiceMessage(store: Store, message: NewVoiceMessage, at: Date): Promise<VoiceMessage> {
  const doc = VoiceMessage.parse({
    id: message.recordingSid ? `vm_${message.recordingSid}` : newId('vm', at),
    shelterId: message.shelterId,
    from: message.from,
    to: message.to,
    recordingUrl: message.recordingUrl,
    durationSeconds: Math.max(0, Math.round(message.duration)),
    createdAt: at.toISOString(),
  });
  const existing = await store.get('voiceMessages', doc.id);
  if (existing) return existing;
  await store.put('voiceMessages', doc);
  return doc;
}
