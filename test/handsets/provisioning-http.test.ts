import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Handset, Shelter } from '../../provisioning/model/index.js';
import { defaultDrillCarriers } from '../../server/drill/drill-carriers.js';
import { startTestDrill } from '../support/drill-fixture.js';

type Drill = Awaited<ReturnType<typeof startTestDrill>>;

/** `key = value` lines of a Yealink file. */
function yealinkKeys(text: string): Map<string, string> {
  return new Map(text.split('\n').filter((l) => l.includes(' = ')).map((l) => {
    const i = l.indexOf(' = ');
    return [l.slice(0, i).trim(), l.slice(i + 3).trim()] as [string, string];
  }));
}

const YEALINK_UA = (mac: string) => `Yealink SIP-T46S 66.86.0.15 ${mac}`;

describe('a handset plugged in at a shelter (GET /p/{token}/{file})', () => {
  let drill: Drill;
  let shelter: Shelter;
  let url: string;
  let handset: Handset;

  beforeAll(async () => {
    const [a, b] = defaultDrillCarriers(10);
    drill = await startTestDrill({ carriers: [a!, b!] });
    const shelters = (await drill.api.call<{ items: Shelter[] }>('GET', '/api/v1/shelters?limit=1000')).body.items;
    shelter = shelters.find((s) => s.areaCodes.includes('0767'))!;
    await drill.api.call('POST', `/api/v1/shelters/${shelter.id}/open`, {});
    await drill.server.deps.worker.drain({ timeoutMs: 30_000 });
    const registered = await drill.api.call<{ provisioningUrl: string; handset: Handset }>('POST', `/api/v1/shelters/${shelter.id}/handsets`, { mac: '80-5E-C0-AB-CD-EF', vendor: 'yealink', label: '受付' });
    expect(registered.status).toBe(201);
    url = registered.body.provisioningUrl;
    handset = registered.body.handset;
    await drill.server.deps.worker.drain({ timeoutMs: 30_000 });
  }, 90_000);
  afterAll(async () => drill?.dispose());

  it('answers registration with the vendor file URL and creates the credential on both carriers', () => {
    expect(url).toMatch(/\/p\/[A-Za-z0-9_-]{40,}\/805ec0abcdef\.cfg$/);
    expect(handset.credentials.map((c) => c.role)).toEqual(['primary', 'backup']);
    for (const c of drill.carriers) {
      const lists = drill.sim.snapshot(c.account!.sid).credential_lists;
      expect(lists.find((l) => l.friendly_name === `shelter-${shelter.id}`)?.usernames).toEqual([handset.sipUsername]);
    }
  });

  it('serves the Yealink file with the primary registrar and the backup in sip_server.2, and records last seen', async () => {
    const res = await fetch(url, { headers: { 'user-agent': YEALINK_UA('80:5e:c0:ab:cd:ef') } });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const keys = yealinkKeys(await res.text());
    const [primary, backup] = handset.credentials;
    expect(keys.get('account.1.sip_server.1.address')).toBe(primary!.domain);
    expect(keys.get('account.1.sip_server.2.address')).toBe(backup!.domain);
    expect(keys.get('account.1.user_name')).toBe(handset.sipUsername);
    const seen = await drill.server.deps.store.get('handsets', handset.id);
    expect(seen!.lastSeenAt).not.toBeNull();
  });

  it('puts a healthy carrier’s registrar first once the primary carrier is down, and shows who runs an old file', async () => {
    const [primary, backup] = handset.credentials;
    const staleOnBoard = async () => {
      const d = (await drill.api.call<{ handsets: Handset[] }>('GET', `/api/v1/shelters/${shelter.id}`)).body.handsets.find((h) => h.id === handset.id)!;
      return d.configVersion !== d.fetchedConfigVersion;
    };
    expect(await staleOnBoard()).toBe(false);
    await drill.api.call('POST', `/api/v1/carriers/${primary!.carrierId}/health`, { down: true, reason: 'drill: primary carrier down' });
    // The phone has not fetched since: the board can tell it runs an old file.
    expect(await staleOnBoard()).toBe(true);
    const res = await fetch(url, { headers: { 'user-agent': YEALINK_UA('80:5e:c0:ab:cd:ef') } });
    const keys = yealinkKeys(await res.text());
    expect(keys.get('account.1.sip_server.1.address')).toBe(backup!.domain);
    expect(keys.get('account.1.sip_server.2.address')).toBe(primary!.domain);
    expect(keys.get('static.auto_provision.repeat.enable')).toBe('1');
    expect(Number(keys.get('static.auto_provision.repeat.minutes'))).toBeLessThanOrEqual(60);
    expect(await staleOnBoard()).toBe(false);

    // A handset registered during the outage gets the healthy carrier as its primary registrar.
    const during = await drill.api.call<{ handset: Handset }>('POST', `/api/v1/shelters/${shelter.id}/handsets`, { mac: '80-5E-C0-AB-CD-01', vendor: 'yealink', label: '2F' });
    expect(during.body.handset.credentials.find((c) => c.role === 'primary')!.carrierId).toBe(backup!.carrierId);

    await drill.api.call('POST', `/api/v1/carriers/${primary!.carrierId}/health`, { down: false, reason: 'drill: recovered' });
    await drill.server.deps.worker.drain({ timeoutMs: 30_000 });
    const after = yealinkKeys(await (await fetch(url, { headers: { 'user-agent': YEALINK_UA('80:5e:c0:ab:cd:ef') } })).text());
    expect(after.get('account.1.sip_server.1.address')).toBe(primary!.domain);
  });

  it('refuses a User-Agent naming another MAC (403), another file or an unknown token (404)', async () => {
    expect((await fetch(url, { headers: { 'user-agent': YEALINK_UA('80:5e:c0:00:00:01') } })).status).toBe(403);
    expect((await fetch(url.replace('805ec0abcdef.cfg', '805ec0000001.cfg'))).status).toBe(404);
    expect((await fetch(url.replace(/\/p\/[^/]+\//, '/p/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/'))).status).toBe(404);
  });

  it('refuses a malformed MAC and a handset for a closed shelter, writing nothing', async () => {
    const before = (await drill.server.deps.store.query('handsets', { limit: 100 })).items.length;
    const bad = await drill.api.call('POST', `/api/v1/shelters/${shelter.id}/handsets`, { mac: 'zz:zz', vendor: 'yealink' }, { ok: [400] });
    expect(bad.status).toBe(400);
    const closedShelter = (await drill.api.call<{ items: Shelter[] }>('GET', '/api/v1/shelters?desiredStatus=closed&limit=1')).body.items[0]!;
    const closed = await drill.api.call('POST', `/api/v1/shelters/${closedShelter.id}/handsets`, { mac: '80:5e:c0:00:00:02', vendor: 'grandstream' }, { ok: [409] });
    expect(closed.status).toBe(409);
    expect((await drill.server.deps.store.query('handsets', { limit: 100 })).items.length).toBe(before);
  });

  it('after the shelter closes: the same URL answers 404 and no credential is left on either carrier', async () => {
    await drill.api.call('POST', `/api/v1/shelters/${shelter.id}/close`, {});
    await drill.server.deps.worker.drain({ timeoutMs: 30_000 });
    expect((await fetch(url, { headers: { 'user-agent': YEALINK_UA('80:5e:c0:ab:cd:ef') } })).status).toBe(404);
    for (const c of drill.carriers) {
      expect(drill.sim.snapshot(c.account!.sid).credential_lists.filter((l) => l.friendly_name === `shelter-${shelter.id}`)).toEqual([]);
    }
  });

  it('rate-limits failed provisioning requests per address, never the successful fetches', async () => {
    const statuses: number[] = [];
    // Without a User-Agent naming its MAC, the desk phone's file is refused: these are failures.
    for (let i = 0; i < 40; i++) statuses.push((await fetch(url)).status);
    // Earlier tests' refusals already count against this address and token prefix.
    expect([403, 404, 429]).toContain(statuses[0]);
    expect(statuses.at(-1)).toBe(429);
    // A registered phone's own fetch is never throttled: test/security/provisioning-nat.test.ts.
  });
});
