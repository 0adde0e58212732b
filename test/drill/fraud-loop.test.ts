import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseCsv } from 'csv-parse/sync';
import { apiClient, type ApiClient } from '../../server/drill/api-client.js';
import { ManualClock } from '../../provisioning/platform/clock.js';
import type { FraudReport, Handset, PhoneNumber } from '../../provisioning/model/index.js';
import { REPORT_CSV_COLUMNS } from '../../provisioning/reports/index.js';
import { names, parseTwiml } from '../support/twiml.js';
import { DRILL_START, startTestDrill } from '../support/drill-fixture.js';

type Drill = Awaited<ReturnType<typeof startTestDrill>>;
const SHELTER = 'CC0000000504';
const MINUTE = 60_000;
const SAMPLE = new URL('../../docs/reports-export-sample.csv', import.meta.url);

/** `2024-01-09T18:05` in Japan time, as the form's datetime-local field sends it. */
const jstLocal = (d: Date) => new Date(d.getTime() + 9 * 3_600_000).toISOString().slice(0, 16);

/**
 * The anti-fraud loop on a running drill: a handset calls out, the public reports the number,
 * three credible reports restrict the shelter, an authority turns a report into a suspension,
 * the handsets that called are revoked and the shelter is refused new lines until an admin review.
 */
describe('the anti-fraud loop: report, stop, refuse', () => {
  let drill: Drill;
  let police: ApiClient;
  let coordinator: ApiClient;
  let viewer: ApiClient;
  const clock = new ManualClock(DRILL_START);
  let handset: Handset;
  let domain = '';
  let suspect: PhoneNumber;
  const reportIds: string[] = [];
  const store = () => drill.server.deps.store;

  async function mint(role: string, label: string): Promise<ApiClient> {
    const { body } = await drill.api.call<{ token: string }>('POST', '/api/v1/tokens', { label, role });
    return apiClient(drill.url, body.token);
  }

  async function registerHandset(mac: string): Promise<Handset> {
    const { body } = await coordinator.call<{ handset: { id: string } }>('POST', `/api/v1/shelters/${SHELTER}/handsets`, { vendor: 'yealink', mac, label: 'reception' }, { ok: [201] });
    await drill.server.deps.worker.drain();
    return (await store().get('handsets', body.handset.id))!;
  }

  /** The handset dials through its carrier's SIP domain on the simulator, the called party answers. */
  async function dial(h: Handset, to: string) {
    const res = await drill.sim.placeSipCall({ domain, username: h.sipUsername!, to, answer: true });
    expect(res.status, res.note).toBe(200);
    return { ...res, verbs: parseTwiml(res.twiml) };
  }

  /** The carrier reports the call finished (Twilio's status callback). */
  async function hangUp(callSid: string, from: string, to: string, seconds: number) {
    const account = drill.carriers.find((c) => c.id === suspect.carrierId)!.account!;
    const res = await drill.sim.sendWebhook({ accountSid: account.sid, url: `${drill.url}/twilio/status`, params: { CallSid: callSid, CallStatus: 'completed', CallDuration: String(seconds), From: from, To: to } });
    expect(res.status).toBe(204);
  }

  beforeAll(async () => {
    drill = await startTestDrill({ clock });
    police = await mint('authority', 'Ishikawa prefectural police');
    coordinator = await mint('coordinator', 'Nanao city HQ');
    viewer = await mint('viewer', 'volunteer');
    await coordinator.call('POST', `/api/v1/shelters/${SHELTER}/open`, {});
    await drill.server.deps.worker.drain();
    handset = await registerHandset('001565aabb01');
    // The handset's primary line: a 0AB-J number (emergency-capable) on a Twilio member.
    const cred = handset.credentials.find((c) => c.role === 'primary')!;
    domain = cred.domain;
    const lines = (await store().query('numbers', { where: { shelterId: SHELTER }, limit: 50 })).items;
    suspect = lines.find((n) => n.carrierId === cred.carrierId && n.state === 'in_service')!;
    expect(suspect.emergencyCapable).toBe(true);
  }, 120_000);
  afterAll(async () => drill?.dispose());

  it('a handset calls out: it hears the tone, the called party hears the whisper, the call is recorded with its caller ID', async () => {
    for (const [to, seconds] of [['09012345678', 95], ['0312345678', 240]] as const) {
      const call = await dial(handset, to);
      expect(names(call.verbs)).toEqual(['Play', 'Dial']);
      expect(call.verbs[1]!.attrs.callerId).toBe(suspect.e164);
      expect(call.calleeLegs![0]!.played).toEqual([expect.objectContaining({ status: 200, contentType: 'audio/wav' })]);
      clock.advance(seconds * 1000);
      await hangUp(call.callSid, `sip:${handset.sipUsername}@${domain}`, `sip:${to}@${domain}`, seconds);
      clock.advance(10 * MINUTE);
    }
    const calls = (await store().query('calls', { where: { callerId: suspect.e164 }, limit: 10 })).items;
    expect(calls.map((c) => [c.handsetId, c.to, c.durationSeconds]).sort()).toEqual([[handset.id, '+81312345678', 240], [handset.id, '+819012345678', 95]]);
  });

  it('three people report the number; each report is linked to the shelter, its carrier and the handset that called then', async () => {
    const calledAt = jstLocal(new Date(clock.now().getTime() - 20 * MINUTE));
    for (const description of ['市役所を名乗り還付金があると言われた', '警察官を名乗りキャッシュカードを預かると言われた', '息子を名乗りお金が必要と言われた']) {
      const res = await fetch(`${drill.url}/report`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ number: suspect.e164.replace('+81', '0'), calledAt, description }) });
      expect(res.status).toBe(201);
      reportIds.push(((await res.json()) as { id: string }).id);
    }
    const { body } = await police.call<{ items: FraudReport[] }>('GET', '/api/v1/reports?status=received');
    expect(body.items.map((r) => r.id).sort()).toEqual([...reportIds].sort());
    for (const r of body.items) {
      expect(r.link).toMatchObject({ ours: true, carrierId: suspect.carrierId, shelterId: SHELTER, basis: 'calls', handsetIds: [handset.id] });
      expect(r.link.calls).toHaveLength(2);
    }
    // Only authorities and admins see the queue.
    expect((await viewer.call('GET', '/api/v1/reports', undefined, { ok: [403] })).status).toBe(403);
    expect((await coordinator.call('GET', '/api/v1/reports', undefined, { ok: [403] })).status).toBe(403);
  });

  it('the third credible report restricts the shelter’s outbound calls and raises an alert; a non-credible one does not count', async () => {
    const triage = (id: string, t: string) => police.call<{ restriction: { restrict: boolean } | null }>('POST', `/api/v1/reports/${id}/triage`, { triage: t, note: 'drill' });
    expect((await triage(reportIds[0]!, 'credible')).body.restriction).toMatchObject({ restrict: false, credible: 1, needed: 3 });
    expect((await triage(reportIds[1]!, 'not_credible')).body.restriction).toBeNull();
    expect((await triage(reportIds[1]!, 'credible')).body.restriction).toMatchObject({ restrict: false, credible: 2 });
    expect(await store().get('fraudHolds', SHELTER)).toBeNull();
    expect((await triage(reportIds[2]!, 'credible')).body.restriction).toMatchObject({ restrict: true });
    const hold = (await store().get('fraudHolds', SHELTER))!;
    expect(hold.restriction).toMatchObject({ e164: suspect.e164, reportIds: expect.arrayContaining(reportIds) });
    const alerts = (await store().query('alerts', { limit: 100 })).items;
    expect(alerts.find((a) => a.kind === 'fraud_reports' && a.shelterId === SHELTER)?.severity).toBe('critical');
    expect(alerts.find((a) => a.kind === 'fraud_reports')?.text?.code).toBe('alert.fraud_restricted');
  });

  it('while restricted, a domestic call is refused with a spoken reason and 110 still connects on the emergency-capable line', async () => {
    const refused = await dial(handset, '09087654321');
    expect(names(refused.verbs)).toEqual(['Say', 'Say', 'Hangup']);
    expect(refused.verbs[0]!.text).toContain('緊急通報と避難所どうしの短縮番号に限られています');
    const emergency = await dial(handset, '110');
    expect(names(emergency.verbs)).toEqual(['Dial']);
    expect(emergency.verbs[0]!.children.map((c) => c.text)).toEqual(['110']);
    expect(emergency.verbs[0]!.attrs.callerId).toBe(suspect.e164);
    expect(emergency.calleeLegs![0]!.played).toEqual([]);
  });

  it('an authority turns a report into a suspension in one step: the number is intercepted, the handset that called is revoked, the report lists its calls', async () => {
    const { status, body } = await police.call<{ outcome: string; e164: string; fraud: { handsetIds: string[]; calls: Array<{ to: string; durationSeconds: number; startedAt: string }> } }>(
      'POST', `/api/v1/reports/${reportIds[0]}/suspension`, { reason: '特殊詐欺に利用 (drill)', requestId: 'ISHIKAWA-2024-0099' },
    );
    expect(status).toBe(201);
    expect(body).toMatchObject({ outcome: 'suspended', e164: suspect.e164, fraud: { handsetIds: [handset.id] } });
    // Every call on the number in the window, the emergency call placed while restricted included.
    expect(body.fraud.calls.map((c) => [c.to, c.durationSeconds]).sort()).toEqual([['+81312345678', 240], ['+819012345678', 95], ['110', 0]]);
    expect((await store().get('numbers', suspect.e164))!.state).toBe('suspended');
    expect((await store().get('handsets', handset.id))!.status).toBe('revoked');
    expect((await store().get('reports', reportIds[0]!))!.status).toBe('suspended');
    const account = drill.carriers.find((c) => c.id === suspect.carrierId)!.account!;
    expect(drill.sim.snapshot(account.sid).numbers.find((n) => n.phone_number === suspect.e164)!.voice_url).toBe(`${drill.url}/twilio/voice/intercept?reason=suspended`);
    // The revoked handset cannot call any more, its SIP credential is gone from the carrier.
    expect(drill.sim.snapshot(account.sid).credential_lists.flatMap((l) => l.usernames)).not.toContain(handset.sipUsername);
    // A converted report cannot be judged again.
    expect((await police.call('POST', `/api/v1/reports/${reportIds[0]}/triage`, { triage: 'not_credible' }, { ok: [409] })).status).toBe(409);
  });

  it('refuses the shelter a new outbound line until an admin reviews; its other lines keep taking calls', async () => {
    await drill.server.deps.worker.drain();
    const held = (await store().query('numbers', { where: { shelterId: SHELTER }, limit: 50 })).items.filter((n) => n.state === 'in_service');
    expect(held.map((n) => n.e164)).not.toContain(suspect.e164);
    const before = held.length;
    // A new handset registers on the remaining line(s) and takes inbound calls, but may not call out.
    const fresh = await registerHandset('001565aabb02');
    const freshCred = fresh.credentials.find((c) => c.role === 'primary')!;
    const inboundLine = held.find((n) => n.carrierId === freshCred.carrierId)!;
    const inbound = await drill.sim.placeCall({ to: inboundLine.e164, from: '+819011112222' });
    expect(names(parseTwiml(inbound.twiml))).toEqual(['Play', 'Dial']);
    domain = freshCred.domain;
    const out = await dial(fresh, '0312345678');
    expect(out.verbs[0]!.text).toContain('限られています');
    // A coordinator may clear the reports' restriction, not the refusal: only an admin records that review.
    await coordinator.call('POST', `/api/v1/shelters/${SHELTER}/outbound-restriction/review`, { note: 'reviewed with the shelter staff' });
    expect((await coordinator.call('POST', `/api/v1/shelters/${SHELTER}/line-refusal/review`, { note: 'x' }, { ok: [403] })).status).toBe(403);
    await drill.server.deps.worker.drain();
    expect((await store().query('numbers', { where: { shelterId: SHELTER, state: 'in_service' }, limit: 50 })).items).toHaveLength(before);
    expect((await dial(fresh, '0312345678')).verbs[0]!.text).toContain('限られています');

    await drill.api.call('POST', `/api/v1/shelters/${SHELTER}/line-refusal/review`, { note: 'handset seized by police; staff briefed' });
    await drill.server.deps.worker.drain();
    expect((await store().query('numbers', { where: { shelterId: SHELTER, state: 'in_service' }, limit: 50 })).items.length).toBeGreaterThan(before);
    expect(names((await dial(fresh, '0312345678')).verbs)).toEqual(['Play', 'Dial']);
  }, 60_000);

  it('audits every step', async () => {
    const actions = new Set((await store().query('audit', { limit: 1000 })).items.map((e) => e.action));
    for (const a of ['report.received', 'report.triaged', 'shelter.outbound_restricted', 'report.converted', 'shelter.new_lines_refused', 'handset.revoked', 'shelter.outbound_restriction_reviewed', 'shelter.new_lines_refusal_reviewed']) {
      expect(actions, a).toContain(a);
    }
  });

  it('exports the period as CSV in the documented layout (the README sample is this output)', async () => {
    const from = new Date(Date.parse(DRILL_START) - 3_600_000).toISOString();
    const to = new Date(clock.now().getTime() + 3_600_000).toISOString();
    const res = await fetch(`${drill.url}/api/v1/reports/export?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`, { headers: { authorization: `Bearer ${drill.adminToken}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    const bytes = Buffer.from(await res.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const csv = bytes.toString('utf8');
    const rows = parseCsv(csv, { bom: true, columns: true }) as Record<string, string>[];
    expect(Object.keys(rows[0]!)).toEqual([...REPORT_CSV_COLUMNS]);
    expect(rows.map((r) => r.status).sort()).toEqual(['credible', 'credible', 'suspended']);
    // An E.164 number starts with `+`: written behind a quote like any formula-leading cell (README, report export).
    expect(rows.every((r) => r.number === `'${suspect.e164}` && r.shelter_id === SHELTER && r.handset_ids === handset.id && r.calls_in_window === '2')).toBe(true);
    // Ids of suspensions and handsets are random: the committed sample matches this output but for them.
    const mask = (text: string) => text.replace(/\b(sus|hs|hst|handset)_[0-9a-z]+/g, '$1_…').replace(/\r\n/g, '\n');
    if (process.env.SL_WRITE_SAMPLES === '1') writeFileSync(SAMPLE, csv);
    expect(mask(readFileSync(SAMPLE, 'utf8'))).toBe(mask(csv));
    // The README shows the same sample (without the BOM), under the layout's table.
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    expect(readme).toContain('```csv\n' + readFileSync(SAMPLE, 'utf8').replace(/^\uFEFF/, '').replace(/\r\n/g, '\n') + '```');
    for (const column of REPORT_CSV_COLUMNS) expect(readme, column).toMatch(new RegExp(`^\\| [^|]*\`${column}\``, 'm'));
  });
});
