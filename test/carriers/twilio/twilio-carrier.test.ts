import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CarrierError } from '../../../provisioning/carriers/carrier.js';
import { createTwilioCarrier } from '../../../provisioning/carriers/twilio/index.js';
import { twilioDomainName, twilioSipDomainLabels } from '../../../provisioning/carriers/adapter-factory.js';
import { DOMAIN_SPEC, ROUTING, startHarness, type Harness } from './harness.js';

const NANAO = ['+81767520959', '+81767521111', '+81767522222', '+81767523333', '+81767524444'];

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

async function failure(p: Promise<unknown>): Promise<CarrierError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(CarrierError);
  return e as CarrierError;
}

const numberIn = (e164: string) => h.sim.snapshot(h.account.sid).numbers.find((n) => n.phone_number === e164)!;

describe('numbers', () => {
  it('discovers every seeded number, following Twilio paging across several pages', async () => {
    const seeded = h.sim.seedNumbers(h.account.sid, NANAO);
    const found = await h.carrier({ pageSize: 2 }).discoverNumbers();
    expect(found.map((n) => n.e164)).toEqual(NANAO);
    expect(found.map((n) => n.carrierRef)).toEqual(seeded.map((s) => s.sid));
    expect(found.every((n) => n.routing === null)).toBe(true);
    expect(found[0]!.friendlyName).toBe('0767-52-0959');
    const pages = h.sim.requestLog(h.account.sid).filter((r) => r.path.endsWith('/IncomingPhoneNumbers.json'));
    expect(pages).toHaveLength(3);
  });

  it('points a number at our voice, fallback and status URLs with POST', async () => {
    h.sim.seedNumbers(h.account.sid, NANAO);
    const carrier = h.carrier();
    await carrier.routeNumber(NANAO[0]!, ROUTING);
    expect(numberIn(NANAO[0]!)).toMatchObject({
      voice_url: ROUTING.voiceUrl,
      voice_method: 'POST',
      voice_fallback_url: ROUTING.voiceFallbackUrl,
      voice_fallback_method: 'POST',
      status_callback: ROUTING.statusCallback,
      status_callback_method: 'POST',
    });
    expect(numberIn(NANAO[1]!).voice_url).toBe('');
    expect((await carrier.discoverNumbers()).find((n) => n.e164 === NANAO[0])?.routing).toEqual(ROUTING);
  });

  it('routing a number twice leaves the same configuration', async () => {
    h.sim.seedNumbers(h.account.sid, NANAO);
    const carrier = h.carrier();
    await carrier.routeNumber(NANAO[0]!, ROUTING);
    const once = h.sim.snapshot(h.account.sid);
    await carrier.routeNumber(NANAO[0]!, ROUTING);
    expect(h.sim.snapshot(h.account.sid)).toEqual(once);
    // A fresh adapter (after a restart) converges to the same state too.
    await h.carrier().routeNumber(NANAO[0]!, ROUTING);
    expect(h.sim.snapshot(h.account.sid)).toEqual(once);
  });

  it('an intercept replaces the voice URL and the fallback with the announcement; a reset clears everything', async () => {
    h.sim.seedNumbers(h.account.sid, NANAO);
    const carrier = h.carrier();
    await carrier.routeNumber(NANAO[0]!, ROUTING);
    await carrier.interceptNumber(NANAO[0]!, 'https://line.example.jp/twilio/voice/closed');
    expect(numberIn(NANAO[0]!)).toMatchObject({
      voice_url: 'https://line.example.jp/twilio/voice/closed',
      voice_fallback_url: 'https://line.example.jp/twilio/voice/closed',
      status_callback: ROUTING.statusCallback,
    });
    await carrier.resetNumber(NANAO[0]!);
    expect(numberIn(NANAO[0]!)).toMatchObject({ voice_url: '', voice_fallback_url: '', status_callback: '' });
    expect((await carrier.discoverNumbers()).find((n) => n.e164 === NANAO[0])?.routing).toBeNull();
  });

  it('a number the account does not hold is a non-retryable "not on the account"', async () => {
    h.sim.seedNumbers(h.account.sid, NANAO);
    const e = await failure(h.carrier().routeNumber('+81312345678', ROUTING));
    expect(e).toMatchObject({ retryable: false, status: 404, code: 'number-not-on-account' });
  });

  it('a URL Twilio would refuse is a non-retryable 21402', async () => {
    h.sim.seedNumbers(h.account.sid, NANAO);
    const e = await failure(h.carrier().routeNumber(NANAO[0]!, { ...ROUTING, voiceUrl: 'ftp://nope' }));
    expect(e).toMatchObject({ retryable: false, status: 400, code: 21402 });
    expect(numberIn(NANAO[0]!).voice_url).toBe('');
  });
});

describe('SIP domain and credentials', () => {
  it('creates the carrier SIP domain once, with registration on, and updates it when the spec changes', async () => {
    const carrier = h.carrier();
    expect(await carrier.ensureSipDomain(DOMAIN_SPEC)).toEqual({ domain: 'shelter-line-kddi.sip.twilio.com' });
    await carrier.ensureSipDomain(DOMAIN_SPEC);
    let domains = h.sim.snapshot(h.account.sid).sip_domains;
    expect(domains).toHaveLength(1);
    expect(domains[0]).toMatchObject({ domain_name: 'shelter-line-kddi.sip.twilio.com', voice_url: DOMAIN_SPEC.voiceUrl, sip_registration: true });
    await h.carrier().ensureSipDomain({ ...DOMAIN_SPEC, voiceUrl: 'https://line2.example.jp/twilio/voice/outbound' });
    domains = h.sim.snapshot(h.account.sid).sip_domains;
    expect(domains).toHaveLength(1);
    expect(domains[0]!.voice_url).toBe('https://line2.example.jp/twilio/voice/outbound');
  });

  it('gives a shelter one credential list, mapped for registrations and calls, holding the handset credential', async () => {
    const carrier = h.carrier();
    await carrier.ensureSipDomain(DOMAIN_SPEC);
    const spec = { shelterId: 'sh_001', username: 'h001a', password: 'Noto2024Shelter' };
    await carrier.ensureCredential(spec);
    await carrier.ensureCredential(spec);
    await h.carrier().ensureCredential(spec);
    const snap = h.sim.snapshot(h.account.sid);
    expect(snap.credential_lists).toEqual([{ sid: expect.stringMatching(/^CL[0-9a-f]{32}$/), friendly_name: 'shelter-sh_001', usernames: ['h001a'] }]);
    const list = snap.credential_lists[0]!.sid;
    expect(snap.mappings).toEqual([
      { domain_sid: snap.sip_domains[0]!.sid, kind: 'registrations', credential_list_sid: list },
      { domain_sid: snap.sip_domains[0]!.sid, kind: 'calls', credential_list_sid: list },
    ]);
    expect(h.sim.checkSipLogin({ domain: 'shelter-line-kddi.sip.twilio.com', username: 'h001a', password: 'Noto2024Shelter' })).toBe(true);
    expect(await carrier.listCredentials('sh_001')).toEqual(['h001a']);
  });

  it('sets a new password on an existing credential instead of making a second one', async () => {
    const carrier = h.carrier();
    await carrier.ensureSipDomain(DOMAIN_SPEC);
    await carrier.ensureCredential({ shelterId: 'sh_001', username: 'h001a', password: 'Noto2024Shelter' });
    await carrier.ensureCredential({ shelterId: 'sh_001', username: 'h001a', password: 'Wajima2024Again' });
    const login = (password: string) => h.sim.checkSipLogin({ domain: 'shelter-line-kddi.sip.twilio.com', username: 'h001a', password });
    expect(login('Wajima2024Again')).toBe(true);
    expect(login('Noto2024Shelter')).toBe(false);
    expect(h.sim.snapshot(h.account.sid).credential_lists[0]!.usernames).toEqual(['h001a']);
  });

  it("refuses a password that breaks Twilio's rule before calling Twilio", async () => {
    const carrier = h.carrier();
    await carrier.ensureSipDomain(DOMAIN_SPEC);
    const before = h.sim.requestCount(h.account.sid);
    for (const password of ['short1A', 'nodigitsHereAtAll', 'alllower12345', 'ALLUPPER12345']) {
      const e = await failure(carrier.ensureCredential({ shelterId: 'sh_001', username: 'h001a', password }));
      expect(e.retryable).toBe(false);
      expect(e.message).toMatch(/SIP password/);
    }
    const long = await failure(carrier.ensureCredential({ shelterId: 'sh_001', username: 'x'.repeat(33), password: 'Noto2024Shelter' }));
    expect(long.message).toMatch(/at most 32/);
    expect(h.sim.requestCount(h.account.sid)).toBe(before);
  });

  it('a credential before the SIP domain exists is a clear non-retryable error', async () => {
    const e = await failure(h.carrier().ensureCredential({ shelterId: 'sh_001', username: 'h001a', password: 'Noto2024Shelter' }));
    expect(e.retryable).toBe(false);
    expect(e.message).toMatch(/ensureSipDomain first/);
  });

  it('deletes one credential, and deleting a missing one is not an error', async () => {
    const carrier = h.carrier();
    await carrier.ensureSipDomain(DOMAIN_SPEC);
    await carrier.ensureCredential({ shelterId: 'sh_001', username: 'h001a', password: 'Noto2024Shelter' });
    await carrier.ensureCredential({ shelterId: 'sh_001', username: 'h001b', password: 'Noto2024Shelter' });
    await carrier.deleteCredential('sh_001', 'h001a');
    await carrier.deleteCredential('sh_001', 'h001a');
    await carrier.deleteCredential('sh_404', 'h001a');
    expect(await carrier.listCredentials('sh_001')).toEqual(['h001b']);
    expect(await carrier.listCredentials('sh_404')).toEqual([]);
  });

  it('closing a shelter removes its mappings and its list, and doing it again is harmless', async () => {
    const carrier = h.carrier();
    await carrier.ensureSipDomain(DOMAIN_SPEC);
    await carrier.ensureCredential({ shelterId: 'sh_001', username: 'h001a', password: 'Noto2024Shelter' });
    await carrier.ensureCredential({ shelterId: 'sh_002', username: 'h002a', password: 'Noto2024Shelter' });
    await carrier.deleteShelterCredentials('sh_001');
    await carrier.deleteShelterCredentials('sh_001');
    const snap = h.sim.snapshot(h.account.sid);
    expect(snap.credential_lists.map((l) => l.friendly_name)).toEqual(['shelter-sh_002']);
    expect(snap.mappings.map((m) => m.credential_list_sid)).toEqual([snap.credential_lists[0]!.sid, snap.credential_lists[0]!.sid]);
    expect(await carrier.listCredentials('sh_001')).toEqual([]);
  });

  it('recreates a list deleted behind its back instead of failing on the stale SID', async () => {
    const carrier = h.carrier();
    await carrier.ensureSipDomain(DOMAIN_SPEC);
    await carrier.ensureCredential({ shelterId: 'sh_001', username: 'h001a', password: 'Noto2024Shelter' });
    await h.carrier().deleteShelterCredentials('sh_001');
    await carrier.ensureCredential({ shelterId: 'sh_001', username: 'h001a', password: 'Noto2024Shelter' });
    const snap = h.sim.snapshot(h.account.sid);
    expect(snap.credential_lists.map((l) => l.usernames)).toEqual([['h001a']]);
    expect(snap.mappings).toHaveLength(2);
  });
});

describe('failures', () => {
  it('a rate-limited request is a retryable CarrierError with status 429', async () => {
    h.sim.seedNumbers(h.account.sid, NANAO);
    h.sim.setRateLimit(h.account.sid, { perSecond: 1, burst: 1 });
    const carrier = h.carrier();
    await carrier.discoverNumbers();
    const e = await failure(carrier.discoverNumbers());
    expect(e).toMatchObject({ retryable: true, status: 429, code: 20429 });
    h.clock.advance(1000);
    await expect(carrier.discoverNumbers()).resolves.toHaveLength(NANAO.length);
  });

  it('an outage (503) is retryable and makes health not ok', async () => {
    h.sim.seedNumbers(h.account.sid, NANAO);
    h.sim.setOutage(h.account.sid, true);
    const carrier = h.carrier();
    const e = await failure(carrier.routeNumber(NANAO[0]!, ROUTING));
    expect(e).toMatchObject({ retryable: true, status: 503 });
    const health = await carrier.health();
    expect(health.ok).toBe(false);
    expect(health.detail).toMatch(/503/);
    h.sim.setOutage(h.account.sid, false);
    expect((await carrier.health()).ok).toBe(true);
  });

  it('a wrong auth token is not retryable', async () => {
    const carrier = h.carrier({ authToken: 'not-the-token' });
    const e = await failure(carrier.discoverNumbers());
    expect(e).toMatchObject({ retryable: false, status: 401, code: 20003 });
    expect((await carrier.health()).ok).toBe(false);
  });

  it('a timeout and a refused connection are retryable', async () => {
    h.sim.setLatency(300);
    const slow = await failure(h.carrier({ timeoutMs: 50 }).discoverNumbers());
    expect(slow.retryable).toBe(true);
    h.sim.setLatency(0);
    const down = createTwilioCarrier({
      carrierId: 'down',
      accountSid: h.account.sid,
      authToken: h.account.authToken,
      apiBaseUrl: 'http://127.0.0.1:9',
      sipDomainName: 'shelter-line-down',
    });
    const refused = await failure(down.discoverNumbers());
    expect(refused).toMatchObject({ retryable: true, code: 'ECONNREFUSED' });
  });

  it('reports health from the account status', async () => {
    expect(await h.carrier().health()).toEqual({ ok: true, detail: `account ${h.account.sid} active` });
  });

  it('refuses bad options with a message naming the field', () => {
    const base = { carrierId: 'kddi', accountSid: h.account.sid, authToken: 't', sipDomainName: 'shelter-line-kddi' };
    expect(() => createTwilioCarrier({ ...base, accountSid: 'XX123' })).toThrow(/accountSid must be AC/);
    expect(() => createTwilioCarrier({ ...base, sipDomainName: 'Shelter.Line.sip.twilio.com' })).toThrow(/sipDomainName/);
    expect(() => createTwilioCarrier({ ...base, apiBaseUrl: 'not a url' })).toThrow(/apiBaseUrl/);
  });
});

describe('SIP domains a real deployment can own', () => {
  it('two deployments (staging, production) with the same carrier id get names of their own, both on Twilio at once', async () => {
    const other = h.sim.createAccount();
    const staging = h.carrier({ sipDomainName: twilioDomainName('staging', 'kddi').replace('.sip.twilio.com', '') });
    const production = h.carrier({ accountSid: other.sid, authToken: other.authToken, sipDomainName: twilioDomainName('prod', 'kddi').replace('.sip.twilio.com', '') });
    expect(await staging.ensureSipDomain(DOMAIN_SPEC)).toEqual({ domain: 'shelter-line-staging-kddi.sip.twilio.com' });
    expect(await production.ensureSipDomain(DOMAIN_SPEC)).toEqual({ domain: 'shelter-line-prod-kddi.sip.twilio.com' });
  });

  it('adopts the domain named before deployment ids when the account has it, instead of making a second one', async () => {
    await h.carrier({ sipDomainName: 'shelter-line-kddi' }).ensureSipDomain(DOMAIN_SPEC);
    const upgraded = h.carrier({ sipDomainName: 'shelter-line-3f9a2c1b-kddi', adoptSipDomainNames: ['shelter-line-kddi'] });
    expect(await upgraded.ensureSipDomain(DOMAIN_SPEC)).toEqual({ domain: 'shelter-line-kddi.sip.twilio.com' });
    await upgraded.ensureCredential({ shelterId: 'sh_001', username: 'h001a', password: 'Noto2024Shelter' });
    expect(h.sim.snapshot(h.account.sid).sip_domains.map((d) => d.domain_name)).toEqual(['shelter-line-kddi.sip.twilio.com']);
    expect(h.sim.checkSipLogin({ domain: 'shelter-line-kddi.sip.twilio.com', username: 'h001a', password: 'Noto2024Shelter' })).toBe(true);
  });

  it('a name another account holds is a non-retryable "held elsewhere" that says what to set', async () => {
    const other = h.sim.createAccount();
    await h.carrier({ accountSid: other.sid, authToken: other.authToken, sipDomainName: 'shelter-line-d1-kddi' }).ensureSipDomain(DOMAIN_SPEC);
    const before = h.sim.requestCount(h.account.sid);
    const e = await failure(h.carrier({ sipDomainName: 'shelter-line-d1-kddi' }).ensureSipDomain(DOMAIN_SPEC));
    expect(e).toMatchObject({ retryable: false, code: 'sip-domain-held-elsewhere' });
    expect(e.message).toMatch(/ORCH_DEPLOYMENT_ID/);
    // One listing, one refused create, one listing to tell a race of ours from another holder: no loop.
    expect(h.sim.requestCount(h.account.sid) - before).toBe(3);
  });

  it('after a member deleted our domain, another ORCH_DEPLOYMENT_ID makes the next one under a new name; a domain still on the account is kept whatever the id', async () => {
    // As registered under deployment d1: the name is recorded on the carrier.
    const doc = { id: 'kddi', twilio: { accountSid: h.account.sid, authTokenEncrypted: '', sipDomain: twilioDomainName('d1', 'kddi') } };
    const under = (deploymentId: string) => {
      const labels = twilioSipDomainLabels(doc, deploymentId);
      return h.carrier({ sipDomainName: labels.make, adoptSipDomainNames: labels.adopt });
    };
    expect(await under('d1').ensureSipDomain(DOMAIN_SPEC)).toEqual({ domain: 'shelter-line-d1-kddi.sip.twilio.com' });
    expect(await under('d2').ensureSipDomain(DOMAIN_SPEC)).toEqual({ domain: 'shelter-line-d1-kddi.sip.twilio.com' });
    // The member deletes it in its console: Twilio keeps the name reserved, for this account too.
    const [made] = h.sim.snapshot(h.account.sid).sip_domains;
    const auth = `Basic ${Buffer.from(`${h.account.sid}:${h.account.authToken}`).toString('base64')}`;
    expect((await fetch(`${h.url}/2010-04-01/Accounts/${h.account.sid}/SIP/Domains/${made!.sid}.json`, { method: 'DELETE', headers: { authorization: auth } })).status).toBe(204);
    expect(await failure(under('d1').ensureSipDomain(DOMAIN_SPEC))).toMatchObject({ code: 'sip-domain-held-elsewhere' });
    // What the alert tells the operator to do works: the recorded name used to win over the new id, and stayed refused.
    expect(await under('d2').ensureSipDomain(DOMAIN_SPEC)).toEqual({ domain: 'shelter-line-d2-kddi.sip.twilio.com' });
  });
});
