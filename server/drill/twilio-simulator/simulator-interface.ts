import type express from 'express';
import type { OutageMode, RequestLogEntry } from './state.js';
import type { Exchange } from './rest-handler.js';
import type { CallResult, CalleeLeg, WebhookResult } from './caller.js';

/**
 * What the Twilio simulator offers its users (tests, the drill, its `/_sim` control routes), apart
 * from how simulator.ts builds it: the control routes need the one, and simulator.ts mounts them.
 */
export interface SimulatorSnapshot {
  account_sid: string;
  /** URLs and callbacks as stored; '' means unset. */
  numbers: Array<{
    sid: string;
    phone_number: string;
    friendly_name: string;
    voice_url: string;
    voice_method: string;
    voice_fallback_url: string;
    voice_fallback_method: string;
    status_callback: string;
    status_callback_method: string;
  }>;
  sip_domains: Array<{
    sid: string;
    domain_name: string;
    voice_url: string;
    voice_fallback_url: string;
    voice_status_callback_url: string;
    sip_registration: boolean;
  }>;
  credential_lists: Array<{ sid: string; friendly_name: string; usernames: string[] }>;
  mappings: Array<{ domain_sid: string; kind: 'registrations' | 'calls'; credential_list_sid: string }>;
  /** Calls placed through the REST API (`POST Calls.json`), in order. */
  api_calls: Array<{ sid: string; to: string; from: string; url: string; twiml: string; status: string; date_created: string }>;
}

export interface RateLimit {
  perSecond: number;
  burst: number;
}

/** An account's REST concurrency as the simulator saw it (since the last reset). */
export interface AccountConcurrency {
  limit: number | null;
  /** Requests of the account being answered now. */
  inFlight: number;
  /** The most answered at once: never above the limit. */
  most: number;
  /** The most that reached the account at once, refused ones included: what all clients together sent. */
  mostArrived: number;
}

export interface TwilioSimulator {
  /** The express app: mount it, or call `listen`. Twilio's API under /2010-04-01, the control API under /_sim. */
  readonly app: express.Express;
  createAccount(opts?: { sid?: string; authToken?: string; friendlyName?: string; concurrencyLimit?: number | null }): { sid: string; authToken: string };
  seedNumbers(accountSid: string, e164s: string[]): Array<{ sid: string; phone_number: string }>;
  /**
   * The account's API fails: `unavailable` (the default) answers 503 at once; `timeout` answers
   * nothing until the outage ends, as a carrier whose servers hang.
   */
  setOutage(accountSid: string, on: boolean, mode?: OutageMode): void;
  /** The member released a number in its own console: it is no longer on the account. */
  releaseNumber(accountSid: string, e164: string): void;
  setRateLimit(accountSid: string, limit: RateLimit | null): void;
  /** The account's REST concurrency limit (null: none). */
  setConcurrencyLimit(accountSid: string, limit: number | null): void;
  /** The limit, requests being answered now, and the most answered and arrived at once (since the last reset). */
  concurrency(accountSid: string, opts?: { reset?: boolean }): AccountConcurrency;
  setLatency(ms: number): void;
  snapshot(accountSid: string): SimulatorSnapshot;
  /** Requests addressed to one account (or to the simulator in total), whatever their answer. */
  requestCount(accountSid?: string): number;
  requestLog(accountSid: string): RequestLogEntry[];
  /** Sees every REST answer (tests validate them against Twilio's OpenAPI spec). Returns an unsubscribe. */
  onExchange(listener: (e: Exchange) => void): () => void;
  /** A handset's REGISTER: true when the username/password is in a list mapped for registrations on the domain. */
  checkSipLogin(login: { domain: string; username: string; password: string }): boolean;
  /** A handset's successful REGISTER (checkSipLogin): a test call to it then rings; false when refused. */
  registerSip(login: { domain: string; username: string; password: string }): boolean;
  /** `answer: true` also carries the call out: plays before the dial, and each dialled party's whisper. */
  placeCall(call: { to: string; from: string; accountSid?: string; answer?: boolean }): Promise<CallResult>;
  placeSipCall(call: { domain: string; username: string; to: string; answer?: boolean }): Promise<CallResult>;
  /** Every dialled party's leg the simulator answered, in order: what its whisper played. */
  calleeLegs(): CalleeLeg[];
  sendWebhook(hook: { accountSid: string; url: string; params: Record<string, string>; method?: 'GET' | 'POST' }): Promise<WebhookResult>;
  listen(port?: number, host?: string): Promise<{ url: string; close(): Promise<void> }>;
}
