import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import {
  checkProvisioningView,
  fileNamesFor,
  InvalidProvisioningView,
  pseudoMacFor,
  resolveProvisioningFile,
  type HandsetProvisioningView,
} from '../../provisioning/handsets/index.js';
import { aView, primary } from './handset-fixtures.js';

const pseudo = pseudoMacFor('hs_softphone');
const YEALINK_UA = 'Yealink SIP-T46S 66.86.0.15 80:5e:c0:11:22:33';
const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' });

async function okBody(view: HandsetProvisioningView, file: string, ua?: string): Promise<string> {
  const r = await resolveProvisioningFile(view, file, ua);
  if (!r.ok) throw new Error(`${file}: ${r.status} ${r.reason}`);
  expect(r.cacheSeconds).toBe(0);
  return r.body.toString();
}

describe('fileNamesFor', () => {
  it('lists each vendor’s own files, the softphone account and the poster QR codes', () => {
    expect(fileNamesFor('yealink', '80:5E:C0:11:22:33')).toEqual(['805ec0112233.cfg', 'account.xml', 'qr.png', 'qr.svg']);
    expect(fileNamesFor('grandstream', '000b82aabbcc')).toEqual(['cfg000b82aabbcc.xml', 'account.xml', 'qr.png', 'qr.svg']);
    expect(fileNamesFor('polycom', '0004f2aabbcc')).toEqual([
      '0004f2aabbcc.cfg',
      '0004f2aabbcc-shelter.cfg',
      'account.xml',
      'qr.png',
      'qr.svg',
    ]);
    expect(fileNamesFor('softphone', pseudo)).toEqual(['account.xml', 'qr.png', 'qr.svg']);
  });

  it('refuses a malformed MAC with the reason', () => {
    expect(() => fileNamesFor('yealink', 'ff:ff:ff:ff:ff:ff')).toThrow(/broadcast/);
  });

  it.each(['yealink', 'grandstream', 'polycom', 'softphone'] as const)('serves every file it lists for a %s handset', async (vendor) => {
    const view = aView({ vendor });
    // What each vendor's firmware sends: Yealink/Grandstream name the MAC, Polycom names itself.
    const ua = { yealink: `Yealink SIP-T46S 66.86.0.15 ${view.mac.match(/../g)!.join(':')}`, grandstream: `Grandstream GXP2170 DevId ${view.mac}`, polycom: 'FileTransport PolycomVVX-VVX_450-UA/6.3.1.7', softphone: undefined }[vendor];
    for (const name of fileNamesFor(vendor, view.mac)) {
      const r = await resolveProvisioningFile(view, name, ua);
      expect(r.ok, name).toBe(true);
    }
  });
});

describe('resolveProvisioningFile', () => {
  it('serves the Yealink file as text to the handset whose User-Agent names its MAC', async () => {
    const r = await resolveProvisioningFile(aView(), '805ec0112233.cfg', YEALINK_UA);
    expect(r).toMatchObject({ ok: true, contentType: 'text/plain; charset=utf-8', cacheSeconds: 0 });
    expect(r.ok && r.body.toString()).toContain(`account.1.sip_server.1.address = ${primary.registrar}`);
  });

  it('matches the MAC in a file name whatever its case', async () => {
    expect((await resolveProvisioningFile(aView(), '805EC0112233.cfg', YEALINK_UA)).ok).toBe(true);
  });

  it.each([
    ['y000000000044.cfg', /another handset/],
    ['001122334455.cfg', /another handset \(MAC 001122334455\)/],
    ['cfg805ec0112233.xml', /not a provisioning file of this yealink handset/],
    ['805ec0112233-shelter.cfg', /not a provisioning file/],
    ['../805ec0112233.cfg', /not a provisioning file/],
    ['', /not a provisioning file/],
  ])('answers 404 for %j', async (file, reason) => {
    const r = await resolveProvisioningFile(aView(), file, YEALINK_UA);
    expect(r).toMatchObject({ ok: false, status: 404 });
    expect(!r.ok && r.reason).toMatch(reason);
  });

  it('answers 403 when the User-Agent names another MAC', async () => {
    const r = await resolveProvisioningFile(aView(), '805ec0112233.cfg', 'Yealink SIP-T46S 66.86.0.15 80:5e:c0:99:99:99');
    expect(r).toMatchObject({ ok: false, status: 403 });
    expect(!r.ok && r.reason).toMatch(/805ec0999999/);
  });

  it('answers 403 to a Grandstream whose DevId is another phone, and serves the right one', async () => {
    const view = aView({ vendor: 'grandstream', mac: '000b82aabbcc' });
    const other = await resolveProvisioningFile(view, 'cfg000b82aabbcc.xml', 'Grandstream Model HW GXP2170 SW 1.0.11.6 DevId 000b82000001');
    expect(other).toMatchObject({ ok: false, status: 403 });
    const body = await okBody(view, 'cfg000b82aabbcc.xml', 'Grandstream Model HW GXP2170 SW 1.0.11.6 DevId 000b82aabbcc');
    expect(xml.parse(body).gs_provision.config.P47).toBe(`${primary.registrar}:5060`);
  });

  it('accepts a User-Agent that names no MAC, as Polycom’s does, and leads it from the master file to its parameters', async () => {
    const view = aView({ vendor: 'polycom', mac: '0004f2aabbcc' });
    const ua = 'FileTransport PolycomVVX-VVX_450-UA/6.3.1.7 Type/Application';
    const master = xml.parse(await okBody(view, '0004f2aabbcc.cfg', ua));
    const params = xml.parse(await okBody(view, master.APPLICATION.CONFIG_FILES, ua));
    expect(params.polycomConfig['reg.1.server.1.address']).toBe(primary.registrar);
  });

  it('refuses to render a view that would inject a line into a config file', async () => {
    for (const bad of [
      aView({ shelterName: '東部中学校\r\naccount.1.password = x' }),
      aView({ label: 'a\nb' }),
      aView({ accounts: [{ ...primary, password: 'pw\nstatic.auto_provision.server.url = http://evil/' }] }),
    ]) {
      await expect(resolveProvisioningFile(bad, '805ec0112233.cfg', undefined)).rejects.toThrow(InvalidProvisioningView);
    }
  });
});

describe('checkProvisioningView', () => {
  it('accepts a well-formed view', () => {
    expect(checkProvisioningView(aView())).toEqual(aView());
  });

  it.each([
    ['a control character in the shelter name', { shelterName: '学校\n' }, /shelterName: must not contain control characters/],
    ['a registrar that is not a host name', { accounts: [{ ...primary, registrar: 'evil.example\naccount.1.x' }] }, /accounts.0.registrar/],
    ['a SIP user with a space or @', { accounts: [{ ...primary, username: 'a b@c' }] }, /accounts.0.username/],
    ['two primaries', { accounts: [primary, primary] }, /exactly one primary/],
    ['an upper-case MAC', { mac: '805EC0112233' }, /normalizeMac/],
    ['a non-http provisioning URL', { provisioningUrl: 'ftp://orch.example.jp/p/x/' }, /provisioningUrl/],
    ['a short code of 3 digits', { shortCode: '123' }, /shortCode/],
  ])('refuses %s with the failing field named', (_what, over, message) => {
    expect(() => checkProvisioningView(aView(over as Partial<HandsetProvisioningView>))).toThrow(message);
  });
});
