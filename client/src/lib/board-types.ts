import type { Alert, CallRecord, Carrier, Handset, Job, LineHealth, PhoneNumber, Role, ServiceLine, Shelter, SipCredential, VoiceMessage } from '../../../provisioning/model/index.js';

export type { Alert, CallRecord, Job, LineHealth, PhoneNumber, Role, ServiceLine, Shelter, VoiceMessage };

/** A carrier as the server shows it: no auth token, with what it may lend today. */
export type BoardCarrier = Omit<Carrier, 'twilio'> & {
  twilio: { accountSid: string; apiBaseUrl: string | null } | null;
  eligibility: { canLend: boolean; canLend0ABJ: boolean; reasons: string[]; expiresAt: string | null };
};

/** A handset as the server shows it: no device-token hash, no SIP passwords. */
export type BoardHandset = Omit<Handset, 'deviceTokenHash' | 'credentials'> & { credentials: Omit<SipCredential, 'passwordEncrypted'>[] };

export interface BoardDocs {
  shelters: Shelter;
  numbers: PhoneNumber;
  carriers: BoardCarrier;
  jobs: Job;
  alerts: Alert;
  handsets: BoardHandset;
  calls: CallRecord;
  voiceMessages: VoiceMessage;
}
export type BoardCollection = keyof BoardDocs;
export const BOARD_COLLECTIONS: BoardCollection[] = ['shelters', 'numbers', 'carriers', 'jobs', 'alerts', 'handsets', 'calls', 'voiceMessages'];

/** What the hub sends (server/ws/ws-hub.ts). */
export type ServerMessage =
  | ({ type: 'snapshot'; seq: number; at: string; role: Role; label: string | null } & { [C in BoardCollection]: BoardDocs[C][] })
  | { type: 'change'; seq: number; collection: BoardCollection; op: 'put' | 'delete'; id: string; doc: unknown }
  | { type: 'pong'; seq: number }
  | { type: 'error'; detail: string };
