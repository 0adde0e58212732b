import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Shelter } from '../../provisioning/model/index.js';
import { defaultDrillCarriers } from '../../server/drill/drill-carriers.js';
import { startTestDrill } from '../support/drill-fixture.js';

type Drill = Awaited<ReturnType<typeof startTestDrill>>;
const MAC = '80:5e:c0:ab:cd:01';
const UA = `Yealink SIP-T46S 66.86.0.15 ${MAC}`;

/** Everyone behind a shelter's NAT shares one address: here, every request comes from 127.0.0.1. */
describe('handset provisioning behind a shelter’s NAT', () => {
  let drill: Drill;
  let deskUrl: string;
  let softBase: string;

  beforeAll(async () => {
    const [a, b] = defaultDrillCarriers(10);
    drill = await startTestDrill({ carriers: [a!, b!] });
    const shelters = (await drill.api.call<{ items: Shelter[] }>('GET', '/api/v1/shelters?limit=1000')).body.items;
    const shelter = shelters.find((s) => s.areaCodes.includes('0767'))!;
    await drill.api.call('POST', `/api/v1/shelters/${shelter.id}/open`, {});
    await drill.server.deps.worker.drain({ timeoutMs: 30_000 });
    deskUrl = (await drill.api.call<{ provisioningUrl: string }>('POST', `/api/v1/shelters/${shelter.id}/handsets`, { mac: MAC, vendor: 'yealink' })).body.provisioningUrl;
    softBase = (await drill.api.call<{ provisioningBase: string }>('POST', `/api/v1/shelters/${shelter.id}/handsets`, { vendor: 'softphone' })).body.provisioningBase;
    await drill.server.deps.worker.drain({ timeoutMs: 30_000 });
  }, 90_000);
  afterAll(async () => drill?.dispose());

  it('refuses a desk phone’s file to a request whose User-Agent names no MAC, or none at all', async () => {
    for (const headers of [{}, { 'user-agent': 'curl/8.5.0' }] as Record<string, string>[]) {
      const res = await fetch(deskUrl, { headers });
      expect(res.status, JSON.stringify(headers)).toBe(403);
      expect(await res.text()).not.toContain('password');
    }
  });

  it('serves a softphone’s account file once', async () => {
    const first = await fetch(`${softBase}account.xml`);
    expect(first.status).toBe(200);
    const second = await fetch(`${softBase}account.xml`);
    expect(second.status).toBe(404);
    expect(await second.text()).not.toContain('password');
  });
  // Last: after it, this address is over its failure limit for a minute.
  it('lets a registered phone fetch its file after 100 wrong guesses from the same address, which are throttled', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 100; i++) {
      const guess = `${'g'.repeat(30)}${String(i).padStart(10, '0')}`;
      statuses.push((await fetch(`${drill.url}/p/${guess}/805ec0abcd01.cfg`, { headers: { 'user-agent': UA } })).status);
    }
    expect(statuses.slice(0, 10).every((s) => s === 404)).toBe(true);
    expect(statuses.at(-1)).toBe(429);
    const res = await fetch(deskUrl, { headers: { 'user-agent': UA } });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('account.1.password');
    // And again: a phone re-fetches on every boot.
    expect((await fetch(deskUrl, { headers: { 'user-agent': UA } })).status).toBe(200);
  });

});
