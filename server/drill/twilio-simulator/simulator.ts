import express from 'express';
import type { AddressInfo } from 'node:net';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import type { AccountState, OutageMode, RequestLogEntry } from './state.js';
import { ACCOUNT_SID, newAuthToken, newSid } from './sids.js';
import { createTokenBucket } from './token-bucket.js';
import { createRestHandler, type Exchange } from './rest-handler.js';
import { hashPassword } from './rest-routes.js';
import { placeCall, placeSipCall, sendWebhook, type CallDirectory, type CallResult, type CalleeLeg } from './caller.js';
import { createControlRouter } from './control-routes.js';
import type { TwilioSimulator } from './simulator-interface.js';

export interface TwilioSimulatorOptions {
  /** Delay before every REST answer, as a far-away API would add. */
  latencyMs?: number;
  /** The simulator's clock: dates on resources, rate-limit refill, request log. */
  now?: () => Date;
  /** More control routes beside the simulator's own, under `/_sim/<path>` (drill mode: the api member's calls). */
  control?: Record<string, express.Router>;
  /**
   * Each new account's REST limit: requests answered at once, past which Twilio answers 429 / 20429
   * (default TWILIO_CONCURRENCY_LIMIT, the commonly cited default; null switches it off).
   */
  concurrencyLimit?: number | null;
  /** Seconds a 429 asks the client to wait (`Retry-After`; default 1). */
  retryAfterSeconds?: number;
  /** How long a deleted SIP domain's name stays reserved, for every account (default 24 h). */
  domainReservedMs?: number;
}

/** Twilio's commonly cited default REST concurrency per account (its 429 help article; error 20429). */
export const TWILIO_CONCURRENCY_LIMIT = 100;

const E164 = /^\+[1-9]\d{1,14}$/;

/** A stateful fake of the Twilio REST endpoints our adapter uses, plus Twilio's calling side. */
export function createTwilioSimulator(opts: TwilioSimulatorOptions = {}): TwilioSimulator {
  const now = opts.now ?? (() => new Date());
  const defaultLimit = checkLimit(opts.concurrencyLimit === undefined ? TWILIO_CONCURRENCY_LIMIT : opts.concurrencyLimit);
  const retryAfterSeconds = opts.retryAfterSeconds ?? 1;
  if (!Number.isInteger(retryAfterSeconds) || retryAfterSeconds < 0) throw new Error(`retryAfterSeconds must be a whole number of seconds ≥ 0 (got ${retryAfterSeconds})`);
  const domainReservedMs = opts.domainReservedMs ?? 24 * 60 * 60 * 1000;
  /** Deleted domain names and until when nobody may take them again. */
  const reservedNames = new Map<string, number>();
  let latencyMs = checkLatency(opts.latencyMs ?? 0);
  let total = 0;
  const accounts = new Map<string, AccountState>();
  const listeners = new Set<(e: Exchange) => void>();
  const legs: CalleeLeg[] = [];
  const keepLegs = (r: CallResult): CallResult => {
    legs.push(...(r.calleeLegs ?? []));
    return r;
  };

  function account(sid: string): AccountState {
    const a = accounts.get(sid);
    if (!a) throw new Error(`no simulated account ${sid}`);
    return a;
  }

  const directory: CallDirectory = {
    account: (sid) => accounts.get(sid),
    findNumber(e164, accountSid) {
      for (const acct of accounts.values()) {
        if (accountSid && acct.sid !== accountSid) continue;
        for (const number of acct.numbers.values()) if (number.phoneNumber === e164) return { acct, number };
      }
      return null;
    },
    findDomain(name) {
      for (const acct of accounts.values()) for (const domain of acct.domains.values()) if (domain.domainName === name) return { acct, domain };
      return null;
    },
  };

  const sim: Omit<TwilioSimulator, 'app'> = {
    createAccount(o = {}) {
      const sid = o.sid ?? newSid('AC');
      if (!ACCOUNT_SID.test(sid)) throw new Error(`account sid must be AC + 32 hex digits (got ${sid})`);
      if (accounts.has(sid)) throw new Error(`account ${sid} already exists`);
      const authToken = o.authToken ?? newAuthToken();
      if (authToken.length === 0) throw new Error('authToken must not be empty');
      accounts.set(sid, {
        sid,
        authToken,
        friendlyName: o.friendlyName ?? `Simulated account ${sid.slice(-6)}`,
        created: now(),
        outage: null,
        held: new Set(),
        registrations: new Set(),
        bucket: null,
        concurrencyLimit: o.concurrencyLimit === undefined ? defaultLimit : checkLimit(o.concurrencyLimit),
        inFlight: 0,
        mostInFlight: 0,
        mostArrived: 0,
        numbers: new Map(),
        domains: new Map(),
        credentialLists: new Map(),
        calls: [],
        requests: [],
      });
      return { sid, authToken };
    },
    seedNumbers(accountSid, e164s) {
      const acct = account(accountSid);
      const bad = e164s.find((e) => !E164.test(e));
      if (bad !== undefined) throw new Error(`not an E.164 number: ${JSON.stringify(bad)}`);
      const taken = e164s.find((e) => directory.findNumber(e) !== null);
      if (taken !== undefined) throw new Error(`${taken} already belongs to a simulated account`);
      return e164s.map((e164) => {
        const at = now();
        const record = {
          sid: newSid('PN'),
          phoneNumber: e164,
          friendlyName: parsePhoneNumberFromString(e164)?.formatNational() ?? e164,
          voiceUrl: '',
          voiceMethod: 'POST' as const,
          voiceFallbackUrl: '',
          voiceFallbackMethod: 'POST' as const,
          statusCallback: '',
          statusCallbackMethod: 'POST' as const,
          created: at,
          updated: at,
        };
        acct.numbers.set(record.sid, record);
        return { sid: record.sid, phone_number: e164 };
      });
    },
    releaseNumber(accountSid, e164) {
      const acct = account(accountSid);
      const found = [...acct.numbers.values()].find((n) => n.phoneNumber === e164);
      if (!found) throw new Error(`${e164} is not a number of simulated account ${accountSid}`);
      acct.numbers.delete(found.sid);
    },
    setOutage(accountSid, on, mode = 'unavailable') {
      const acct = account(accountSid);
      acct.outage = on ? mode : null;
      if (acct.outage === 'timeout') return;
      for (const release of [...acct.held]) release();
    },
    setRateLimit(accountSid, limit) {
      account(accountSid).bucket = limit ? createTokenBucket(limit.perSecond, limit.burst, () => now().getTime()) : null;
    },
    setConcurrencyLimit(accountSid, limit) {
      account(accountSid).concurrencyLimit = checkLimit(limit);
    },
    concurrency(accountSid, o = {}) {
      const a = account(accountSid);
      const seen = { limit: a.concurrencyLimit, inFlight: a.inFlight, most: a.mostInFlight, mostArrived: a.mostArrived };
      if (o.reset) a.mostInFlight = a.mostArrived = a.inFlight;
      return seen;
    },
    setLatency(ms) {
      latencyMs = checkLatency(ms);
    },
    snapshot(accountSid) {
      const acct = account(accountSid);
      const domains = [...acct.domains.values()];
      return {
        account_sid: acct.sid,
        numbers: [...acct.numbers.values()].map((n) => ({
          sid: n.sid,
          phone_number: n.phoneNumber,
          friendly_name: n.friendlyName,
          voice_url: n.voiceUrl,
          voice_method: n.voiceMethod,
          voice_fallback_url: n.voiceFallbackUrl,
          voice_fallback_method: n.voiceFallbackMethod,
          status_callback: n.statusCallback,
          status_callback_method: n.statusCallbackMethod,
        })),
        sip_domains: domains.map((d) => ({
          sid: d.sid,
          domain_name: d.domainName,
          voice_url: d.voiceUrl,
          voice_fallback_url: d.voiceFallbackUrl,
          voice_status_callback_url: d.voiceStatusCallbackUrl,
          sip_registration: d.sipRegistration,
        })),
        credential_lists: [...acct.credentialLists.values()].map((l) => ({
          sid: l.sid,
          friendly_name: l.friendlyName,
          usernames: [...l.credentials.values()].map((c) => c.username),
        })),
        mappings: domains.flatMap((d) => [
          ...[...d.registrationMappings.keys()].map((cl) => ({ domain_sid: d.sid, kind: 'registrations' as const, credential_list_sid: cl })),
          ...[...d.callsMappings.keys()].map((cl) => ({ domain_sid: d.sid, kind: 'calls' as const, credential_list_sid: cl })),
        ]),
        api_calls: acct.calls.map((c) => ({ sid: c.sid, to: c.to, from: c.from, url: c.url, twiml: c.twiml, status: c.status, date_created: c.created.toISOString() })),
      };
    },
    requestCount(accountSid) {
      return accountSid === undefined ? total : account(accountSid).requests.length;
    },
    requestLog(accountSid) {
      return [...account(accountSid).requests];
    },
    onExchange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    checkSipLogin({ domain, username, password }) {
      const found = directory.findDomain(domain.toLowerCase());
      if (!found || !found.domain.sipRegistration) return false;
      const hash = hashPassword(password);
      return [...found.domain.registrationMappings.keys()].some((listSid) =>
        [...(found.acct.credentialLists.get(listSid)?.credentials.values() ?? [])].some((c) => c.username === username && c.passwordHash === hash),
      );
    },
    registerSip(login) {
      if (!sim.checkSipLogin(login)) return false;
      directory.findDomain(login.domain.toLowerCase())!.acct.registrations.add(`${login.username}@${login.domain.toLowerCase()}`);
      return true;
    },
    placeCall: async (call) => keepLegs(await placeCall(directory, call)),
    placeSipCall: async (call) => keepLegs(await placeSipCall(directory, call)),
    calleeLegs: () => [...legs],
    sendWebhook: (hook) => sendWebhook(directory, hook),
    async listen(port = 0, host = '127.0.0.1') {
      const server = app.listen(port, host);
      // Like Twilio's edge, keep idle connections well past a client's pauses: Node's 5 s default
      // races clients that reuse a socket just as the server closes it.
      server.keepAliveTimeout = 65_000;
      server.headersTimeout = 66_000;
      await new Promise<void>((resolve, reject) => {
        server.once('listening', resolve);
        server.once('error', reject);
      });
      const { port: bound } = server.address() as AddressInfo;
      return {
        url: `http://${host}:${bound}`,
        close: () =>
          new Promise<void>((resolve, reject) => {
            server.close((err) => (err ? reject(err) : resolve()));
            // The SDK keeps connections alive; without this close() would wait for them to idle out.
            server.closeAllConnections();
          }),
      };
    },
  };

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  for (const [path, router] of Object.entries(opts.control ?? {})) app.use(`/_sim/${path}`, router);
  app.use('/_sim', express.json(), createControlRouter(sim));
  app.use(express.urlencoded({ extended: false }));
  app.use(
    createRestHandler({
      accounts,
      now,
      latencyMs: () => latencyMs,
      domainNameTaken: (name) => directory.findDomain(name) !== null || (reservedNames.get(name) ?? 0) > now().getTime(),
      domainDeleted: (name) => reservedNames.set(name, now().getTime() + domainReservedMs),
      retryAfterSeconds: () => retryAfterSeconds,
      onExchange: (e) => listeners.forEach((l) => l(e)),
      onRequest: () => total++,
    }),
  );
  return { ...sim, app };
}

function checkLimit(limit: number | null): number | null {
  if (limit !== null && !(Number.isInteger(limit) && limit >= 1)) throw new Error(`concurrency limit must be a whole number ≥ 1, or null for none (got ${limit})`);
  return limit;
}

function checkLatency(ms: number): number {
  if (!Number.isFinite(ms) || ms < 0) throw new Error(`latency must be a non-negative number of milliseconds (got ${ms})`);
  return ms;
}
