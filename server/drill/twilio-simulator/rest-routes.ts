import { createHash } from 'node:crypto';
import type { AccountState, ApiCallRecord, CredentialListRecord, DomainRecord, MappingRecord } from './state.js';
import { TwilioFault, notFound } from './twilio-fault.js';
import { pageOf, type PageQuery } from './paging.js';
import { newSid } from './sids.js';
import * as json from './representations.js';

/**
 * The Twilio REST operations the simulator answers, by method and by the path template Twilio's
 * OpenAPI spec uses, so the conformance test can match each one to its spec operation.
 */
export interface RestContext {
  acct: AccountState;
  params: Record<string, string>;
  query: Record<string, string>;
  form: Record<string, string>;
  path: string;
  now: Date;
  /** Domain names are global on Twilio: one name, one account, and a deleted name stays reserved a while. */
  domainNameTaken(name: string): boolean;
  domainDeleted(name: string): void;
}

export interface RestReply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface RestRoute {
  method: 'GET' | 'POST' | 'DELETE';
  template: string;
  handle(ctx: RestContext): RestReply;
}

const A = '/2010-04-01/Accounts/{AccountSid}';
type Method = 'GET' | 'POST';

const ok = (body: unknown): RestReply => ({ status: 200, body });
const created = (body: unknown): RestReply => ({ status: 201, body });
const noContent: RestReply = { status: 204 };

function invalid(code: number, message: string): TwilioFault {
  return new TwilioFault(400, code, message);
}

/** Empty clears a URL; anything else must be an absolute http(s) URL (Twilio 21402). */
function urlParam(form: Record<string, string>, name: string, current: string): string {
  const v = form[name];
  if (v === undefined) return current;
  if (v === '') return '';
  let parsed: URL | undefined;
  try {
    parsed = new URL(v);
  } catch {
    parsed = undefined;
  }
  if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) throw invalid(21402, `${name} is not a valid URL: ${v}`);
  return v;
}

function methodParam(form: Record<string, string>, name: string, current: Method): Method {
  const v = form[name];
  if (v === undefined || v === '') return current;
  const m = v.toUpperCase();
  if (m !== 'GET' && m !== 'POST') throw invalid(20001, `${name} must be GET or POST (got ${v})`);
  return m;
}

function boolParam(form: Record<string, string>, name: string, current: boolean): boolean {
  const v = form[name];
  if (v === undefined) return current;
  if (v !== 'true' && v !== 'false') throw invalid(20001, `${name} must be true or false (got ${v})`);
  return v === 'true';
}

function required(form: Record<string, string>, name: string, code: number): string {
  const v = form[name];
  if (v === undefined || v === '') throw invalid(code, `Missing required parameter ${name} in the post body`);
  return v;
}

export const hashPassword = (password: string) => createHash('sha256').update(password, 'utf8').digest('hex');

/** Twilio's credential password rule: at least 12 characters, a digit, upper and lower case. */
export function meetsPasswordRule(p: string): boolean {
  return p.length >= 12 && /\d/.test(p) && /[a-z]/.test(p) && /[A-Z]/.test(p);
}

function get<T>(map: Map<string, T>, sid: string | undefined, path: string): T {
  const found = sid === undefined ? undefined : map.get(sid);
  if (!found) throw notFound(path);
  return found;
}

/** `+8176*` style filters: `*` is any one digit; a partial number matches anywhere, as on Twilio. */
function phoneFilter(pattern: string): (e164: string) => boolean {
  const re = new RegExp(pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '\\d'));
  return (e164) => re.test(e164);
}

function listNumbers(ctx: RestContext): RestReply {
  const filters: Record<string, string> = {};
  let all = [...ctx.acct.numbers.values()];
  const pn = ctx.query.PhoneNumber;
  if (pn) {
    filters.PhoneNumber = pn;
    const match = phoneFilter(pn);
    all = all.filter((n) => match(n.phoneNumber));
  }
  const fn = ctx.query.FriendlyName;
  if (fn) {
    filters.FriendlyName = fn;
    all = all.filter((n) => n.friendlyName === fn);
  }
  const { items, envelope } = pageOf(all, ctx.query as PageQuery, json.numbersUri(ctx.acct.sid), filters);
  return ok({ incoming_phone_numbers: items.map((n) => json.numberJson(ctx.acct.sid, n)), ...envelope });
}

function updateNumber(ctx: RestContext): RestReply {
  const n = get(ctx.acct.numbers, ctx.params.Sid, ctx.path);
  const f = ctx.form;
  // Validate everything before changing anything: a rejected update leaves the number as it was.
  const next = {
    friendlyName: f.FriendlyName ?? n.friendlyName,
    voiceUrl: urlParam(f, 'VoiceUrl', n.voiceUrl),
    voiceMethod: methodParam(f, 'VoiceMethod', n.voiceMethod),
    voiceFallbackUrl: urlParam(f, 'VoiceFallbackUrl', n.voiceFallbackUrl),
    voiceFallbackMethod: methodParam(f, 'VoiceFallbackMethod', n.voiceFallbackMethod),
    statusCallback: urlParam(f, 'StatusCallback', n.statusCallback),
    statusCallbackMethod: methodParam(f, 'StatusCallbackMethod', n.statusCallbackMethod),
  };
  Object.assign(n, next, { updated: ctx.now });
  return ok(json.numberJson(ctx.acct.sid, n));
}

function applyDomainParams(d: DomainRecord, f: Record<string, string>, now: Date): void {
  const next = {
    friendlyName: f.FriendlyName ?? d.friendlyName,
    voiceUrl: urlParam(f, 'VoiceUrl', d.voiceUrl),
    voiceMethod: methodParam(f, 'VoiceMethod', d.voiceMethod),
    voiceFallbackUrl: urlParam(f, 'VoiceFallbackUrl', d.voiceFallbackUrl),
    voiceFallbackMethod: methodParam(f, 'VoiceFallbackMethod', d.voiceFallbackMethod),
    voiceStatusCallbackUrl: urlParam(f, 'VoiceStatusCallbackUrl', d.voiceStatusCallbackUrl),
    voiceStatusCallbackMethod: methodParam(f, 'VoiceStatusCallbackMethod', d.voiceStatusCallbackMethod),
    sipRegistration: boolParam(f, 'SipRegistration', d.sipRegistration),
  };
  Object.assign(d, next, { updated: now });
}

function createDomain(ctx: RestContext): RestReply {
  const name = required(ctx.form, 'DomainName', 21232).toLowerCase();
  if (!/^[a-z0-9-]+\.sip\.twilio\.com$/.test(name)) throw invalid(21232, `Invalid Domain: ${name} must be letters, digits and "-" ending with sip.twilio.com`);
  if (ctx.domainNameTaken(name)) throw invalid(21232, `Invalid Domain: ${name} is already in use`);
  const d: DomainRecord = {
    sid: newSid('SD'),
    domainName: name,
    friendlyName: '',
    voiceUrl: '',
    voiceMethod: 'POST',
    voiceFallbackUrl: '',
    voiceFallbackMethod: 'POST',
    voiceStatusCallbackUrl: '',
    voiceStatusCallbackMethod: 'POST',
    sipRegistration: false,
    created: ctx.now,
    updated: ctx.now,
    registrationMappings: new Map(),
    callsMappings: new Map(),
  };
  applyDomainParams(d, ctx.form, ctx.now);
  ctx.acct.domains.set(d.sid, d);
  return created(json.domainJson(ctx.acct.sid, d));
}

const SIP_URI = /^sip:[A-Za-z0-9._~!$&'()*+,;=-]+@[a-z0-9.-]+$/i;

/**
 * `POST Calls.json`: Twilio places an outbound call. The caller ID must be a number of the account
 * (21210), the callee an E.164 number or a SIP URI (21211), and the call needs Url or Twiml (21205).
 * The simulator records the call (queued); it does not carry media.
 */
function createCall(ctx: RestContext): RestReply {
  const to = required(ctx.form, 'To', 21201);
  const from = required(ctx.form, 'From', 21213);
  if (!/^\+[1-9]\d{1,14}$/.test(to) && !SIP_URI.test(to)) throw invalid(21211, `Invalid 'To' Phone Number: ${to}`);
  if (![...ctx.acct.numbers.values()].some((n) => n.phoneNumber === from)) throw invalid(21210, `The source phone number provided, ${from}, is not yet verified for your account`);
  const twiml = ctx.form.Twiml ?? '';
  const url = twiml ? '' : urlParam(ctx.form, 'Url', '');
  if (!twiml && !url) throw invalid(21205, 'Url or Twiml is required to place a call');
  const c: ApiCallRecord = { sid: newSid('CA'), to, from, url, twiml, statusCallback: urlParam(ctx.form, 'StatusCallback', ''), status: sipCallStatus(ctx.acct, to), created: ctx.now };
  ctx.acct.calls.push(c);
  return created(json.callJson(ctx.acct.sid, c));
}

/**
 * A call to a SIP address of one of the account's own domains rings the phone registered there
 * (still holding a credential mapped for registrations) and fails at once otherwise (SIP 404);
 * a call to a number stays queued.
 */
function sipCallStatus(acct: AccountState, to: string): ApiCallRecord['status'] {
  const m = /^sip:([^@]+)@(.+)$/i.exec(to);
  if (!m) return 'queued';
  const [, user, host] = m as unknown as [string, string, string];
  const domain = [...acct.domains.values()].find((d) => d.domainName === host.toLowerCase());
  if (!domain || !acct.registrations.has(`${user}@${domain.domainName}`)) return 'failed';
  const stillMapped = [...domain.registrationMappings.keys()].some((listSid) => [...(acct.credentialLists.get(listSid)?.credentials.values() ?? [])].some((c) => c.username === user));
  return stillMapped ? 'ringing' : 'failed';
}

function mappingRoutes(kind: 'Registrations' | 'Calls'): RestRoute[] {
  const base = `${A}/SIP/Domains/{DomainSid}/Auth/${kind}/CredentialListMappings`;
  const mapsOf = (ctx: RestContext) => {
    const d = get(ctx.acct.domains, ctx.params.DomainSid, ctx.path);
    return kind === 'Registrations' ? d.registrationMappings : d.callsMappings;
  };
  const render = (ctx: RestContext, m: MappingRecord) => json.mappingJson(ctx.acct.sid, m, ctx.acct.credentialLists.get(m.credentialListSid));
  return [
    {
      method: 'GET',
      template: `${base}.json`,
      handle: (ctx) => {
        const maps = mapsOf(ctx);
        const all = [...maps.values()].map((m) => ({ ...m, sid: m.credentialListSid }));
        const { items, envelope } = pageOf(all, ctx.query as PageQuery, json.mappingsUri(ctx.acct.sid, ctx.params.DomainSid!, kind), {});
        return ok({ contents: items.map((m) => render(ctx, m)), ...envelope });
      },
    },
    {
      method: 'POST',
      template: `${base}.json`,
      handle: (ctx) => {
        const maps = mapsOf(ctx);
        const listSid = required(ctx.form, 'CredentialListSid', 21231);
        if (!ctx.acct.credentialLists.has(listSid)) throw invalid(21231, `Domain Validation Error: credential list ${listSid} does not exist`);
        if (maps.has(listSid)) throw invalid(21231, `Domain Validation Error: credential list ${listSid} is already mapped`);
        const m: MappingRecord = { credentialListSid: listSid, created: ctx.now };
        maps.set(listSid, m);
        return created(render(ctx, m));
      },
    },
    {
      method: 'GET',
      template: `${base}/{Sid}.json`,
      handle: (ctx) => ok(render(ctx, get(mapsOf(ctx), ctx.params.Sid, ctx.path))),
    },
    {
      method: 'DELETE',
      template: `${base}/{Sid}.json`,
      handle: (ctx) => {
        const maps = mapsOf(ctx);
        get(maps, ctx.params.Sid, ctx.path);
        maps.delete(ctx.params.Sid!);
        return noContent;
      },
    },
  ];
}

function listOf(ctx: RestContext, sid: string | undefined): CredentialListRecord {
  return get(ctx.acct.credentialLists, sid, ctx.path);
}

function checkUsername(username: string): void {
  if (username.length > 32) throw invalid(21240, 'Credential List Validation Error: Username must be 32 characters or less');
}

function checkPassword(password: string): void {
  if (!meetsPasswordRule(password)) {
    throw invalid(21240, 'Credential List Validation Error: Password must be at least 12 characters with a digit and mixed case');
  }
}

export const restRoutes: RestRoute[] = [
  {
    method: 'GET',
    template: '/2010-04-01/Accounts/{Sid}.json',
    handle: (ctx) => ok(json.accountJson(ctx.acct)),
  },
  { method: 'GET', template: `${A}/IncomingPhoneNumbers.json`, handle: listNumbers },
  {
    method: 'GET',
    template: `${A}/IncomingPhoneNumbers/{Sid}.json`,
    handle: (ctx) => ok(json.numberJson(ctx.acct.sid, get(ctx.acct.numbers, ctx.params.Sid, ctx.path))),
  },
  { method: 'POST', template: `${A}/IncomingPhoneNumbers/{Sid}.json`, handle: updateNumber },
  {
    method: 'GET',
    template: `${A}/SIP/Domains.json`,
    handle: (ctx) => {
      const { items, envelope } = pageOf([...ctx.acct.domains.values()], ctx.query as PageQuery, json.domainsUri(ctx.acct.sid), {});
      return ok({ domains: items.map((d) => json.domainJson(ctx.acct.sid, d)), ...envelope });
    },
  },
  { method: 'POST', template: `${A}/SIP/Domains.json`, handle: createDomain },
  {
    method: 'GET',
    template: `${A}/SIP/Domains/{Sid}.json`,
    handle: (ctx) => ok(json.domainJson(ctx.acct.sid, get(ctx.acct.domains, ctx.params.Sid, ctx.path))),
  },
  {
    method: 'POST',
    template: `${A}/SIP/Domains/{Sid}.json`,
    handle: (ctx) => {
      const d = get(ctx.acct.domains, ctx.params.Sid, ctx.path);
      applyDomainParams(d, ctx.form, ctx.now);
      return ok(json.domainJson(ctx.acct.sid, d));
    },
  },
  {
    method: 'DELETE',
    template: `${A}/SIP/Domains/{Sid}.json`,
    handle: (ctx) => {
      const d = get(ctx.acct.domains, ctx.params.Sid, ctx.path);
      ctx.acct.domains.delete(ctx.params.Sid!);
      ctx.domainDeleted(d.domainName);
      return noContent;
    },
  },
  { method: 'POST', template: `${A}/Calls.json`, handle: createCall },
  {
    method: 'GET',
    template: `${A}/Calls/{Sid}.json`,
    handle: (ctx) => {
      const c = ctx.acct.calls.find((x) => x.sid === ctx.params.Sid);
      if (!c) throw notFound(ctx.path);
      return ok(json.callJson(ctx.acct.sid, c));
    },
  },
  ...mappingRoutes('Registrations'),
  ...mappingRoutes('Calls'),
  {
    method: 'GET',
    template: `${A}/SIP/CredentialLists.json`,
    handle: (ctx) => {
      const { items, envelope } = pageOf([...ctx.acct.credentialLists.values()], ctx.query as PageQuery, json.listsUri(ctx.acct.sid), {});
      return ok({ credential_lists: items.map((l) => json.credentialListJson(ctx.acct.sid, l)), ...envelope });
    },
  },
  {
    method: 'POST',
    template: `${A}/SIP/CredentialLists.json`,
    handle: (ctx) => {
      const name = required(ctx.form, 'FriendlyName', 21240);
      if (name.length > 64) throw invalid(21240, 'Credential List Validation Error: FriendlyName must be 64 characters or less');
      if ([...ctx.acct.credentialLists.values()].some((l) => l.friendlyName === name)) {
        throw invalid(21240, `Credential List Validation Error: a Credential List named ${name} already exists`);
      }
      const l: CredentialListRecord = { sid: newSid('CL'), friendlyName: name, created: ctx.now, updated: ctx.now, credentials: new Map() };
      ctx.acct.credentialLists.set(l.sid, l);
      return created(json.credentialListJson(ctx.acct.sid, l));
    },
  },
  {
    method: 'GET',
    template: `${A}/SIP/CredentialLists/{Sid}.json`,
    handle: (ctx) => ok(json.credentialListJson(ctx.acct.sid, listOf(ctx, ctx.params.Sid))),
  },
  {
    method: 'DELETE',
    template: `${A}/SIP/CredentialLists/{Sid}.json`,
    handle: (ctx) => {
      const l = listOf(ctx, ctx.params.Sid);
      ctx.acct.credentialLists.delete(l.sid);
      // A deleted list cannot stay mapped: its mappings go with it.
      for (const d of ctx.acct.domains.values()) {
        d.registrationMappings.delete(l.sid);
        d.callsMappings.delete(l.sid);
      }
      return noContent;
    },
  },
  {
    method: 'GET',
    template: `${A}/SIP/CredentialLists/{CredentialListSid}/Credentials.json`,
    handle: (ctx) => {
      const l = listOf(ctx, ctx.params.CredentialListSid);
      const { items, envelope } = pageOf([...l.credentials.values()], ctx.query as PageQuery, json.credentialsUri(ctx.acct.sid, l.sid), {});
      return ok({ credentials: items.map((c) => json.credentialJson(ctx.acct.sid, l.sid, c)), ...envelope });
    },
  },
  {
    method: 'POST',
    template: `${A}/SIP/CredentialLists/{CredentialListSid}/Credentials.json`,
    handle: (ctx) => {
      const l = listOf(ctx, ctx.params.CredentialListSid);
      const username = required(ctx.form, 'Username', 21240);
      const password = required(ctx.form, 'Password', 21240);
      checkUsername(username);
      checkPassword(password);
      if ([...l.credentials.values()].some((c) => c.username === username)) {
        throw invalid(21240, `Credential List Validation Error: Username ${username} already exists in this list`);
      }
      const c = { sid: newSid('CR'), username, passwordHash: hashPassword(password), created: ctx.now, updated: ctx.now };
      l.credentials.set(c.sid, c);
      return created(json.credentialJson(ctx.acct.sid, l.sid, c));
    },
  },
  {
    method: 'GET',
    template: `${A}/SIP/CredentialLists/{CredentialListSid}/Credentials/{Sid}.json`,
    handle: (ctx) => {
      const l = listOf(ctx, ctx.params.CredentialListSid);
      return ok(json.credentialJson(ctx.acct.sid, l.sid, get(l.credentials, ctx.params.Sid, ctx.path)));
    },
  },
  {
    method: 'POST',
    template: `${A}/SIP/CredentialLists/{CredentialListSid}/Credentials/{Sid}.json`,
    handle: (ctx) => {
      const l = listOf(ctx, ctx.params.CredentialListSid);
      const c = get(l.credentials, ctx.params.Sid, ctx.path);
      const password = ctx.form.Password;
      if (password !== undefined) {
        checkPassword(password);
        c.passwordHash = hashPassword(password);
        c.updated = ctx.now;
      }
      return ok(json.credentialJson(ctx.acct.sid, l.sid, c));
    },
  },
  {
    method: 'DELETE',
    template: `${A}/SIP/CredentialLists/{CredentialListSid}/Credentials/{Sid}.json`,
    handle: (ctx) => {
      const l = listOf(ctx, ctx.params.CredentialListSid);
      get(l.credentials, ctx.params.Sid, ctx.path);
      l.credentials.delete(ctx.params.Sid!);
      return noContent;
    },
  },
];

export interface MatchedRoute {
  route: RestRoute;
  params: Record<string, string>;
}

const compiled = restRoutes.map((route) => ({
  route,
  regex: new RegExp(
    '^' +
      route.template
        .split(/(\{[A-Za-z]+\})/)
        .map((part) => (/^\{[A-Za-z]+\}$/.test(part) ? `(?<${part.slice(1, -1)}>[^/]+?)` : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
        .join('') +
      '$',
  ),
}));

/** The route answering `method path`, or null (answered as Twilio's 20404). */
export function matchRoute(method: string, path: string): MatchedRoute | null {
  for (const { route, regex } of compiled) {
    if (route.method !== method) continue;
    const m = regex.exec(path);
    if (m) return { route, params: { ...(m.groups ?? {}) } };
  }
  return null;
}

/** Which account a Twilio API path addresses (`/2010-04-01/Accounts/{sid}...`). */
export function accountSidOfPath(path: string): string | null {
  const m = /^\/2010-04-01\/Accounts\/([^/.]+)/.exec(path);
  return m ? m[1]! : null;
}
