import twilio from 'twilio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../provisioning/platform/clock.js';
import { BaseUrlRequestClient } from '../../../provisioning/carriers/twilio/base-url-request-client.js';
import { createTwilioCarrier } from '../../../provisioning/carriers/twilio/index.js';
import { createTwilioSimulator, restRoutes, type Exchange } from '../../../server/drill/twilio-simulator/index.js';
import { loadTwilioSpec } from './twilio-spec.js';

/**
 * Every answer the simulator gives during a session that drives every endpoint the adapter uses
 * (through the adapter and the real SDK) must match Twilio's OpenAPI spec for that operation.
 */
const spec = loadTwilioSpec();
const strict = loadTwilioSpec({ requireAll: true });
const EXPECTED_ERROR_CODE: Record<number, number> = { 401: 20003, 404: 20404, 429: 20429, 503: 20503 };
const NUMBERS = ['+81767520959', '+81767521111', '+81767522222', '+81767523333', '+81767524444'];
const ROUTING = {
  voiceUrl: 'https://line.example.jp/twilio/voice/inbound',
  voiceFallbackUrl: 'https://line.example.jp/twilio/voice/fallback',
  statusCallback: 'https://line.example.jp/twilio/status',
};

const exchanges: Exchange[] = [];
let close: () => Promise<void>;

beforeAll(async () => {
  const clock = new ManualClock('2024-01-09T00:00:00.000Z');
  const sim = createTwilioSimulator({ now: () => clock.now() });
  sim.onExchange((e) => exchanges.push(e));
  const server = await sim.listen();
  close = server.close;
  const acct = sim.createAccount();
  sim.seedNumbers(acct.sid, NUMBERS);
  const opts = { carrierId: 'kddi', accountSid: acct.sid, authToken: acct.authToken, apiBaseUrl: server.url, sipDomainName: 'shelter-line-kddi' };
  const carrier = createTwilioCarrier({ ...opts, pageSize: 2 });
  const sdk = twilio(acct.sid, acct.authToken, { httpClient: new BaseUrlRequestClient(server.url) }).api.v2010.accounts(acct.sid);
  const swallow = (p: Promise<unknown>) => p.catch((e: unknown) => expect(e).toBeInstanceOf(Error));

  // Numbers: paged list, filtered list, fetch, update (set and clear).
  const found = await carrier.discoverNumbers();
  await sdk.incomingPhoneNumbers(found[0]!.carrierRef).fetch();
  await carrier.routeNumber(NUMBERS[0]!, ROUTING);
  await carrier.interceptNumber(NUMBERS[0]!, 'https://line.example.jp/twilio/voice/closed');
  await carrier.resetNumber(NUMBERS[1]!);
  await sdk.incomingPhoneNumbers.list({ phoneNumber: NUMBERS[0]! });
  await swallow(carrier.routeNumber(NUMBERS[2]!, { ...ROUTING, voiceUrl: 'not a url' }));

  // SIP domain: list, create, update, fetch.
  await carrier.ensureSipDomain({ voiceUrl: ROUTING.voiceUrl, voiceFallbackUrl: '', statusCallback: ROUTING.statusCallback });
  await carrier.ensureSipDomain({ voiceUrl: 'https://line2.example.jp/twilio/voice/outbound', voiceFallbackUrl: ROUTING.voiceFallbackUrl, statusCallback: '' });
  const domainSid = sim.snapshot(acct.sid).sip_domains[0]!.sid;
  await sdk.sip.domains(domainSid).fetch();

  // Credential lists, both mapping kinds, credentials: create, list, fetch, update, delete.
  for (const u of ['h001a', 'h001b', 'h001c']) await carrier.ensureCredential({ shelterId: 'sh_001', username: u, password: 'Noto2024Shelter' });
  await carrier.ensureCredential({ shelterId: 'sh_001', username: 'h001a', password: 'Wajima2024Again' });
  await swallow(sdk.sip.credentialLists.create({ friendlyName: 'shelter-sh_001' }));
  const listSid = sim.snapshot(acct.sid).credential_lists[0]!.sid;
  await sdk.sip.credentialLists(listSid).fetch();
  const creds = await sdk.sip.credentialLists(listSid).credentials.page({ pageSize: 2 });
  await creds.nextPage();
  await sdk.sip.credentialLists(listSid).credentials(creds.instances[0]!.sid).fetch();
  await swallow(sdk.sip.credentialLists(listSid).credentials.create({ username: 'weak', password: 'weakpass' }));
  await sdk.sip.domains(domainSid).auth.registrations.credentialListMappings(listSid).fetch();
  await sdk.sip.domains(domainSid).auth.calls.credentialListMappings(listSid).fetch();
  await carrier.listCredentials('sh_001');
  await carrier.credentialShelters();
  await carrier.deleteCredential('sh_001', 'h001b');
  await carrier.deleteShelterCredentials('sh_001');
  await sdk.sip.domains(domainSid).remove();

  // A test call: placed (201) and refused for a caller ID the account does not hold (21210).
  const message = { text: '試験通話です。', language: 'ja-JP' as const };
  const placed = await carrier.placeTestCall!({ username: 'h001a', domain: 'shelter-line-kddi.sip.twilio.com', from: NUMBERS[0]!, message });
  await carrier.testCallStatus!(placed.callRef);
  await swallow(carrier.placeTestCall!({ username: 'h001a', domain: 'shelter-line-kddi.sip.twilio.com', from: '+81312345678', message }));

  // Account, and the failures: 404, 401, 429, 503.
  await carrier.health();
  await swallow(sdk.incomingPhoneNumbers('PN' + '0'.repeat(32)).fetch());
  await swallow(sdk.sip.credentialLists(listSid).fetch());
  await createTwilioCarrier({ ...opts, authToken: 'wrong' }).health();
  sim.setRateLimit(acct.sid, { perSecond: 1, burst: 1 });
  await carrier.health();
  await carrier.health();
  sim.setRateLimit(acct.sid, null);
  sim.setOutage(acct.sid, true);
  await swallow(carrier.discoverNumbers());
  sim.setOutage(acct.sid, false);
});

afterAll(async () => {
  await close?.();
});

describe('the Twilio simulator against Twilio OpenAPI spec', () => {
  it('only serves operations that exist in the spec', () => {
    for (const r of restRoutes) {
      expect(spec.operationByTemplate(r.method, r.template), `${r.method} ${r.template}`).toBeDefined();
    }
  });

  it('answers every request of the session with a path and method the spec has', () => {
    expect(exchanges.length).toBeGreaterThan(40);
    for (const e of exchanges) expect(spec.operationFor(e.method, e.path), `${e.method} ${e.path} is not a Twilio operation`).toBeDefined();
  });

  it('exercised every operation it serves', () => {
    const seen = new Set(exchanges.filter((e) => e.status < 300).map((e) => spec.operationFor(e.method, e.path)?.operationId));
    const served = restRoutes.map((r) => spec.operationByTemplate(r.method, r.template)!.operationId);
    expect(served.filter((id) => !seen.has(id))).toEqual([]);
  });

  it('gives every success the status code and body schema of its operation', () => {
    for (const e of exchanges.filter((x) => x.status < 400)) {
      const op = spec.operationFor(e.method, e.path)!;
      const label = `${op.operationId} ${e.status}`;
      expect(Object.keys(op.responses), label).toContain(String(e.status));
      if (e.status === 204) {
        expect(e.rawBody, label).toBe('');
        continue;
      }
      expect(e.contentType, label).toMatch(/^application\/json/);
      const validate = spec.responseValidator(op, e.status)!;
      expect(validate(e.body), `${label}: ${spec.errorsText(validate)}`).toBe(true);
    }
  });

  it('writes every field Twilio documents for each answer, blanks as Twilio writes them', () => {
    const missing = new Set<string>();
    for (const e of exchanges.filter((x) => x.status < 300 && x.status !== 204)) {
      const op = strict.operationFor(e.method, e.path)!;
      const validate = strict.responseValidator(op, e.status)!;
      if (!validate(e.body)) for (const err of validate.errors ?? []) missing.add(`${op.operationId}: ${err.instancePath} ${err.message}`);
    }
    expect([...missing]).toEqual([]);
    // Unset URLs as Twilio's own fetch example writes them: status_callback and the sms/app fields "", voice URLs null.
    const number = exchanges.find((e) => e.method === 'GET' && /IncomingPhoneNumbers\/PN[0-9a-f]{32}\.json$/.test(e.path))!.body as Record<string, unknown>;
    expect(number).toMatchObject({ type: 'local', sms_url: '', sms_fallback_url: '', sms_application_sid: '', voice_application_sid: '', trunk_sid: null });
  });

  it("answers failures with Twilio's error body and code", () => {
    const failures = exchanges.filter((x) => x.status >= 400);
    expect(new Set(failures.map((f) => f.status))).toEqual(new Set([400, 401, 404, 429, 503]));
    const validate = spec.errorValidator();
    for (const f of failures) {
      expect(validate(f.body), `${f.method} ${f.path}: ${spec.errorsText(validate)}`).toBe(true);
      const body = f.body as { code: number; status: number };
      expect(body.status).toBe(f.status);
      if (f.status === 400) expect(String(body.code)).toMatch(/^21\d{3}$/);
      else expect(body.code).toBe(EXPECTED_ERROR_CODE[f.status]);
    }
  });

  it('pages lists with the envelope the SDK follows', () => {
    const pages = exchanges.filter((e) => e.method === 'GET' && e.path.endsWith('/IncomingPhoneNumbers.json') && e.query.PhoneNumber === undefined && e.status === 200);
    const bodies = pages.map((p) => p.body as { page: number; next_page_uri: string | null; incoming_phone_numbers: unknown[] });
    expect(bodies.map((b) => b.page)).toEqual([0, 1, 2]);
    expect(bodies.map((b) => b.incoming_phone_numbers.length)).toEqual([2, 2, 1]);
    expect(bodies[0]!.next_page_uri).toMatch(/PageSize=2&Page=1&PageToken=PA/);
    expect(bodies[2]!.next_page_uri).toBeNull();
  });
});

describe('the conformance check itself', () => {
  it('rejects a body that breaks the spec: a wrong SID prefix, a non-RFC-2822 date, an unknown enum value', () => {
    const fetch = exchanges.find((e) => e.method === 'GET' && /IncomingPhoneNumbers\/PN[0-9a-f]{32}\.json$/.test(e.path) && e.status === 200)!;
    const op = spec.operationFor(fetch.method, fetch.path)!;
    const validate = spec.responseValidator(op, 200)!;
    const body = fetch.body as Record<string, unknown>;
    expect(validate(body)).toBe(true);
    expect(validate({ ...body, sid: 'XX' + String(body.sid).slice(2) })).toBe(false);
    expect(validate({ ...body, date_created: '2024-01-09T00:00:00Z' })).toBe(false);
    expect(validate({ ...body, voice_method: 'PUT' })).toBe(false);
    expect(validate({ ...body, address_requirements: null })).toBe(false);
    expect(spec.operationFor('POST', '/2010-04-01/Accounts/AC00/IncomingPhoneNumbers/PN00/Frobnicate.json')).toBeUndefined();
  });
});
