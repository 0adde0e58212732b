import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import {
  renderGrandstreamConfig,
  renderPolycomMaster,
  renderPolycomParams,
  renderSoftphoneAccount,
  renderYealinkConfig,
} from '../../provisioning/handsets/index.js';
import { aView, backup, primary } from './handset-fixtures.js';

/** Yealink's format: a version header, then one `key = value` per line. */
function parseYealink(body: string): Map<string, string> {
  const [header, ...lines] = body.split('\n');
  expect(header).toBe('#!version:1.0.0.1');
  const keys = new Map<string, string>();
  for (const line of lines) {
    if (line === '' || line.startsWith('#')) continue;
    const m = /^([A-Za-z0-9_.]+) = (.*)$/.exec(line);
    if (!m) throw new Error(`not a key = value line: ${JSON.stringify(line)}`);
    expect(keys.has(m[1]!), `duplicate key ${m[1]}`).toBe(false);
    keys.set(m[1]!, m[2]!);
  }
  return keys;
}

const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', parseTagValue: false, parseAttributeValue: false });

function grandstreamValues(body: string): Record<string, string> {
  const doc = xml.parse(body, true);
  expect(doc.gs_provision.version).toBe('1');
  return doc.gs_provision.config as Record<string, string>;
}

function polycomParams(body: string): Record<string, string> {
  return xml.parse(body, true).polycomConfig as Record<string, string>;
}

function linphone(body: string): Record<string, Record<string, string>> {
  const sections = xml.parse(body, true).config.section as Array<{ name: string; entry: Array<{ name: string; '#text': string }> }>;
  return Object.fromEntries(sections.map((s) => [s.name, Object.fromEntries([s.entry].flat().map((e) => [e.name, String(e['#text'])]))]));
}

describe('Yealink {mac}.cfg', () => {
  it('registers line 1 on the primary carrier with the backup carrier as sip_server.2', () => {
    const keys = parseYealink(renderYealinkConfig(aView()));
    expect(keys.get('account.1.enable')).toBe('1');
    expect(keys.get('account.1.sip_server.1.address')).toBe(primary.registrar);
    expect(keys.get('account.1.sip_server.1.port')).toBe('5060');
    expect(keys.get('account.1.sip_server.1.transport_type')).toBe('0');
    expect(keys.get('account.1.sip_server.2.address')).toBe(backup.registrar);
    expect(keys.get('account.1.user_name')).toBe(primary.username);
    expect(keys.get('account.1.auth_name')).toBe(primary.authUsername);
    expect(keys.get('account.1.password')).toBe(primary.password);
    expect(keys.get('account.1.label')).toBe('0767-52-0959');
    expect(keys.get('account.1.display_name')).toBe('七尾市立東部中学校 受付');
    expect(keys.has('account.2.enable')).toBe(false);
  });

  it('sets Japan time, NICT NTP, the language and where to fetch the file again', () => {
    const keys = parseYealink(renderYealinkConfig(aView({ language: 'en' })));
    expect(keys.get('local_time.time_zone')).toBe('+9');
    expect(keys.get('local_time.summer_time')).toBe('0');
    expect(keys.get('local_time.ntp_server1')).toBe('ntp.nict.jp');
    expect(keys.get('lang.gui')).toBe('English');
    expect(keys.get('static.auto_provision.server.url')).toBe('https://orch.example.jp/p/tok_abcdef/');
  });

  it('adds line 2 on the backup carrier when its credentials differ from the primary', () => {
    const other = { ...backup, username: 'hsB', authUsername: 'hsB', password: 'pw-B', transport: 'tls' as const, port: 5061 };
    const keys = parseYealink(renderYealinkConfig(aView({ accounts: [primary, other] })));
    expect(keys.get('account.1.sip_server.2.address')).toBe(other.registrar);
    expect(keys.get('account.2.sip_server.1.address')).toBe(other.registrar);
    expect(keys.get('account.2.sip_server.1.transport_type')).toBe('2');
    expect(keys.get('account.2.user_name')).toBe('hsB');
    expect(keys.get('account.2.password')).toBe('pw-B');
  });

  it('has no backup registrar when the shelter has a single carrier', () => {
    const keys = parseYealink(renderYealinkConfig(aView({ accounts: [primary] })));
    expect(keys.get('account.1.sip_server.1.address')).toBe(primary.registrar);
    expect(keys.has('account.1.sip_server.2.address')).toBe(false);
  });

  it('refuses to write a value with a line break even when handed one directly', () => {
    expect(() => renderYealinkConfig(aView({ shelterName: '避難所\naccount.1.password = x' }))).toThrow(/control character/);
  });
});

describe('Grandstream cfg{mac}.xml', () => {
  it('parses as gs_provision XML with the primary server in P47 and the backup in P2312', () => {
    const body = renderGrandstreamConfig(aView({ vendor: 'grandstream', mac: '000b82aabbcc' }));
    expect(body.startsWith('<?xml version="1.0" encoding="UTF-8"?>')).toBe(true);
    expect(xml.parse(body).gs_provision.mac).toBe('000b82aabbcc');
    const p = grandstreamValues(body);
    expect(p.P271).toBe('1');
    expect(p.P47).toBe(`${primary.registrar}:5060`);
    expect(p.P2312).toBe(`${backup.registrar}:5060`);
    expect(p.P35).toBe(primary.username);
    expect(p.P36).toBe(primary.authUsername);
    expect(p.P34).toBe(primary.password);
    expect(p.P3).toBe('七尾市立東部中学校 受付');
    expect(p.P270).toBe('0767-52-0959');
    expect(p.P130).toBe('0');
    expect(p.P1362).toBe('ja');
    expect(p.P30).toBe('ntp.nict.jp');
    expect(p.P212).toBe('2');
    expect(p.P237).toBe('orch.example.jp/p/tok_abcdef');
    expect(p.P401).toBeUndefined();
  });

  it('registers account 2 on the backup carrier when its credentials differ', () => {
    const other = { ...backup, username: 'hsB', authUsername: 'hsB-auth', password: 'pw-B' };
    const p = grandstreamValues(renderGrandstreamConfig(aView({ vendor: 'grandstream', accounts: [primary, other] })));
    expect(p.P401).toBe('1');
    expect(p.P402).toBe(`${other.registrar}:5060`);
    expect(p.P404).toBe('hsB');
    expect(p.P405).toBe('hsB-auth');
    expect(p.P406).toBe('pw-B');
  });

  it('escapes <&"\' so the values read back exactly', () => {
    const tricky = `a<b>&"c'd</P34><P47>evil`;
    const body = renderGrandstreamConfig(
      aView({ vendor: 'grandstream', shelterName: `学校 <&"'>`, accounts: [{ ...primary, password: tricky }] }),
    );
    const p = grandstreamValues(body);
    expect(p.P34).toBe(tricky);
    expect(p.P47).toBe(`${primary.registrar}:5060`);
    expect(p.P3).toBe(`学校 <&"'> 受付`);
  });
});

describe('Polycom {mac}.cfg and {mac}-shelter.cfg', () => {
  const view = aView({ vendor: 'polycom', mac: '0004f2aabbcc' });

  it('has a master file that loads the shelter parameter file', () => {
    const app = xml.parse(renderPolycomMaster(view)).APPLICATION;
    expect(app.CONFIG_FILES).toBe('0004f2aabbcc-shelter.cfg');
  });

  it('parses as polycomConfig XML with reg.1 on the primary and server.2 on the backup carrier', () => {
    const p = polycomParams(renderPolycomParams(view));
    expect(p['reg.1.address']).toBe(primary.username);
    expect(p['reg.1.auth.userId']).toBe(primary.authUsername);
    expect(p['reg.1.auth.password']).toBe(primary.password);
    expect(p['reg.1.server.1.address']).toBe(primary.registrar);
    expect(p['reg.1.server.1.port']).toBe('5060');
    expect(p['reg.1.server.1.transport']).toBe('UDPOnly');
    expect(p['reg.1.server.2.address']).toBe(backup.registrar);
    expect(p['reg.1.label']).toBe('0767-52-0959');
    expect(p['reg.1.displayName']).toBe('七尾市立東部中学校 受付');
    expect(p['tcpIpApp.sntp.gmtOffset']).toBe('32400');
    expect(p['lcl.ml.lang']).toBe('Japanese_Japan');
    expect(p['device.prov.serverName']).toBe('https://orch.example.jp/p/tok_abcdef/');
    expect(p['reg.2.address']).toBeUndefined();
  });

  it('escapes quotes and ampersands inside attribute values', () => {
    const tricky = `p"w'&<x> reg.1.address="evil`;
    const p = polycomParams(renderPolycomParams(aView({ vendor: 'polycom', label: `"2F" & <west>`, accounts: [{ ...primary, password: tricky }] })));
    expect(p['reg.1.auth.password']).toBe(tricky);
    expect(p['reg.1.address']).toBe(primary.username);
    expect(p['reg.1.displayName']).toBe(`七尾市立東部中学校 "2F" & <west>`);
  });
});

describe('softphone account.xml (Linphone remote provisioning)', () => {
  it('carries the primary carrier account only', () => {
    const c = linphone(renderSoftphoneAccount(aView({ vendor: 'softphone', accounts: [primary, { ...backup, username: 'other' }] })));
    expect(c.proxy_0!.reg_proxy).toBe(`<sip:${primary.registrar}:5060;transport=udp>`);
    expect(c.proxy_0!.reg_identity).toBe(`"七尾市立東部中学校 受付" <sip:${primary.username}@${primary.registrar}>`);
    expect(c.auth_info_0!.username).toBe(primary.username);
    expect(c.auth_info_0!.passwd).toBe(primary.password);
    expect(c.auth_info_0!.domain).toBe(primary.registrar);
  });

  it('escapes a password with <&"\' and a quote in the display name', () => {
    const c = linphone(renderSoftphoneAccount(aView({ vendor: 'softphone', label: 'say "hi"', accounts: [{ ...primary, password: `<&"'>` }] })));
    expect(c.auth_info_0!.passwd).toBe(`<&"'>`);
    expect(c.proxy_0!.reg_identity).toBe(`"七尾市立東部中学校 say \\"hi\\"" <sip:${primary.username}@${primary.registrar}>`);
  });

  it('sets a resync interval in every desk-phone file, so a failover reaches the phone without a site visit', () => {
    const view = aView({ resyncMinutes: 15 });
    expect(parseYealink(renderYealinkConfig(view)).get('static.auto_provision.repeat.minutes')).toBe('15');
    const gs = grandstreamValues(renderGrandstreamConfig({ ...view, vendor: 'grandstream' }));
    expect([gs.P194, gs.P193]).toEqual(['1', '15']);
    const poly = xml.parse(renderPolycomParams({ ...view, vendor: 'polycom' }), true).polycomConfig as Record<string, string>;
    expect([poly['prov.polling.enabled'], poly['prov.polling.mode'], poly['prov.polling.period']]).toEqual(['1', 'rel', '900']);
    // Linphone has no periodic poll: it re-reads config-uri at every launch.
    expect(linphone(renderSoftphoneAccount({ ...view, vendor: 'softphone' })).misc!['config-uri']).toBe('https://orch.example.jp/p/tok_abcdef/account.xml');
  });
});
