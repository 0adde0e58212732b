import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { CallRecord, Handset, PhoneNumber, Shelter } from '../../provisioning/model/index.js';
import { defaultDrillCarriers } from '../../server/drill/drill-carriers.js';
import { kamcmd, startKamailioConnector } from '../../server/connectors/kamailio/kamailio-connector.js';
import { allNumbers, startTestDrill } from '../drill/drill-fixture.js';

const has = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
const AVAILABLE = has('kamailio') && has('sipp') && has('kamcmd');
if (!AVAILABLE) console.warn('*** kamailio, kamcmd or sipp (Debian: kamailio kamailio-json-modules kamailio-utils-modules sip-tester) not installed: the real-SIP integration test is SKIPPED ***');

const CFG = resolve('server/connectors/kamailio/kamailio.cfg');
const API = 'ip-phone-net';
const DOMAIN = `${API}.sip.shelter-line.jp`;
const A = 'CC0000000504';
const B = 'CC0000000505';
const DEADLINE_MS = 15_000;

/** SIPp's exit status (0: every call went as the scenario says), with a deadline. */
function runSipp(args: string[]): Promise<{ status: number | null }> {
  return new Promise((done) => {
    const p = spawn('sipp', args, { stdio: 'ignore' });
    const timer = setTimeout(() => p.kill('SIGKILL'), 20_000);
    p.on('exit', (status) => {
      clearTimeout(timer);
      done({ status });
    });
  });
}

async function freeUdpPort(): Promise<number> {
  const s = createSocket('udp4');
  await new Promise<void>((r) => s.bind(0, '127.0.0.1', r));
  const port = s.address().port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/**
 * Whether some process listens on this UDP port (a SIPp that started there). Read from the kernel's
 * table, not by trying to bind it: a probe that held the port for a moment could make SIPp fail to start.
 */
function udpPortTaken(port: number): boolean {
  const hex = `:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  return readFileSync('/proc/net/udp', 'utf8').split('\n').slice(1).some((line) => line.trim().split(/\s+/)[1]?.endsWith(hex));
}

/** Polls until `check` passes, at most `ms`: processes outside our control start in their own time. */
async function until<T>(what: string, check: () => Promise<T | null | undefined>, ms = DEADLINE_MS): Promise<T> {
  const end = Date.now() + ms;
  let last: unknown = null;
  while (Date.now() < end) {
    try {
      const v = await check();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${what} did not happen within ${ms} ms${last ? `: ${String(last)}` : ''}`);
}

/** The handset: registers, then places one call to [service] and expects `code`; a 200 is acknowledged and hung up. */
function handsetScenario(code: number, reason: string | null): string {
  const invite = (auth: boolean) => `
  <send retrans="500"><![CDATA[
INVITE sip:[service]@[$domain] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
From: <sip:[$user]@[$domain]>;tag=[call_number]
To: <sip:[service]@[$domain]>
Call-ID: [call_id]
CSeq: ${auth ? 2 : 1} INVITE
Contact: <sip:[$user]@[local_ip]:[local_port]>
${auth ? '[authentication]\n' : ''}Max-Forwards: 70
Content-Type: application/sdp
Content-Length: [len]

v=0
o=- 1 1 IN IP4 [local_ip]
s=-
c=IN IP4 [local_ip]
t=0 0
m=audio [media_port] RTP/AVP 0
]]></send>`;
  const ack = (cseq: number, routed: boolean) => `
  <send><![CDATA[
ACK ${routed ? '[next_url]' : 'sip:[service]@[$domain]'} SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
From: <sip:[$user]@[$domain]>;tag=[call_number]
To: <sip:[service]@[$domain]>[peer_tag_param]
Call-ID: [call_id]
CSeq: ${cseq} ACK
${routed ? '[routes]\n' : ''}Max-Forwards: 70
Content-Length: 0
]]></send>`;
  const answered = code === 200
    ? `
  <recv response="200" rrs="true" rtd="true"/>
  ${ack(2, true)}
  <send retrans="500"><![CDATA[
BYE [next_url] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
From: <sip:[$user]@[$domain]>;tag=[call_number]
To: <sip:[service]@[$domain]>[peer_tag_param]
Call-ID: [call_id]
CSeq: 3 BYE
[routes]
Max-Forwards: 70
Content-Length: 0
]]></send>
  <recv response="200"/>`
    : `
  <recv response="${code}" rtd="true">${reason ? `
    <action><ereg regexp="X-Shelter-Line-Reason: ${reason}" search_in="msg" check_it="true" assign_to="why"/></action>
  ` : ''}</recv>${reason ? '\n  <Reference variables="why"/>' : ''}
  ${ack(2, false)}`;
  return `<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="shelter handset">
  <Global variables="user,domain"/>
  <send retrans="500"><![CDATA[
REGISTER sip:[$domain] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
From: <sip:[$user]@[$domain]>;tag=r[call_number]
To: <sip:[$user]@[$domain]>
Call-ID: [call_id]
CSeq: 1 REGISTER
Contact: <sip:[$user]@[local_ip]:[local_port]>
Expires: 600
Max-Forwards: 70
Content-Length: 0
]]></send>
  <recv response="401" auth="true"/>
  <send retrans="500"><![CDATA[
REGISTER sip:[$domain] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
From: <sip:[$user]@[$domain]>;tag=r[call_number]
To: <sip:[$user]@[$domain]>
Call-ID: [call_id]
CSeq: 2 REGISTER
Contact: <sip:[$user]@[local_ip]:[local_port]>
[authentication]
Expires: 600
Max-Forwards: 70
Content-Length: 0
]]></send>
  <recv response="200"/>
  ${invite(false)}
  <recv response="100" optional="true"/>
  <recv response="407" auth="true"/>
  ${ack(1, false)}
  ${invite(true)}
  <recv response="100" optional="true"/>
  <recv response="180" optional="true"/>
  ${answered}
</scenario>`;
}

/** The member's outbound trunk: answers every INVITE, then takes the BYE. */
const TRUNK_SCENARIO = `<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="member trunk">
  <recv request="INVITE"/>
  <send><![CDATA[
SIP/2.0 200 OK
[last_Via:]
[last_From:]
[last_To:];tag=[call_number]
[last_Call-ID:]
[last_CSeq:]
[last_Record-Route:]
Contact: <sip:trunk@[local_ip]:[local_port]>
Content-Type: application/sdp
Content-Length: [len]

v=0
o=- 1 1 IN IP4 [local_ip]
s=-
c=IN IP4 [local_ip]
t=0 0
m=audio [media_port] RTP/AVP 0
]]></send>
  <recv request="ACK"/>
  <recv request="BYE"/>
  <send><![CDATA[
SIP/2.0 200 OK
[last_Via:]
[last_From:]
[last_To:]
[last_Call-ID:]
[last_CSeq:]
Content-Length: 0
]]></send>
</scenario>`;

/** A handset that only registers its contact (the port a second SIPp then answers on). */
const REGISTER_SCENARIO = `<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="register only">
  <Global variables="user,domain"/>
  <send retrans="500"><![CDATA[
REGISTER sip:[$domain] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
From: <sip:[$user]@[$domain]>;tag=r[call_number]
To: <sip:[$user]@[$domain]>
Call-ID: [call_id]
CSeq: 1 REGISTER
Contact: <sip:[$user]@[local_ip]:[local_port]>
Expires: 600
Max-Forwards: 70
Content-Length: 0
]]></send>
  <recv response="401" auth="true"/>
  <send retrans="500"><![CDATA[
REGISTER sip:[$domain] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
From: <sip:[$user]@[$domain]>;tag=r[call_number]
To: <sip:[$user]@[$domain]>
Call-ID: [call_id]
CSeq: 2 REGISTER
Contact: <sip:[$user]@[local_ip]:[local_port]>
[authentication]
Expires: 600
Max-Forwards: 70
Content-Length: 0
]]></send>
  <recv response="200"/>
</scenario>`;

/** The member's trunk sending a call to a shelter number (SIPp scenario lines), up to the final answer. */
const TRUNK_INVITE = `  <send retrans="500"><![CDATA[
INVITE sip:[service]@[remote_ip]:[remote_port] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
From: <sip:+81312345678@[local_ip]>;tag=[call_number]
To: <sip:[service]@[remote_ip]>
Call-ID: [call_id]
CSeq: 1 INVITE
Contact: <sip:trunk@[local_ip]:[local_port]>
Max-Forwards: 70
Content-Type: application/sdp
Content-Length: [len]

v=0
o=- 1 1 IN IP4 [local_ip]
s=-
c=IN IP4 [local_ip]
t=0 0
m=audio [media_port] RTP/AVP 0
]]></send>
  <recv response="100" optional="true"/>
  <recv response="180" optional="true"/>
`;

/** The member's trunk delivering a call to a shelter number: expects it answered, then hangs up. */
const TRUNK_CALL_SCENARIO = `<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="trunk call">
${TRUNK_INVITE}  <recv response="200" rrs="true"/>
  <send><![CDATA[
ACK [next_url] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
From: <sip:+81312345678@[local_ip]>;tag=[call_number]
To: <sip:[service]@[remote_ip]>[peer_tag_param]
Call-ID: [call_id]
CSeq: 1 ACK
[routes]
Max-Forwards: 70
Content-Length: 0
]]></send>
  <send retrans="500"><![CDATA[
BYE [next_url] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
From: <sip:+81312345678@[local_ip]>;tag=[call_number]
To: <sip:[service]@[remote_ip]>[peer_tag_param]
Call-ID: [call_id]
CSeq: 2 BYE
[routes]
Max-Forwards: 70
Content-Length: 0
]]></send>
  <recv response="200"/>
</scenario>`;

/** The trunk delivering a call that Kamailio redirects (302): acknowledged, nothing else. */
const TRUNK_REDIRECTED_SCENARIO = `<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="trunk call redirected">
${TRUNK_INVITE}  <recv response="302"/>
  <send><![CDATA[
ACK sip:[service]@[remote_ip]:[remote_port] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
From: <sip:+81312345678@[local_ip]>;tag=[call_number]
To: <sip:[service]@[remote_ip]>[peer_tag_param]
Call-ID: [call_id]
CSeq: 1 ACK
Max-Forwards: 70
Content-Length: 0
]]></send>
</scenario>`;

/** A registered handset that is busy: 486 to the INVITE Kamailio rings it with. */
const BUSY_HANDSET_SCENARIO = `<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="busy handset">
  <recv request="INVITE"/>
  <send><![CDATA[
SIP/2.0 486 Busy Here
[last_Via:]
[last_From:]
[last_To:];tag=[call_number]
[last_Call-ID:]
[last_CSeq:]
Content-Length: 0
]]></send>
  <recv request="ACK"/>
</scenario>`;

describe.skipIf(!AVAILABLE)('Kamailio as a member\'s SIP edge, asking the call-decision API (real SIP: SIPp handset and trunk)', () => {
  type Drill = Awaited<ReturnType<typeof startTestDrill>>;
  let drill: Drill;
  let dir: string;
  let kamailio: ChildProcess;
  let trunk: ChildProcess;
  let connector: ReturnType<typeof startKamailioConnector>;
  let startKamailio: () => Promise<void>;
  let kamPort: number;
  let trunkHost: string;
  let ctl: string;
  let kamLogFd: number;
  const kamLog = () => readFileSync(join(dir, 'kamailio.log'), 'latin1').split('\n').filter((l) => !l.includes(' INFO: ')).join('\n');
  const handsets: Record<string, { username: string; password: string }> = {};
  const lines: Record<string, PhoneNumber> = {};

  const trunkLog = () => (existsSync(join(dir, 'trunk.log')) ? readFileSync(join(dir, 'trunk.log'), 'latin1') : '');
  /** The INVITEs the trunk received, each as its Request-URI user and its headers. */
  const relayedInvites = () =>
    trunkLog()
      .split(/-{20,}[^\n]*\n/)
      .filter((m) => /^INVITE sip:/m.test(m))
      .map((m) => ({ user: /^INVITE sip:([^@\s]+)@/m.exec(m)![1]!, pai: /^P-Asserted-Identity:\s*(.*)$/im.exec(m)?.[1]?.trim() ?? null, tone: /^X-Shelter-Line-Tone:\s*(.*)$/im.exec(m)?.[1]?.trim() ?? null }));

  /** One call from a shelter handset through Kamailio: SIPp's exit status says whether `code` came back. */
  /** `reason`: the X-Shelter-Line-Reason a refusal must carry (the decision's reason), checked by SIPp. */
  async function call(handset: { username: string; password: string }, dialled: string, code: number, reason: string | null = null) {
    const port = await freeUdpPort();
    const callId = `hs${++calls}-1@127.0.0.1`;
    const scenario = join(dir, `uac-${dialled}.xml`);
    writeFileSync(scenario, handsetScenario(code, reason));
    // Asynchronous: the orchestrator Kamailio asks runs in this very process.
    const r = await runSipp([
      `127.0.0.1:${kamPort}`, '-sf', scenario, '-i', '127.0.0.1', '-p', String(port), '-m', '1', '-s', dialled,
      '-au', handset.username, '-ap', handset.password, '-set', 'user', handset.username, '-set', 'domain', DOMAIN,
      '-timeout', '10s', '-timeout_error', '-recv_timeout', '8000', '-nostdin', '-trace_err', '-error_file', join(dir, `uac-${dialled}.err`),
      '-cid_str', `hs${calls}-%u@%s`,
    ]);
    const errors = existsSync(join(dir, `uac-${dialled}.err`)) ? readFileSync(join(dir, `uac-${dialled}.err`), 'latin1') : '';
    return { ok: r.status === 0, callId, detail: `sipp exit ${r.status}\n${errors.slice(-2000)}\nkamailio:\n${kamLog().slice(-3000)}` };
  }
  let calls = 0;
  /** The call record of a call Kamailio asked about, once the events it posted have landed. */
  const recordOf = (what: string, find: (c: CallRecord) => boolean, status: string) =>
    until(`${what}: its call record ${status}`, async () => {
      const c = ((await drill.server.deps.store.query('calls', { where: { carrierId: API }, limit: 500 })).items as CallRecord[]).find(find);
      return c?.status === status ? c : null;
    });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sl-kamailio-'));
    const [twilio, , api] = defaultDrillCarriers(10);
    drill = await startTestDrill({ carriers: [twilio!, api!], apiMember: false });
    const token = drill.carriers.find((c) => c.id === API)!.token!;

    const trunkPort = await freeUdpPort();
    trunkHost = `127.0.0.1:${trunkPort}`;
    writeFileSync(join(dir, 'trunk.xml'), TRUNK_SCENARIO);
    trunk = spawn('sipp', ['-sf', join(dir, 'trunk.xml'), '-i', '127.0.0.1', '-p', String(trunkPort), '-nostdin', '-trace_msg', '-message_file', join(dir, 'trunk.log')], { stdio: 'ignore' });

    kamPort = await freeUdpPort();
    kamLogFd = openSync(join(dir, 'kamailio.log'), 'a');
    ctl = `unix:${join(dir, 'ctl.sock')}`;
    startKamailio = async () => {
      kamailio = spawn('kamailio', ['-DD', '-E', '-f', CFG, '-l', `udp:127.0.0.1:${kamPort}`, '-w', dir, '-Y', dir, '-P', join(dir, 'kamailio.pid'), '-m', '32', '-M', '4'], {
        env: { ...process.env, SHELTER_LINE_URL: drill.url, SHELTER_LINE_TOKEN: token, SIP_DOMAIN: DOMAIN, TRUNK_HOST: `127.0.0.1:${trunkPort}`, TRUNK_IP: '127.0.0.2', CTL_SOCKET: ctl },
        stdio: ['ignore', kamLogFd, kamLogFd],
      });
      await until('kamailio answering on its ctl socket', async () => (await kamcmd(ctl, 'core.uptime')).includes('uptime'));
    };
    await startKamailio();
    connector = startKamailioConnector({ baseUrl: drill.url, carrierId: API, token, ctlSocket: ctl, credentialsFile: join(dir, 'credentials.json'), checkEveryMs: 100 });

    for (const id of [A, B]) await drill.api.call('POST', `/api/v1/shelters/${id}/open`, {});
    await drill.server.deps.worker.drain({ timeoutMs: 30_000 });
    for (const id of [A, B]) await drill.api.call('POST', `/api/v1/shelters/${id}/handsets`, { vendor: 'softphone', label: 'desk' });
    await drill.server.deps.worker.drain({ timeoutMs: 30_000 });

    const numbers = await allNumbers(drill);
    for (const id of [A, B]) {
      lines[id] = numbers.find((n) => n.shelterId === id && n.carrierId === API && n.state === 'in_service')!;
      const { items } = await drill.server.deps.store.query('handsets', { where: { shelterId: id }, limit: 10 });
      const cred = (items as Handset[]).flatMap((h) => h.credentials).find((c) => c.carrierId === API && c.state === 'active')!;
      const order = await until(`the create_credential order of ${id} applied to Kamailio`, async () => connector.completed.find((o) => o.action === 'create_credential' && o.params.username === cred.username));
      handsets[id] = { username: cred.username, password: String(order.params.password) };
    }
  }, 120_000);

  afterAll(async () => {
    await connector?.stop();
    for (const p of [kamailio, trunk]) if (p && p.exitCode === null) p.kill('SIGTERM');
    await drill?.dispose();
    if (kamLogFd !== undefined) closeSync(kamLogFd);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('the JSON member\'s route_number orders name the call-decision API, and its handsets are loaded into Kamailio', async () => {
    expect(lines[A]?.state).toBe('in_service');
    const routed = connector.completed.find((o) => o.action === 'route_number' && o.params.e164 === lines[A]!.e164)!;
    expect(routed.params).toMatchObject({ callControl: 'json', contract: 'shelter-line.call-decision.v1', outboundDecisionUrl: `${drill.url}/api/v1/call-decisions/outbound` });
    expect(routed.params.voiceUrl).toBeUndefined();
    expect(await kamcmd(ctl, 'htable.get', 'creds', handsets[A]!.username)).toContain(handsets[A]!.password);
  });

  it('relays a domestic call to the trunk with the shelter line as caller ID and the identification tone flagged', async () => {
    const r = await call(handsets[A]!, '0312345678', 200);
    expect(r.ok, r.detail).toBe(true);
    const invite = await until('the trunk logging the INVITE', async () => relayedInvites().find((i) => i.user === '+81312345678'));
    expect(invite.pai).toBe(`<sip:${lines[A]!.e164}@${DOMAIN}>`);
    expect(invite.tone).toBe('caller=true;callee=true');
    // Kamailio posted answered, then completed with the duration, to the call-events API.
    const record = await recordOf('the domestic call', (c) => c.callSid === `${API}:${r.callId}`, 'completed');
    expect(record).toMatchObject({ direction: 'outbound', shelterId: A, callerId: lines[A]!.e164 });
    expect(record.durationSeconds).toBeLessThanOrEqual(1); // SIPp hangs up at once
    expect(record.endedAt).not.toBeNull();
  }, 30_000);

  it('connects a short code to the other shelter\'s number', async () => {
    const shelterB = (await drill.server.deps.store.get('shelters', B)) as Shelter;
    const r = await call(handsets[A]!, shelterB.shortCode!, 200);
    expect(r.ok, r.detail).toBe(true);
    const invite = await until('the trunk logging the INVITE', async () => relayedInvites().find((i) => i.user === lines[B]!.e164));
    expect(invite.pai).toBe(`<sip:${lines[A]!.e164}@${DOMAIN}>`);
  }, 30_000);

  it('refuses 0990 (premium) with 403 and relays nothing', async () => {
    const before = relayedInvites().length;
    const r = await call(handsets[A]!, '09901234567', 403, 'premium');
    expect(r.ok, r.detail).toBe(true);
    expect(relayedInvites().length).toBe(before);
  }, 30_000);

  it('answers 110 from a 050 line (no emergency capability) with guidance: 380 Alternative Service', async () => {
    const before = relayedInvites().length;
    const r = await call(handsets[A]!, '110', 380, '110');
    expect(r.ok, r.detail).toBe(true);
    expect(relayedInvites().length).toBe(before);
  }, 30_000);

  it('relays 171 (a special number the member\'s lines reach) to the trunk like any call, with the shelter line as caller ID and the tone flagged', async () => {
    await drill.api.call('PUT', `/api/v1/carriers/${API}/special-numbers`, { specialNumbers: ['171'], reason: 'the member routes 171 on its trunk' });
    try {
      const r = await call(handsets[A]!, '171', 200);
      expect(r.ok, r.detail).toBe(true);
      const invite = await until('the trunk logging the INVITE', async () => relayedInvites().find((i) => i.user === '171'));
      expect(invite.pai).toBe(`<sip:${lines[A]!.e164}@${DOMAIN}>`);
      expect(invite.tone).toBe('caller=true;callee=true');
    } finally {
      await drill.api.call('PUT', `/api/v1/carriers/${API}/special-numbers`, { specialNumbers: [], reason: 'test over' });
    }
  }, 30_000);

  it('answers 171 with guidance (380) when none of the shelter\'s carriers reaches it', async () => {
    const before = relayedInvites().length;
    const r = await call(handsets[A]!, '171', 380, '171');
    expect(r.ok, r.detail).toBe(true);
    expect(relayedInvites().length).toBe(before);
  }, 30_000);

  it('rings the shelter\'s handset registered on Kamailio when the trunk delivers a call to the shelter number', async () => {
    const port = await freeUdpPort();
    writeFileSync(join(dir, 'register.xml'), REGISTER_SCENARIO);
    const h = handsets[A]!;
    const registered = await runSipp([`127.0.0.1:${kamPort}`, '-sf', join(dir, 'register.xml'), '-i', '127.0.0.1', '-p', String(port), '-m', '1', '-au', h.username, '-ap', h.password, '-set', 'user', h.username, '-set', 'domain', DOMAIN, '-timeout', '10s', '-timeout_error', '-nostdin']);
    expect(registered.status, kamLog().slice(-2000)).toBe(0);
    // The same port now answers as the handset; the trunk calls the shelter's line on this member.
    const handsetLog = join(dir, 'handset.log');
    const answering = runSipp(['-sf', join(dir, 'trunk.xml'), '-i', '127.0.0.1', '-p', String(port), '-m', '1', '-nostdin', '-trace_msg', '-message_file', handsetLog, '-timeout', '10s', '-timeout_error']);
    // SIPp binds in its own time: deliver the call only once the handset side listens (under load it
    // was not yet, and Kamailio's INVITE to it failed).
    await until('the answering handset listening', async () => udpPortTaken(port));
    writeFileSync(join(dir, 'trunk-call.xml'), TRUNK_CALL_SCENARIO);
    const delivered = await runSipp([`127.0.0.1:${kamPort}`, '-sf', join(dir, 'trunk-call.xml'), '-i', '127.0.0.2', '-p', String(await freeUdpPort()), '-m', '1', '-s', lines[A]!.e164, '-timeout', '10s', '-timeout_error', '-nostdin']);
    expect(delivered.status, kamLog().slice(-2000)).toBe(0);
    expect((await answering).status).toBe(0);
    expect(readFileSync(handsetLog, 'latin1')).toMatch(new RegExp(`^INVITE sip:${h.username}@127\\.0\\.0\\.1:${port}`, 'm'));
    await recordOf('the call the trunk delivered', (c) => c.direction === 'inbound' && c.to === lines[A]!.e164, 'completed');
  }, 40_000);

  /** The trunk delivers a call to `e164`; the 302 Kamailio answers with, as the trunk logged it. */
  async function deliverRedirected(e164: string, name: string) {
    writeFileSync(join(dir, 'trunk-redirected.xml'), TRUNK_REDIRECTED_SCENARIO);
    const log = join(dir, `${name}.log`);
    const n = ++calls;
    const r = await runSipp([`127.0.0.1:${kamPort}`, '-sf', join(dir, 'trunk-redirected.xml'), '-i', '127.0.0.2', '-p', String(await freeUdpPort()), '-m', '1', '-s', e164, '-timeout', '10s', '-timeout_error', '-nostdin', '-trace_msg', '-message_file', log, '-cid_str', `tr${n}-%u@%s`]);
    const reply = (existsSync(log) ? readFileSync(log, 'latin1') : '').split(/-{20,}[^\n]*\n/).find((m) => /^SIP\/2\.0 302 /m.test(m)) ?? '';
    return { ok: r.status === 0, callId: `tr${n}-1@127.0.0.2`, contact: /^Contact:\s*(.*)$/im.exec(reply)?.[1]?.trim() ?? null, detail: `sipp exit ${r.status}\nkamailio:\n${kamLog().slice(-2000)}` };
  }
  const otherLineOf = async (shelterId: string) => (await allNumbers(drill)).find((n) => n.shelterId === shelterId && n.carrierId !== API && n.state === 'in_service')!.e164;

  it('redirects a call for a shelter whose handset is not registered here to its number on the other carrier (302, the ring\'s onNoAnswer)', async () => {
    const r = await deliverRedirected(lines[B]!.e164, 'unregistered');
    expect(r.ok, r.detail).toBe(true);
    expect(r.contact).toBe(`<sip:${await otherLineOf(B)}@${trunkHost}>`);
    await recordOf('the call no handset took', (c) => c.callSid === `${API}:${r.callId}` && c.direction === 'inbound' && c.to === lines[B]!.e164, 'no-answer');
  }, 30_000);

  it('redirects to the other carrier when the shelter\'s registered handset is busy (486), from failure_route', async () => {
    const port = await freeUdpPort();
    const h = handsets[B]!;
    writeFileSync(join(dir, 'register.xml'), REGISTER_SCENARIO);
    const registered = await runSipp([`127.0.0.1:${kamPort}`, '-sf', join(dir, 'register.xml'), '-i', '127.0.0.1', '-p', String(port), '-m', '1', '-au', h.username, '-ap', h.password, '-set', 'user', h.username, '-set', 'domain', DOMAIN, '-timeout', '10s', '-timeout_error', '-nostdin']);
    expect(registered.status, kamLog().slice(-2000)).toBe(0);
    writeFileSync(join(dir, 'busy.xml'), BUSY_HANDSET_SCENARIO);
    const busyLog = join(dir, 'busy.log');
    const busy = runSipp(['-sf', join(dir, 'busy.xml'), '-i', '127.0.0.1', '-p', String(port), '-m', '1', '-nostdin', '-trace_msg', '-message_file', busyLog, '-timeout', '10s', '-timeout_error']);
    await until('the busy handset listening', async () => udpPortTaken(port));
    const r = await deliverRedirected(lines[B]!.e164, 'busy-redirect');
    expect(r.ok, r.detail).toBe(true);
    expect(r.contact).toBe(`<sip:${await otherLineOf(B)}@${trunkHost}>`);
    expect((await busy).status).toBe(0);
    await recordOf('the call the busy handset refused', (c) => c.callSid === `${API}:${r.callId}` && c.direction === 'inbound' && c.to === lines[B]!.e164, 'busy');
    expect(readFileSync(busyLog, 'latin1')).toMatch(new RegExp(`^INVITE sip:${h.username}@127\\.0\\.0\\.1:${port}`, 'm'));
  }, 40_000);

  it('refuses a handset of a closed shelter', async () => {
    await drill.api.call('POST', `/api/v1/shelters/${B}/close`, {});
    const before = relayedInvites().length;
    const r = await call(handsets[B]!, '0312345678', 403, 'shelter-closed');
    expect(r.ok, r.detail).toBe(true);
    expect(relayedInvites().length).toBe(before);
  }, 30_000);

  it('fills a restarted Kamailio with its handsets\' credentials again from the member\'s store: the handset registers with no new order', async () => {
    const file = join(dir, 'credentials.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ [handsets[A]!.username]: handsets[A]!.password });
    const reloads = connector.reloads;
    const exited = new Promise((r) => kamailio.once('exit', r));
    kamailio.kill('SIGTERM');
    await exited;
    await startKamailio();
    await until('the connector filling the restarted Kamailio', async () => connector.reloads > reloads && (await kamcmd(ctl, 'htable.get', 'creds', handsets[A]!.username)).includes(handsets[A]!.password));
    const h = handsets[A]!;
    writeFileSync(join(dir, 'register.xml'), REGISTER_SCENARIO);
    const registered = await runSipp([`127.0.0.1:${kamPort}`, '-sf', join(dir, 'register.xml'), '-i', '127.0.0.1', '-p', String(await freeUdpPort()), '-m', '1', '-au', h.username, '-ap', h.password, '-set', 'user', h.username, '-set', 'domain', DOMAIN, '-timeout', '10s', '-timeout_error', '-nostdin']);
    expect(registered.status, kamLog().slice(-2000)).toBe(0);
  }, 40_000);
});
