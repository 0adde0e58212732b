import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { chmodSync, closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { CallRecord, Handset, PhoneNumber, Shelter, WorkOrder } from '../../provisioning/model/index.js';
import { defaultDrillCarriers } from '../../server/drill/drill-carriers.js';
import { ha1, kamcmd, loadedCredentials, startKamailioConnector } from '../../server/connectors/kamailio/kamailio-connector.js';
import { allNumbers, startTestDrill } from '../support/drill-fixture.js';
import { requirement } from '../support/requirements.js';
import { BUSY, REGISTER, RINGS_UNTIL_CANCELLED, TRUNK_CALL, TRUNK_CALL_REDIRECTED, answering, handsetCall } from './sipp-scenarios.js';

const SIP = requirement('kamailio-sipp');

const CFG = resolve('server/connectors/kamailio/kamailio.cfg');
const API = 'ip-phone-net';
const DOMAIN = `${API}.sip.shelter-line.jp`;
const OPENED = ['CC0000000504', 'CC0000000505'];
const C = 'CC0000000506';
/** A short ring, so the no-answer timer runs for real in the test: 2 s, then the walk moves on. */
const RING_SECONDS = 2;
const DEADLINE_MS = 15_000;
/** The api member lends one area line (0767, emergency-capable) beside its 050 lines: one of the two shelters gets it. */
const AREA_LINE = '+81767540100';

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
  const p = s.address().port;
  await new Promise<void>((r) => s.close(() => r()));
  return p;
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
async function until<T>(what: string, check: () => Promise<T | null | undefined | false> | T | null | undefined | false, ms = DEADLINE_MS): Promise<T> {
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

/** The SIP messages of a SIPp message log (-trace_msg), each as its start line and headers. */
function sipMessages(file: string): Array<{ start: string; header: (name: string) => string | null }> {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'latin1').split(/-{20,}[^\n]*\n/).map((m) => m.replace(/^(UDP|TCP) message (sent|received)[^\n]*\n/m, '').trim()).filter(Boolean).map((m) => ({
    start: m.split('\n')[0]!.trim(),
    header: (name: string) => new RegExp(`^${name}:\\s*(.*)$`, 'im').exec(m)?.[1]?.trim() ?? null,
  }));
}

describe('Kamailio as a member\'s SIP edge, asking the call-decision API (real SIP: SIPp handsets and trunk)', SIP.suite, () => {
  type Drill = Awaited<ReturnType<typeof startTestDrill>>;
  let drill: Drill;
  let dir: string;
  let token: string;
  let kamailio: ChildProcess;
  let trunk: ChildProcess;
  let connector: ReturnType<typeof startKamailioConnector>;
  let startKamailio: () => Promise<void>;
  let kamPort: number;
  let trunkHost: string;
  let ctl: string;
  let kamLogFd: number;
  let credentialsFile: string;
  const kamLog = () => readFileSync(join(dir, 'kamailio.log'), 'latin1').split('\n').filter((l) => !l.includes(' INFO: ')).join('\n');
  type Credential = { username: string; password: string };
  const handsets: Record<string, Credential[]> = {};
  /** A: the shelter with the api member's area line (two handsets); B: the one with an 050 line there (one handset). */
  let A = '';
  let B = '';
  const lines: Record<string, PhoneNumber> = {};
  const port = freeUdpPort;
  let n = 0;
  const sippFile = (name: string, xml: string) => {
    const f = join(dir, `${name}.xml`);
    writeFileSync(f, xml);
    return f;
  };

  /** The INVITEs the trunk received: Request-URI user and the caller-ID and tone headers Kamailio set. */
  const relayedInvites = () => sipMessages(join(dir, 'trunk.log')).filter((m) => m.start.startsWith('INVITE sip:')).map((m) => ({
    user: /^INVITE sip:([^@\s]+)@/.exec(m.start)![1]!,
    from: m.header('From'), pai: m.header('P-Asserted-Identity'), privacy: m.header('Privacy'), tone: m.header('X-Shelter-Line-Tone'),
  }));
  const relayed = (user: string) => until(`the trunk receiving the INVITE for ${user}`, () => relayedInvites().find((i) => i.user === user));

  /** One call from a shelter handset through Kamailio: SIPp's exit status says whether `code` (and `reason`) came back. */
  async function call(h: Credential, dialled: string, code: number, reason: string | null = null) {
    const id = ++n;
    const err = join(dir, `uac-${id}.err`);
    const r = await runSipp([
      `127.0.0.1:${kamPort}`, '-sf', sippFile(`uac-${id}`, handsetCall(code, reason)), '-i', '127.0.0.1', '-p', String(await port()), '-m', '1', '-s', dialled,
      '-au', h.username, '-ap', h.password, '-set', 'user', h.username, '-set', 'domain', DOMAIN,
      '-timeout', '10s', '-timeout_error', '-recv_timeout', '8000', '-nostdin', '-trace_err', '-error_file', err, '-trace_msg', '-message_file', join(dir, `uac-${id}.log`), '-cid_str', `hs${id}-%u@%s`,
    ]);
    const errors = existsSync(err) ? readFileSync(err, 'latin1') : '';
    return { ok: r.status === 0, callId: `hs${id}-1@127.0.0.1`, detail: `sipp exit ${r.status}\n${errors.slice(-2000)}\nkamailio:\n${kamLog().slice(-3000)}` };
  }

  /** A handset registers `contact` (or `*` with expires 0: every contact of it gone). */
  async function register(h: Credential, contact: string, expires: number) {
    const r = await runSipp([`127.0.0.1:${kamPort}`, '-sf', sippFile('register', REGISTER), '-i', '127.0.0.1', '-p', String(await port()), '-m', '1',
      '-au', h.username, '-ap', h.password, '-set', 'user', h.username, '-set', 'domain', DOMAIN, '-set', 'contact', contact, '-set', 'expires', String(expires),
      '-timeout', '10s', '-timeout_error', '-nostdin']);
    expect(r.status, `REGISTER of ${h.username}\n${kamLog().slice(-2000)}`).toBe(0);
  }

  /** A registered handset that does what `xml` says when Kamailio calls it; its messages are logged. */
  async function handsetAt(h: Credential, xml: string) {
    const p = await port();
    await register(h, `<sip:${h.username}@127.0.0.1:${p}>`, 600);
    const id = ++n;
    const log = join(dir, `handset-${id}.log`);
    const done = runSipp(['-sf', sippFile(`handset-${id}`, xml), '-i', '127.0.0.1', '-p', String(p), '-m', '1', '-nostdin', '-trace_msg', '-message_file', log, '-timeout', '12s', '-timeout_error']);
    // SIPp binds in its own time: deliver the call only once the handset listens.
    await until(`handset ${h.username} listening`, () => udpPortTaken(p));
    return { port: p, done, messages: () => sipMessages(log), unregister: () => register(h, '*', 0) };
  }

  /** The trunk delivers a call from +81312345678 to `e164`; the messages it exchanged with Kamailio. */
  async function deliver(e164: string, xml: string) {
    const id = ++n;
    const log = join(dir, `trunk-call-${id}.log`);
    const started = performance.now();
    const r = await runSipp([`127.0.0.1:${kamPort}`, '-sf', sippFile(`trunk-call-${id}`, xml), '-i', '127.0.0.2', '-p', String(await port()), '-m', '1', '-s', e164,
      '-timeout', '10s', '-timeout_error', '-nostdin', '-trace_msg', '-message_file', log, '-cid_str', `tr${id}-%u@%s`]);
    const messages = sipMessages(log);
    return {
      ok: r.status === 0, callId: `tr${id}-1@127.0.0.2`, ms: performance.now() - started, messages,
      contact: messages.find((m) => m.start.startsWith('SIP/2.0 302'))?.header('Contact') ?? null,
      detail: `sipp exit ${r.status}\nkamailio:\n${kamLog().slice(-2500)}`,
    };
  }

  /** The call record of a call Kamailio asked about, once the events it posted have landed. */
  const recordOf = (what: string, find: (c: CallRecord) => boolean, status: string) =>
    until(`${what}: its call record ${status}`, async () => {
      const c = ((await drill.server.deps.store.query('calls', { where: { carrierId: API }, limit: 500 })).items as CallRecord[]).find(find);
      return c?.status === status ? c : null;
    });
  const otherLineOf = async (shelterId: string) => (await allNumbers(drill)).find((nb) => nb.shelterId === shelterId && nb.carrierId !== API && nb.state === 'in_service')!.e164;
  /** Handset credentials on the api member, with their passwords (sealed at rest: the test opens them as the server would). */
  async function credentialsOf(shelterId: string, state: 'active' | 'pending' = 'active'): Promise<Credential[]> {
    const { items } = await drill.server.deps.store.query('handsets', { where: { shelterId }, limit: 10 });
    return (items as Handset[]).flatMap((h) => h.credentials.filter((c) => c.carrierId === API && c.state === state))
      .map((c) => ({ username: c.username, password: drill.server.deps.secrets.open(c.passwordEncrypted) }));
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sl-kamailio-'));
    const [twilio, , api] = defaultDrillCarriers(10);
    drill = await startTestDrill({ carriers: [twilio!, { ...api!, numbers: [AREA_LINE, ...api!.numbers] }], apiMember: false, env: { ORCH_HANDSET_RING_SECONDS: String(RING_SECONDS) } });
    token = drill.carriers.find((c) => c.id === API)!.token!;

    const trunkPort = await port();
    trunkHost = `127.0.0.1:${trunkPort}`;
    trunk = spawn('sipp', ['-sf', sippFile('trunk', answering(null)), '-i', '127.0.0.1', '-p', String(trunkPort), '-nostdin', '-trace_msg', '-message_file', join(dir, 'trunk.log')], { stdio: 'ignore' });

    kamPort = await port();
    kamLogFd = openSync(join(dir, 'kamailio.log'), 'a');
    ctl = `unix:${join(dir, 'ctl.sock')}`;
    credentialsFile = join(dir, 'credentials.json');
    startKamailio = async () => {
      kamailio = spawn('kamailio', ['-DD', '-E', '-f', CFG, '-l', `udp:127.0.0.1:${kamPort}`, '-w', dir, '-Y', dir, '-P', join(dir, 'kamailio.pid'), '-m', '32', '-M', '4'], {
        env: { ...process.env, SHELTER_LINE_URL: drill.url, SHELTER_LINE_TOKEN: token, SIP_DOMAIN: DOMAIN, TRUNK_HOST: trunkHost, TRUNK_IP: '127.0.0.2', CTL_SOCKET: ctl },
        stdio: ['ignore', kamLogFd, kamLogFd],
      });
      await until('kamailio answering on its ctl socket', async () => (await kamcmd(ctl, 'core.uptime')).includes('uptime'));
    };
    await startKamailio();
    connector = startKamailioConnector({ baseUrl: drill.url, carrierId: API, token, ctlSocket: ctl, realm: DOMAIN, credentialsFile, checkEveryMs: 100 });

    for (const id of OPENED) await drill.api.call('POST', `/api/v1/shelters/${id}/open`, {});
    await drill.server.deps.worker.drain({ timeoutMs: 30_000 });
    const numbers = await allNumbers(drill);
    for (const id of OPENED) lines[id] = numbers.find((nb) => nb.shelterId === id && nb.carrierId === API && nb.state === 'in_service')!;
    A = OPENED.find((id) => lines[id]?.e164 === AREA_LINE) ?? '';
    B = OPENED.find((id) => id !== A)!;
    for (const id of [A, A, B]) await drill.api.call('POST', `/api/v1/shelters/${id}/handsets`, { vendor: 'softphone', label: 'desk' });
    await drill.server.deps.worker.drain({ timeoutMs: 30_000 });
    for (const id of [A, B]) {
      handsets[id] = await credentialsOf(id);
      for (const h of handsets[id]) await until(`${h.username} loaded into Kamailio`, () => connector.completed.some((o) => o.action === 'create_credential' && o.params.username === h.username));
    }
  }, 120_000);

  afterAll(async () => {
    await connector?.stop();
    for (const p of [kamailio, trunk]) if (p && p.exitCode === null) p.kill('SIGTERM');
    await drill?.dispose();
    if (kamLogFd !== undefined) closeSync(kamLogFd);
    if (dir && !process.env.KEEP_SIP_DIR) rmSync(dir, { recursive: true, force: true });
  });

  it('names the call-decision API in the JSON member\'s route_number orders, and keeps only HA1 of its handsets, in its file and in Kamailio', async () => {
    expect(A, 'a shelter has the api member\'s area line').not.toBe('');
    expect(lines[B]?.kind).toBe('050');
    expect(handsets[A]).toHaveLength(2);
    const routed = connector.completed.find((o) => o.action === 'route_number' && o.params.e164 === lines[A]!.e164)!;
    expect(routed.params).toMatchObject({ callControl: 'json', contract: 'shelter-line.call-decision.v1', outboundDecisionUrl: `${drill.url}/api/v1/call-decisions/outbound` });
    expect(routed.params.voiceUrl).toBeUndefined();
    const file = readFileSync(credentialsFile, 'utf8');
    expect(statSync(credentialsFile).mode & 0o777).toBe(0o600);
    const loaded = await loadedCredentials(ctl);
    for (const h of [...handsets[A]!, ...handsets[B]!]) {
      expect(file).not.toContain(h.password);
      expect(JSON.parse(file)).toMatchObject({ realm: DOMAIN, ha1: { [h.username]: ha1(h.username, DOMAIN, h.password) } });
      expect(loaded.get(h.username)).toBe(ha1(h.username, DOMAIN, h.password));
    }
  });

  it('relays a domestic call with the shelter line in From and P-Asserted-Identity and the tone flagged', async () => {
    const r = await call(handsets[A]![0]!, '0312345678', 200);
    expect(r.ok, r.detail).toBe(true);
    const invite = await relayed('+81312345678');
    expect(invite.pai).toBe(`<sip:${AREA_LINE}@${DOMAIN}>`);
    expect(invite.from).toMatch(new RegExp(`^<sip:\\${AREA_LINE}@${DOMAIN.replace(/\./g, '\\.')}>;tag=`));
    expect(invite.privacy).toBeNull();
    expect(invite.tone).toBe('caller=true;callee=true');
    // Kamailio posted answered, then completed with the duration, to the call-events API.
    const record = await recordOf('the domestic call', (c) => c.callSid === `${API}:${r.callId}`, 'completed');
    expect(record).toMatchObject({ direction: 'outbound', shelterId: A, callerId: AREA_LINE });
    expect(record.durationSeconds).toBeLessThanOrEqual(1); // SIPp hangs up at once
  }, 30_000);

  it('relays 110 from an area line to the trunk: the shelter line as caller, no tone', async () => {
    const r = await call(handsets[A]![0]!, '110', 200);
    expect(r.ok, r.detail).toBe(true);
    const invite = await relayed('110');
    expect(invite).toMatchObject({ pai: `<sip:${AREA_LINE}@${DOMAIN}>`, privacy: null, tone: null });
    await recordOf('the emergency call', (c) => c.callSid === `${API}:${r.callId}`, 'completed');
  }, 30_000);

  it('relays 184110 with the number withheld (From anonymous, Privacy: id) and the line kept for the network; 186 + a number sends it', async () => {
    const withheld = await call(handsets[A]![0]!, '184110', 200);
    expect(withheld.ok, withheld.detail).toBe(true);
    const invites = await until('two INVITEs for 110', () => relayedInvites().filter((i) => i.user === '110').length >= 2 && relayedInvites().filter((i) => i.user === '110'));
    expect(invites.at(-1)).toMatchObject({ pai: `<sip:${AREA_LINE}@${DOMAIN}>`, privacy: 'id', tone: null });
    expect(invites.at(-1)!.from).toMatch(/^"Anonymous" <sip:anonymous@anonymous\.invalid>;tag=/);
    const sent = await call(handsets[A]![0]!, '1860312345679', 200);
    expect(sent.ok, sent.detail).toBe(true);
    const invite = await relayed('+81312345679');
    expect(invite).toMatchObject({ pai: `<sip:${AREA_LINE}@${DOMAIN}>`, privacy: null, tone: 'caller=true;callee=true' });
    expect(invite.from).toContain(`<sip:${AREA_LINE}@${DOMAIN}>`);
  }, 30_000);

  it('relays #7119 translated to the prefecture\'s ordinary number, tone flagged', async () => {
    const r = await call(handsets[A]![0]!, '%237119', 200);
    expect(r.ok, r.detail).toBe(true);
    // The drill's example row for Ishikawa (an invented number, labelled as such).
    const invite = await relayed('+81767520199');
    expect(invite).toMatchObject({ pai: `<sip:${AREA_LINE}@${DOMAIN}>`, tone: 'caller=true;callee=true' });
    expect(await recordOf('the #7119 call', (c) => c.callSid === `${API}:${r.callId}`, 'completed')).toMatchObject({ purpose: 'special' });
  }, 30_000);

  it('relays 0570 (ナビダイヤル) with the shelter line as caller, counted as navi-dial', async () => {
    const r = await call(handsets[A]![0]!, '0570123456', 200);
    expect(r.ok, r.detail).toBe(true);
    expect(await relayed('+81570123456')).toMatchObject({ pai: `<sip:${AREA_LINE}@${DOMAIN}>`, tone: 'caller=true;callee=true' });
    expect(await recordOf('the 0570 call', (c) => c.callSid === `${API}:${r.callId}`, 'completed')).toMatchObject({ purpose: 'navi-dial' });
  }, 30_000);

  it('connects a short code to the other shelter\'s number', async () => {
    const shelterB = (await drill.server.deps.store.get('shelters', B)) as Shelter;
    const r = await call(handsets[A]![0]!, shelterB.shortCode!, 200);
    expect(r.ok, r.detail).toBe(true);
    expect((await relayed(lines[B]!.e164)).pai).toBe(`<sip:${AREA_LINE}@${DOMAIN}>`);
  }, 30_000);

  it('refuses 0990 (premium) with 403 and relays nothing', async () => {
    const before = relayedInvites().length;
    const r = await call(handsets[A]![0]!, '09901234567', 403, 'premium');
    expect(r.ok, r.detail).toBe(true);
    expect(relayedInvites().length).toBe(before);
  }, 30_000);

  it('answers 110 from a 050 line (no emergency capability) with guidance: 380 Alternative Service', async () => {
    const before = relayedInvites().length;
    const r = await call(handsets[B]![0]!, '110', 380, '110');
    expect(r.ok, r.detail).toBe(true);
    expect(relayedInvites().length).toBe(before);
  }, 30_000);

  it('relays 171 (a special number the member\'s lines reach) like any call; guidance (380) once none of the shelter\'s carriers reaches it', async () => {
    await drill.api.call('PUT', `/api/v1/carriers/${API}/special-numbers`, { specialNumbers: ['171'], reason: 'the member routes 171 on its trunk' });
    try {
      const r = await call(handsets[A]![0]!, '171', 200);
      expect(r.ok, r.detail).toBe(true);
      expect(await relayed('171')).toMatchObject({ pai: `<sip:${AREA_LINE}@${DOMAIN}>`, tone: 'caller=true;callee=true' });
    } finally {
      await drill.api.call('PUT', `/api/v1/carriers/${API}/special-numbers`, { specialNumbers: [], reason: 'test over' });
    }
    const before = relayedInvites().length;
    const r = await call(handsets[A]![0]!, '171', 380, '171');
    expect(r.ok, r.detail).toBe(true);
    expect(relayedInvites().length).toBe(before);
  }, 30_000);

  it('rings the shelter\'s handset on a call from the trunk: the INVITE and the 180/200 back carry the tone flag, the handset sees the outside caller', async () => {
    const h = handsets[B]![0]!;
    const handset = await handsetAt(h, answering(100));
    try {
      const r = await deliver(lines[B]!.e164, TRUNK_CALL);
      expect(r.ok, r.detail).toBe(true);
      expect((await handset.done).status).toBe(0);
      const invite = handset.messages().find((m) => m.start.startsWith('INVITE '))!;
      expect(invite.start).toMatch(new RegExp(`^INVITE sip:${h.username}@127\\.0\\.0\\.1:${handset.port}`));
      expect(invite.header('X-Shelter-Line-Tone')).toBe('caller=true;callee=false');
      expect(invite.header('From')).toMatch(/^<sip:\+81312345678@/);
      for (const code of ['180', '200']) expect(r.messages.find((m) => m.start.startsWith(`SIP/2.0 ${code}`))?.header('X-Shelter-Line-Tone'), code).toBe('caller=true;callee=false');
      await recordOf('the call the trunk delivered', (c) => c.callSid === `${API}:${r.callId}`, 'completed');
    } finally {
      await handset.unregister();
    }
  }, 40_000);

  it('rings both registered handsets of the shelter at once; the one that answers takes the call, the other is cancelled', async () => {
    const [first, second] = handsets[A]!;
    const answers = await handsetAt(first!, answering(300));
    const rings = await handsetAt(second!, RINGS_UNTIL_CANCELLED);
    try {
      const r = await deliver(lines[A]!.e164, TRUNK_CALL);
      expect(r.ok, r.detail).toBe(true);
      expect((await answers.done).status).toBe(0);
      expect((await rings.done).status).toBe(0);
      for (const h of [answers, rings]) expect(h.messages().find((m) => m.start.startsWith('INVITE '))?.header('X-Shelter-Line-Tone')).toBe('caller=true;callee=false');
      expect(rings.messages().some((m) => m.start.startsWith('CANCEL '))).toBe(true);
      await recordOf('the call one of two handsets answered', (c) => c.callSid === `${API}:${r.callId}`, 'completed');
    } finally {
      await answers.unregister();
      await rings.unregister();
    }
  }, 40_000);

  it(`gives up on a ringing handset after the ring time (${RING_SECONDS} s), cancels it and redirects to the shelter's other carrier`, async () => {
    const handset = await handsetAt(handsets[B]![0]!, RINGS_UNTIL_CANCELLED);
    try {
      const r = await deliver(lines[B]!.e164, TRUNK_CALL_REDIRECTED);
      expect(r.ok, r.detail).toBe(true);
      expect(r.contact).toBe(`<sip:${await otherLineOf(B)}@${trunkHost}>`);
      // A lower bound only: the timer may run late on a busy machine, never early.
      expect(r.ms).toBeGreaterThanOrEqual(RING_SECONDS * 1000);
      expect((await handset.done).status).toBe(0);
      expect(handset.messages().some((m) => m.start.startsWith('CANCEL '))).toBe(true);
      await recordOf('the call nobody answered', (c) => c.callSid === `${API}:${r.callId}`, 'no-answer');
    } finally {
      await handset.unregister();
    }
  }, 40_000);

  it('redirects a call for a shelter whose handsets are not registered here to its number on the other carrier (302, the ring\'s onNoAnswer)', async () => {
    const r = await deliver(lines[B]!.e164, TRUNK_CALL_REDIRECTED);
    expect(r.ok, r.detail).toBe(true);
    expect(r.contact).toBe(`<sip:${await otherLineOf(B)}@${trunkHost}>`);
    await recordOf('the call no handset took', (c) => c.callSid === `${API}:${r.callId}`, 'no-answer');
  }, 30_000);

  it('redirects to the other carrier when the shelter\'s registered handset is busy (486), from failure_route', async () => {
    const handset = await handsetAt(handsets[B]![0]!, BUSY);
    try {
      const r = await deliver(lines[B]!.e164, TRUNK_CALL_REDIRECTED);
      expect(r.ok, r.detail).toBe(true);
      expect(r.contact).toBe(`<sip:${await otherLineOf(B)}@${trunkHost}>`);
      expect((await handset.done).status).toBe(0);
      await recordOf('the call the busy handset refused', (c) => c.callSid === `${API}:${r.callId}`, 'busy');
    } finally {
      await handset.unregister();
    }
  }, 40_000);

  it('refuses a handset of a closed shelter, and removes its credential from Kamailio', async () => {
    await drill.api.call('POST', `/api/v1/shelters/${B}/close`, {});
    const before = relayedInvites().length;
    const r = await call(handsets[B]![0]!, '0312345678', 403, 'shelter-closed');
    expect(r.ok, r.detail).toBe(true);
    expect(relayedInvites().length).toBe(before);
    await drill.server.deps.worker.drain({ timeoutMs: 30_000 });
    const h = handsets[B]![0]!;
    await until(`${h.username} unloaded from Kamailio`, async () => !(await loadedCredentials(ctl)).has(h.username));
    expect(JSON.parse(readFileSync(credentialsFile, 'utf8')).ha1[h.username]).toBeUndefined();
  }, 40_000);

  it('fills a restarted Kamailio with its handsets\' HA1 again from the member\'s store: the handset registers with no new order', async () => {
    const reconciles = connector.reconciles;
    const exited = new Promise((r) => kamailio.once('exit', r));
    kamailio.kill('SIGTERM');
    await exited;
    await startKamailio();
    const h = handsets[A]![0]!;
    await until('the connector filling the restarted Kamailio', async () => connector.reconciles > reconciles && (await loadedCredentials(ctl)).get(h.username) === ha1(h.username, DOMAIN, h.password));
    await register(h, `<sip:${h.username}@127.0.0.1:${await port()}>`, 600);
    await register(h, '*', 0);
  }, 40_000);

  describe('a connector killed between writing a credential and loading it into Kamailio', () => {
    /**
     * The member's connector as its own process (server/connectors/kamailio/main.ts). With `crashOn`,
     * its kamcmd is a wrapper that SIGKILLs the connector when it is about to run that command for a
     * user not in `known`: the store was written, Kamailio not yet told.
     */
    function connectorProcess(o: { url: string; crashOn?: 'htable.sets' | 'htable.delete'; known?: string[] }) {
      const bin = join(dir, 'crash-bin');
      mkdirSync(bin, { recursive: true });
      const real = spawnSync('sh', ['-c', 'command -v kamcmd'], { encoding: 'utf8' }).stdout.trim();
      writeFileSync(join(bin, 'kamcmd'), `#!/bin/sh
# $1 -s, $2 the ctl socket, $3 the command, $4 the table, $5 the user name
if [ -n "$CRASH_ON" ] && [ "$3" = "$CRASH_ON" ] && ! grep -qx -- "$5" "$KNOWN_USERS"; then kill -9 $PPID; exit 137; fi
exec ${real} "$@"
`);
      chmodSync(join(bin, 'kamcmd'), 0o755);
      const known = join(dir, `known-${++n}`);
      writeFileSync(known, (o.known ?? []).map((u) => `${u}\n`).join(''));
      const log = openSync(join(dir, `connector-${n}.log`), 'a');
      const child = spawn(process.execPath, ['--import', 'tsx', resolve('server/connectors/kamailio/main.ts')], {
        env: {
          ...process.env, PATH: `${bin}:${process.env.PATH}`, CRASH_ON: o.crashOn ?? '', KNOWN_USERS: known,
          SHELTER_LINE_URL: o.url, SHELTER_LINE_TOKEN: token, CARRIER_ID: API, CTL_SOCKET: ctl, SIP_DOMAIN: DOMAIN, CREDENTIALS_FILE: credentialsFile,
        },
        stdio: ['ignore', log, log],
      });
      const exited = new Promise<NodeJS.Signals | number | null>((r) => child.once('exit', (code, signal) => r(signal ?? code)));
      return { child, exited, stop: async () => { if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM'); await exited; closeSync(log); } };
    }
    /** The orchestrator unreachable (a link down): the restarted connector has only its own store to go by. */
    const UNREACHABLE = 'http://127.0.0.1:9';
    /** The connector started again in this process (only the crash needs a process of its own). */
    const restarted = (url: string) => startKamailioConnector({ baseUrl: url, carrierId: API, token, ctlSocket: ctl, realm: DOMAIN, credentialsFile, checkEveryMs: 100 });
    const createOrderDone = async (username: string) =>
      ((await drill.server.deps.store.query('workOrders', { where: { carrierId: API, action: 'create_credential' }, limit: 100 })).items as WorkOrder[]).some((o) => o.params.username === username && o.status === 'done');

    it('loads a credential it wrote but never loaded, and removes one it deleted but never unloaded, when it starts again — with the orchestrator unreachable', async () => {
      await connector.stop();
      const loadedBefore = await loadedCredentials(ctl);
      // 1. A new handset: the connector writes its HA1 and is killed before kamcmd loads it.
      const creator = connectorProcess({ url: drill.url, crashOn: 'htable.sets', known: [...loadedBefore.keys()] });
      await drill.api.call('POST', `/api/v1/shelters/${C}/open`, {});
      await drill.server.deps.worker.drain({ timeoutMs: 30_000 });
      await drill.api.call('POST', `/api/v1/shelters/${C}/handsets`, { vendor: 'softphone' });
      const creating = drill.server.deps.worker.drain({ timeoutMs: 60_000 }).catch(() => undefined);
      expect(await creator.exited).toBe('SIGKILL');
      await creator.stop();
      // Still pending: the order that creates it was never reported done.
      const [h] = await credentialsOf(C, 'pending');
      expect(JSON.parse(readFileSync(credentialsFile, 'utf8')).ha1[h!.username]).toBe(ha1(h!.username, DOMAIN, h!.password));
      expect((await loadedCredentials(ctl)).has(h!.username)).toBe(false);
      let again = restarted(UNREACHABLE);
      await until('the restarted connector loading what it had written', async () => (await loadedCredentials(ctl)).get(h!.username) === ha1(h!.username, DOMAIN, h!.password));
      await again.stop();
      // Back online, the order that was never reported comes again and is done (applied twice, same result).
      again = restarted(drill.url);
      await creating;
      await until('the create_credential order reported done', () => createOrderDone(h!.username));
      await again.stop();
      await register(h!, `<sip:${h!.username}@127.0.0.1:${await port()}>`, 0);

      // 2. The shelter closes: the connector removes the credential from its store and is killed before kamcmd unloads it.
      const deleter = connectorProcess({ url: drill.url, crashOn: 'htable.delete' });
      await drill.api.call('POST', `/api/v1/shelters/${C}/close`, {});
      const deleting = drill.server.deps.worker.drain({ timeoutMs: 60_000 }).catch(() => undefined);
      expect(await deleter.exited).toBe('SIGKILL');
      await deleter.stop();
      expect(JSON.parse(readFileSync(credentialsFile, 'utf8')).ha1[h!.username]).toBeUndefined();
      expect((await loadedCredentials(ctl)).has(h!.username)).toBe(true);
      again = restarted(UNREACHABLE);
      await until('the restarted connector unloading what it had deleted', async () => !(await loadedCredentials(ctl)).has(h!.username));
      await again.stop();
      connector = restarted(drill.url);
      await deleting;
      // The others' credentials went through all this untouched.
      const loaded = await loadedCredentials(ctl);
      for (const [user, value] of loadedBefore) expect(loaded.get(user)).toBe(value);
    }, 120_000);
  });
});
