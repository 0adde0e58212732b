import type { TokenBucket } from './token-bucket.js';

/** What the simulator keeps per Twilio account: the resources the adapter touches, nothing more. */
export interface NumberRecord {
  sid: string;
  phoneNumber: string;
  friendlyName: string;
  voiceUrl: string;
  voiceMethod: 'GET' | 'POST';
  voiceFallbackUrl: string;
  voiceFallbackMethod: 'GET' | 'POST';
  statusCallback: string;
  statusCallbackMethod: 'GET' | 'POST';
  created: Date;
  updated: Date;
}

export interface MappingRecord {
  credentialListSid: string;
  created: Date;
}

export interface DomainRecord {
  sid: string;
  domainName: string;
  friendlyName: string;
  voiceUrl: string;
  voiceMethod: 'GET' | 'POST';
  voiceFallbackUrl: string;
  voiceFallbackMethod: 'GET' | 'POST';
  voiceStatusCallbackUrl: string;
  voiceStatusCallbackMethod: 'GET' | 'POST';
  sipRegistration: boolean;
  created: Date;
  updated: Date;
  /** Keyed by credential list SID: Twilio names a mapping by the list it maps. */
  registrationMappings: Map<string, MappingRecord>;
  callsMappings: Map<string, MappingRecord>;
}

export interface CredentialRecord {
  sid: string;
  username: string;
  /** SHA-256 of the password: like Twilio, the simulator never keeps it in clear. */
  passwordHash: string;
  created: Date;
  updated: Date;
}

export interface CredentialListRecord {
  sid: string;
  friendlyName: string;
  created: Date;
  updated: Date;
  credentials: Map<string, CredentialRecord>;
}

/** A call placed through the REST API (`POST Calls.json`): what was asked, kept for the drill and tests to see. */
export interface ApiCallRecord {
  sid: string;
  to: string;
  from: string;
  url: string;
  twiml: string;
  statusCallback: string;
  /**
   * Where Twilio has got with it: a call to one of the account's SIP domains rings a phone registered
   * there (`ringing`) and fails at once for a user with no registration (`failed`, SIP 404); a call to
   * a number stays `queued` (the simulator carries no media).
   */
  status: 'queued' | 'ringing' | 'failed';
  created: Date;
}

/** How an account's API fails during an outage: 503 at once, or no answer at all (requests hang). */
export type OutageMode = 'unavailable' | 'timeout';

export interface RequestLogEntry {
  atMs: number;
  method: string;
  path: string;
  status: number;
}

export interface AccountState {
  sid: string;
  authToken: string;
  friendlyName: string;
  created: Date;
  outage: OutageMode | null;
  /** Requests held by a `timeout` outage: released (answered 503) when the outage ends. */
  held: Set<() => void>;
  /** Handsets registered on the account's SIP domains, as `user@domain`. */
  registrations: Set<string>;
  bucket: TokenBucket | null;
  /** Twilio's REST limit: requests of this account being answered at once (null: none). */
  concurrencyLimit: number | null;
  inFlight: number;
  /** The most requests of this account ever answered at once (tests read it). */
  mostInFlight: number;
  /** The most of this account's requests that were here at once, refused ones included. */
  mostArrived: number;
  numbers: Map<string, NumberRecord>;
  domains: Map<string, DomainRecord>;
  credentialLists: Map<string, CredentialListRecord>;
  /** Calls placed through the API, in order. */
  calls: ApiCallRecord[];
  requests: RequestLogEntry[];
}

export type HttpMethodName = 'GET' | 'POST';
