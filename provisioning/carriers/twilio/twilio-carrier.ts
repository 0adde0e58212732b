import twilio from 'twilio';
import { z } from 'zod';
import { CarrierError, NUMBER_NOT_ON_ACCOUNT, SIP_DOMAIN_HELD_ELSEWHERE, type CarrierAdapter, type CarrierHealthReport, type SipCredentialSpec, type SipDomainSpec, type TestCallSpec, type TestCallStatus, type VoiceRouting } from '../carrier.js';
import { BaseUrlRequestClient } from './base-url-request-client.js';
import type { RequestGate } from '../request-gate.js';
import { isNotFound, toCarrierError } from './carrier-error.js';
import { sipPasswordProblem, sipUsernameProblem } from './sip-password.js';

export interface TwilioCarrierOptions {
  carrierId: string;
  /** The member's (sub)account: AC + 32 hex digits. */
  accountSid: string;
  authToken: string;
  /** Where https://api.twilio.com requests go instead (the simulator); unset in production. */
  apiBaseUrl?: string;
  /** The SIP domain's label, e.g. `shelter-line-3f9a2c1b-kddi`; `.sip.twilio.com` is added. */
  sipDomainName: string;
  /** Labels of a domain of ours on this account to adopt instead of creating one (the name from before deployment ids). */
  adoptSipDomainNames?: string[];
  /** Per-request timeout; a timeout is a retryable CarrierError. */
  timeoutMs?: number;
  /** Page size for list calls (Twilio's maximum, 1000, unless told otherwise). */
  pageSize?: number;
  /** Every HTTP request passes it: the member's limit counts API requests, not operations. */
  gate?: RequestGate;
}

const Options = z.object({
  carrierId: z.string().min(1, 'carrierId must not be empty'),
  accountSid: z.string().regex(/^AC[0-9a-fA-F]{32}$/, 'accountSid must be AC followed by 32 hex digits'),
  authToken: z.string().min(1, 'authToken must not be empty'),
  apiBaseUrl: z.url('apiBaseUrl must be an absolute URL').optional(),
  sipDomainName: z.string().regex(/^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/, 'sipDomainName must be lower-case letters, digits and "-" (no suffix)'),
  adoptSipDomainNames: z.array(z.string().regex(/^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/)).optional(),
  timeoutMs: z.number().int().positive().optional(),
  pageSize: z.number().int().min(1).max(1000).optional(),
});

/** Twilio answers POST with our webhooks; every URL we set uses it. */
const POST = 'POST';
const unset = (url: string | null | undefined) => url ?? '';

/**
 * The `twilio` carrier: configures a member's Twilio account directly through the real SDK.
 * No retries here: a failed call throws CarrierError and the reconciler decides when to retry.
 */
export function createTwilioCarrier(options: TwilioCarrierOptions): CarrierAdapter {
  const parsed = Options.safeParse(options);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`twilio carrier ${options.carrierId || '?'}: ${issue.message}`);
  }
  const opts = parsed.data;
  const pageSize = opts.pageSize ?? 1000;
  const sdk = (gate?: RequestGate) =>
    twilio(opts.accountSid, opts.authToken, { httpClient: new BaseUrlRequestClient(opts.apiBaseUrl, { timeout: opts.timeoutMs ?? 15_000 }, gate) }).api.v2010.accounts(opts.accountSid);
  const account = sdk(options.gate);
  // Health is one cheap read that must answer while every slot of the member's limit is busy: it never waits for one.
  const probe = sdk();
  let domainName = `${opts.sipDomainName}.sip.twilio.com`;
  const adoptable = new Set([domainName, ...(opts.adoptSipDomainNames ?? []).map((l) => `${l}.sip.twilio.com`)]);
  const numberSids = new Map<string, string>();
  const listSids = new Map<string, string>();
  let domainSid: string | null = null;

  async function call<T>(what: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (e) {
      throw toCarrierError(e, `${opts.carrierId}: ${what}`);
    }
  }

  /** Runs `run`, and once more after forgetting cached SIDs if it hit 20404 while using them (deleted behind our back). */
  async function withFreshSid<T>(shelterId: string, run: () => Promise<T>): Promise<T> {
    const usedCache = listSids.has(shelterId) || domainSid !== null;
    try {
      return await run();
    } catch (e) {
      if (!usedCache || !isNotFound(e)) throw e;
      listSids.delete(shelterId);
      domainSid = null;
      return run();
    }
  }

  async function lookUpNumber(e164: string) {
    const found = await call(`find ${e164}`, () => account.incomingPhoneNumbers.list({ phoneNumber: e164, pageSize }));
    const n = found.find((x) => x.phoneNumber === e164);
    if (!n) throw new CarrierError(`${opts.carrierId}: ${e164} is not a number of Twilio account ${opts.accountSid}`, false, 404, NUMBER_NOT_ON_ACCOUNT);
    numberSids.set(e164, n.sid);
    return n;
  }

  async function setRouting(e164: string, fields: { voiceUrl: string; voiceFallbackUrl: string; statusCallback?: string }): Promise<void> {
    const update = (sid: string) =>
      call(`configure ${e164}`, () =>
        account.incomingPhoneNumbers(sid).update({
          ...fields,
          voiceMethod: POST,
          voiceFallbackMethod: POST,
          ...(fields.statusCallback !== undefined ? { statusCallbackMethod: POST } : {}),
        }),
      );
    const cached = numberSids.get(e164);
    if (cached) {
      try {
        await update(cached);
        return;
      } catch (e) {
        if (!isNotFound(e)) throw e;
        numberSids.delete(e164); // released and re-bought: a new SID for the same number
      }
    }
    await update((await lookUpNumber(e164)).sid);
  }

  async function findDomain(): Promise<{ sid: string } | null> {
    if (domainSid) return { sid: domainSid };
    const all = await call('list SIP domains', () => account.sip.domains.list({ pageSize }));
    const d = ownDomain(all);
    domainSid = d?.sid ?? null;
    if (d) domainName = d.domainName;
    return d ?? null;
  }

  /** Ours on this account: this deployment's name first, else one to adopt. */
  function ownDomain<D extends { domainName: string }>(all: D[]): D | undefined {
    return all.find((x) => x.domainName === domainName) ?? all.find((x) => adoptable.has(x.domainName));
  }

  async function findList(shelterId: string): Promise<string | null> {
    const cached = listSids.get(shelterId);
    if (cached) return cached;
    const name = listName(shelterId);
    const all = await call('list credential lists', () => account.sip.credentialLists.list({ pageSize }));
    const sid = all.find((l) => l.friendlyName === name)?.sid ?? null;
    if (sid) listSids.set(shelterId, sid);
    return sid;
  }

  async function ensureList(shelterId: string): Promise<string> {
    const existing = await findList(shelterId);
    if (existing) return existing;
    try {
      const created = await call(`create credential list for ${shelterId}`, () =>
        account.sip.credentialLists.create({ friendlyName: listName(shelterId) }),
      );
      listSids.set(shelterId, created.sid);
      return created.sid;
    } catch (e) {
      // 21240 on create: another orchestrator instance made the list a moment ago; use that one.
      const raced = e instanceof CarrierError && e.code === 21240 ? await findList(shelterId) : null;
      if (raced) return raced;
      throw e;
    }
  }

  /** The two mappings a shelter's list needs on the domain: handsets register, and they place calls. */
  function mappingKinds(dSid: string): MappingKind[] {
    const auth = account.sip.domains(dSid).auth;
    const reg = auth.registrations.credentialListMappings;
    const calls = auth.calls.credentialListMappings;
    return [
      { kind: 'registrations', list: () => reg.list({ pageSize }), create: (cl: string) => reg.create({ credentialListSid: cl }), remove: (cl: string) => reg(cl).remove() },
      { kind: 'calls', list: () => calls.list({ pageSize }), create: (cl: string) => calls.create({ credentialListSid: cl }), remove: (cl: string) => calls(cl).remove() },
    ];
  }

  async function ensureMappings(dSid: string, listSid: string): Promise<void> {
    for (const m of mappingKinds(dSid)) {
      const mapped = await call(`list ${m.kind} mappings`, m.list);
      if (mapped.some((x) => x.sid === listSid)) continue;
      await call(`map credential list for ${m.kind}`, () => m.create(listSid));
    }
  }

  /** A domain made anew (lost by the member, a blank account) has no mappings: our shelters' lists go back on it. */
  async function mapShelterLists(dSid: string): Promise<void> {
    const lists = await call('list credential lists', () => account.sip.credentialLists.list({ pageSize }));
    for (const l of lists) if (l.friendlyName.startsWith(LIST_PREFIX)) await ensureMappings(dSid, l.sid);
  }

  return {
    carrierId: opts.carrierId,

    async discoverNumbers() {
      const all = await call('list numbers', () => account.incomingPhoneNumbers.list({ pageSize }));
      return all.map((n) => {
        numberSids.set(n.phoneNumber, n.sid);
        return { e164: n.phoneNumber, carrierRef: n.sid, friendlyName: n.friendlyName, routing: routingOf(n) };
      });
    },

    async routeNumber(e164, routing) {
      await setRouting(e164, { voiceUrl: routing.voiceUrl, voiceFallbackUrl: routing.voiceFallbackUrl, statusCallback: routing.statusCallback });
    },

    async interceptNumber(e164, interceptUrl) {
      // The status callback stays: calls to a closed or suspended line are still reported to us. The
      // fallback plays the same announcement: a URL, not a blank the spec's `format: uri` would refuse.
      await setRouting(e164, { voiceUrl: interceptUrl, voiceFallbackUrl: interceptUrl });
    },

    async resetNumber(e164) {
      // Twilio has no "remove" parameter for a URL; its own IncomingPhoneNumber example writes an unset
      // status_callback and sms_url as "" (twilio_api_v2010.json, FetchIncomingPhoneNumber), i.e. "" is
      // its value for "no URL", and the console clears a field by saving it empty. So "" clears, though
      // the spec's `format: uri` describes only a set URL (a spec-strict mock refuses it: see the Prism test).
      await setRouting(e164, { voiceUrl: '', voiceFallbackUrl: '', statusCallback: '' });
    },

    async ensureSipDomain(spec: SipDomainSpec) {
      const wanted = {
        voiceUrl: spec.voiceUrl,
        voiceMethod: POST,
        voiceFallbackUrl: spec.voiceFallbackUrl,
        voiceFallbackMethod: POST,
        voiceStatusCallbackUrl: spec.statusCallback,
        voiceStatusCallbackMethod: POST,
        sipRegistration: true,
      };
      const listed = async () => ownDomain(await call('list SIP domains', () => account.sip.domains.list({ pageSize })));
      let current = await listed();
      if (!current) {
        try {
          const created = await call(`create SIP domain ${domainName}`, () =>
            account.sip.domains.create({ domainName, friendlyName: `Shelter Line ${opts.carrierId}`, ...wanted }),
          );
          domainSid = created.sid;
          await mapShelterLists(created.sid);
          return { domain: domainName };
        } catch (e) {
          // 21232 "in use": if a racing instance of ours made it, carry on with that one.
          const inUse = e instanceof CarrierError && e.code === 21232;
          current = inUse ? await listed() : undefined;
          if (inUse && !current) {
            throw new CarrierError(
              `${opts.carrierId}: SIP domain ${domainName} is taken by another Twilio account, or was deleted and Twilio still reserves it. Give this deployment another ORCH_DEPLOYMENT_ID (a domain missing from an account is then made under a new name; one still there is kept), have the holder delete it, or wait for Twilio to free a deleted name: ${(e as Error).message}`,
              false, 400, SIP_DOMAIN_HELD_ELSEWHERE,
            );
          }
          if (!current) throw e;
        }
      }
      domainSid = current.sid;
      domainName = current.domainName;
      const same =
        unset(current.voiceUrl) === wanted.voiceUrl &&
        unset(current.voiceFallbackUrl) === wanted.voiceFallbackUrl &&
        unset(current.voiceStatusCallbackUrl) === wanted.voiceStatusCallbackUrl &&
        current.voiceMethod === POST &&
        current.sipRegistration === true;
      const sid = current.sid;
      if (!same) await call(`update SIP domain ${domainName}`, () => account.sip.domains(sid).update(wanted));
      return { domain: domainName };
    },

    async ensureCredential(spec: SipCredentialSpec) {
      const userProblem = sipUsernameProblem(spec.username);
      if (userProblem) throw new CarrierError(`${opts.carrierId}: SIP username ${userProblem}`, false);
      const passProblem = sipPasswordProblem(spec.password);
      if (passProblem) throw new CarrierError(`${opts.carrierId}: SIP password for ${spec.username} ${passProblem} (Twilio's rule)`, false);
      await withFreshSid(spec.shelterId, async () => {
        const dSid = (await findDomain())?.sid;
        if (!dSid) throw new CarrierError(`${opts.carrierId}: SIP domain ${domainName} does not exist yet (ensureSipDomain first)`, false);
        const listSid = await ensureList(spec.shelterId);
        const creds = account.sip.credentialLists(listSid).credentials;
        // Listing first also proves a cached list SID still exists (20404 otherwise) before it is mapped.
        const existing = (await call('list credentials', () => creds.list({ pageSize }))).find((c) => c.username === spec.username);
        await ensureMappings(dSid, listSid);
        // Twilio never returns a password, so an existing credential always gets it set again.
        if (existing) await call(`update credential ${spec.username}`, () => creds(existing.sid).update({ password: spec.password }));
        else await call(`create credential ${spec.username}`, () => creds.create({ username: spec.username, password: spec.password }));
      });
    },

    async deleteCredential(shelterId, username) {
      await withFreshSid(shelterId, async () => {
        const listSid = await findList(shelterId);
        if (!listSid) return;
        const creds = account.sip.credentialLists(listSid).credentials;
        const existing = (await call('list credentials', () => creds.list({ pageSize }))).filter((c) => c.username === username);
        for (const c of existing) await ignoreMissing(call(`delete credential ${username}`, () => creds(c.sid).remove()));
      });
    },

    async listCredentials(shelterId) {
      return withFreshSid(shelterId, async () => {
        const listSid = await findList(shelterId);
        if (!listSid) return [];
        const creds = await call('list credentials', () => account.sip.credentialLists(listSid).credentials.list({ pageSize }));
        return creds.map((c) => c.username);
      });
    },

    async credentialShelters() {
      const lists = await call('list credential lists', () => account.sip.credentialLists.list({ pageSize }));
      return lists.filter((l) => l.friendlyName.startsWith(LIST_PREFIX)).map((l) => l.friendlyName.slice(LIST_PREFIX.length));
    },

    async deleteShelterCredentials(shelterId) {
      await withFreshSid(shelterId, async () => {
        const listSid = await findList(shelterId);
        if (!listSid) return;
        const domain = await findDomain();
        if (domain) {
          for (const m of mappingKinds(domain.sid)) {
            const mapped = await call(`list ${m.kind} mappings`, m.list);
            if (mapped.some((x) => x.sid === listSid)) await ignoreMissing(call(`unmap ${m.kind}`, () => m.remove(listSid)));
          }
        }
        await ignoreMissing(call(`delete credential list of ${shelterId}`, () => account.sip.credentialLists(listSid).remove()));
        listSids.delete(shelterId);
      });
    },

    async placeTestCall(spec: TestCallSpec): Promise<{ callRef: string }> {
      const twiml = new twilio.twiml.VoiceResponse();
      twiml.say({ language: spec.message.language }, spec.message.text);
      const placed = await call(`test call to ${spec.username}`, () =>
        account.calls.create({ to: `sip:${spec.username}@${spec.domain}`, from: spec.from, twiml: twiml.toString() }),
      );
      return { callRef: placed.sid };
    },

    async testCallStatus(callRef: string): Promise<TestCallStatus> {
      return (await call(`fetch test call ${callRef}`, () => account.calls(callRef).fetch())).status as TestCallStatus;
    },

    async health(): Promise<CarrierHealthReport> {
      try {
        const a = await call('fetch account', () => probe.fetch());
        return a.status === 'active' ? { ok: true, detail: `account ${a.sid} active` } : { ok: false, detail: `account ${a.sid} is ${a.status}` };
      } catch (e) {
        // Twilio's 429 is an answer from a live account at its limit (our own work fills it): up, not down.
        if (e instanceof CarrierError && e.status === 429 && e.code === 20429) return { ok: true, detail: `account answers, at its request limit now: ${e.message}` };
        return { ok: false, detail: (e as Error).message };
      }
    },
  };
}

interface MappingKind {
  kind: 'registrations' | 'calls';
  list(): Promise<Array<{ sid: string }>>;
  create(credentialListSid: string): Promise<unknown>;
  remove(credentialListSid: string): Promise<unknown>;
}

/** One credential list per shelter, found again by this name after a restart. */
const LIST_PREFIX = 'shelter-';
export const listName = (shelterId: string) => `${LIST_PREFIX}${shelterId}`;

function routingOf(n: { voiceUrl: string | null; voiceFallbackUrl: string | null; statusCallback: string | null }): VoiceRouting | null {
  const routing = { voiceUrl: unset(n.voiceUrl), voiceFallbackUrl: unset(n.voiceFallbackUrl), statusCallback: unset(n.statusCallback) };
  return routing.voiceUrl === '' && routing.voiceFallbackUrl === '' && routing.statusCallback === '' ? null : routing;
}

/** Deleting what is already gone is success: deletes must be idempotent. */
async function ignoreMissing(p: Promise<unknown>): Promise<void> {
  try {
    await p;
  } catch (e) {
    if (!isNotFound(e)) throw e;
  }
}
