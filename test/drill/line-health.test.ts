import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LineHealth, PhoneNumber, Shelter, ShelterService } from '../../provisioning/model/index.js';
import { ManualClock } from '../../provisioning/platform/clock.js';
import { TestClient } from '../support/hub-fixture.js';
import { startTestDrill } from '../support/drill-fixture.js';

type Drill = Awaited<ReturnType<typeof startTestDrill>>;
type Detail = Shelter & { service: ShelterService; numbers: Array<PhoneNumber & { health: LineHealth | null }> };

/** Carriers that lend 0AB-J numbers in the drill; the third lends only 050. */
const ZERO_ABJ = ['noto-cloud', 'hokuriku-voice'];

describe('when a carrier fails, everything the network says is true (drill over HTTP)', () => {
  let drill: Drill;
  const clock = new ManualClock('2024-01-09T09:00:00.000Z');
  let affected: string[] = [];
  let X = '';
  let Y = '';
  const detail = async (id: string) => (await drill.api.call<Detail>('GET', `/api/v1/shelters/${id}`)).body;
  const carrierOf = (d: Detail, e164: string | null) => d.numbers.find((n) => n.e164 === e164)?.carrierId;
  // The fixture's drain moves the ManualClock over backoffs instead of waiting for them.
  const drain = () => drill.server.deps.worker.drain({ timeoutMs: 60_000 });

  beforeAll(async () => {
    drill = await startTestDrill({ clock });
    const shelters = (await drill.api.call<{ items: Shelter[] }>('GET', '/api/v1/shelters?limit=1000')).body.items;
    const ids = shelters.filter((s) => s.areaCodes.includes('0767')).slice(0, 12).map((s) => s.id);
    await drill.api.call('POST', '/api/v1/shelters/open-bulk', { ids, lines: 2 });
    await drain();
    // X is the 0AB-J carrier that carries most shelters' first (published) line; five of those are watched.
    const details = await Promise.all(ids.map(detail));
    const firstOn = (c: string) => details.filter((d) => carrierOf(d, d.service.publishedNumber) === c);
    [X, Y] = [...ZERO_ABJ].sort((a, b) => firstOn(b).length - firstOn(a).length) as [string, string];
    affected = firstOn(X).slice(0, 5).map((d) => d.id);
    expect(affected).toHaveLength(5);
    for (const d of details) expect(d.actualStatus, d.id).toBe('open');
  }, 120_000);
  afterAll(async () => drill?.dispose());

  it('records what each printed poster shows, and refuses a print it cannot record without changing anything', async () => {
    const res = await drill.api.call<{ prints: Array<{ shelterId: string; numbers: string[]; emergencyCapable: boolean }> }>('POST', '/api/v1/prints', { shelterIds: affected });
    expect(res.status).toBe(201);
    for (const id of affected) {
      const d = await detail(id);
      expect(d.lastPrint).toMatchObject({ numbers: [d.service.publishedNumber, ...d.service.lines.filter((l) => l.e164 !== d.service.publishedNumber).map((l) => l.e164)], emergencyCapable: true, outOfDate: false });
    }
    const printedAt = (await detail(affected[0]!)).lastPrint!.printedAt;
    clock.advance(1000);
    const closed = (await drill.api.call<{ items: Shelter[] }>('GET', '/api/v1/shelters?desiredStatus=closed&limit=1')).body.items[0]!;
    expect((await drill.api.call('POST', '/api/v1/prints', { shelterIds: [affected[0], 'NO-SUCH-SHELTER'] }, { ok: [404] })).status).toBe(404);
    expect((await drill.api.call('POST', '/api/v1/prints', { shelterIds: [affected[0], closed.id] }, { ok: [409] })).status).toBe(409);
    expect((await drill.api.call('POST', '/api/v1/prints', { shelterIds: [] }, { ok: [400] })).status).toBe(400);
    const { body: viewer } = await drill.api.call<{ token: string }>('POST', '/api/v1/tokens', { label: 'viewer', role: 'viewer' });
    const asViewer = await fetch(`${drill.url}/api/v1/prints`, { method: 'POST', headers: { authorization: `Bearer ${viewer.token}`, 'content-type': 'application/json' }, body: JSON.stringify({ shelterIds: affected }) });
    expect(asViewer.status).toBe(403);
    expect((await detail(affected[0]!)).lastPrint!.printedAt).toBe(printedAt);
  });

  it('records a municipality’s printed phone directory on every shelter open there, and refuses one it cannot record', async () => {
    const municipality = (await detail(affected[0]!)).municipalityCode;
    const open = (await drill.api.call<{ items: Shelter[] }>('GET', `/api/v1/shelters?municipalityCode=${municipality}&desiredStatus=open&limit=1000`)).body.items.map((s) => s.id);
    const res = await drill.api.call<{ printedAt: string; prints: Array<{ shelterId: string; numbers: string[] }> }>('POST', '/api/v1/prints', { municipalityCode: municipality });
    expect(res.status).toBe(201);
    expect(res.body.prints.map((p) => p.shelterId).sort()).toEqual([...open].sort());
    for (const id of affected) {
      const d = await detail(id);
      // The directory's row shows what the poster shows: the working lines, the published one first.
      expect(d.lastDirectoryPrint).toMatchObject({ printedAt: res.body.printedAt, numbers: d.lastPrint!.numbers, emergencyCapable: true, outOfDate: false });
    }
    const audit = (await drill.api.call<{ items: Array<{ entity: { id: string } }> }>('GET', '/api/v1/audit?action=directory.print&limit=1000')).body.items;
    expect(audit.map((e) => e.entity.id).sort()).toEqual([...open].sort());
    // Nothing open in 金沢市: no directory to print; a malformed code is a 400; a viewer may not print.
    clock.advance(1000);
    expect((await drill.api.call('POST', '/api/v1/prints', { municipalityCode: '172014' }, { ok: [409] })).status).toBe(409);
    expect((await drill.api.call('POST', '/api/v1/prints', { municipalityCode: '七尾市' }, { ok: [400] })).status).toBe(400);
    expect((await drill.api.call('POST', '/api/v1/prints', { municipalityCode: municipality, shelterIds: affected }, { ok: [400] })).status).toBe(400);
    const { body: viewer } = await drill.api.call<{ token: string }>('POST', '/api/v1/tokens', { label: 'directory viewer', role: 'viewer' });
    const asViewer = await fetch(`${drill.url}/api/v1/prints`, { method: 'POST', headers: { authorization: `Bearer ${viewer.token}`, 'content-type': 'application/json' }, body: JSON.stringify({ municipalityCode: municipality }) });
    expect(asViewer.status).toBe(403);
    expect((await detail(affected[0]!)).lastDirectoryPrint!.printedAt).toBe(res.body.printedAt);
  });

  it('marks the X lines down in the same request, and the board hears it from the change feed', async () => {
    const board = await TestClient.open(drill.url.replace(/^http/, 'ws') + '/ws', { Authorization: `Bearer ${drill.adminToken}` });
    await board.waitFor(1);
    clock.advance(60_000);
    const downAt = clock.now().toISOString();
    const res = await drill.api.call<{ jobs: string[] }>('POST', `/api/v1/carriers/${X}/health`, { down: true, reason: 'drill: carrier X unreachable' });
    expect(res.body.jobs.length).toBeGreaterThanOrEqual(5);
    // No worker ran yet: what follows was written by the health request itself, at the clock's instant.
    for (const id of affected) {
      const d = await detail(id);
      const xLines = d.numbers.filter((n) => n.carrierId === X && n.health !== null);
      expect(xLines.length, id).toBeGreaterThan(0);
      for (const n of xLines) expect(n.health, `${id} ${n.e164}`).toBe('down');
      const others = d.numbers.filter((n) => n.carrierId !== X && n.health === 'working');
      expect(d.service.workingLines, id).toBe(others.length);
      expect(d.service.workingLines, id).toBeLessThan(2);
      expect(d.actualStatus, id).toBe(d.service.workingLines === 0 ? 'no_line' : 'degraded');
      expect(carrierOf(d, d.service.publishedNumber), id).not.toBe(X);
      const stored = (await drill.server.deps.store.get('shelters', id))!;
      expect(stored.service!.computedAt).toBe(downAt);
      // The poster and the directory on the wall printed an X number first: both are out of date now.
      expect(stored.lastPrint!.outOfDate, id).toBe(true);
      expect(stored.lastDirectoryPrint!.outOfDate, id).toBe(true);
    }
    const degraded = (await drill.api.call<{ items: Shelter[] }>('GET', '/api/v1/shelters?service=degraded&limit=1000')).body.items.map((s) => s.id);
    const noLine = (await drill.api.call<{ items: Shelter[] }>('GET', '/api/v1/shelters?service=no_line&limit=1000')).body.items.map((s) => s.id);
    for (const id of affected) expect([...degraded, ...noLine], id).toContain(id);
    // The feed delivered every affected shelter's new service to the board without any job running.
    // The board's form of a shelter carries no computedAt: every affected shelter had 2 working lines
    // when the board connected, so a change with fewer is the one this request wrote.
    const deadline = Date.now() + 10_000;
    const seen = () => new Set(board.messages.filter((m) => m.type === 'change' && m.collection === 'shelters' && ((m.doc as Shelter | null)?.service?.workingLines ?? 2) < 2).map((m) => m.id as string));
    while (affected.some((id) => !seen().has(id)) && Date.now() < deadline) await board.waitFor(board.messages.length + 1, 2000).catch(() => undefined);
    expect([...seen()].filter((id) => affected.includes(id)).sort()).toEqual([...affected].sort());
    board.close();
  });

  it('stays degraded until failover restores the wanted count, and never publishes an X number', async () => {
    await drain();
    for (const id of affected) {
      const d = await detail(id);
      expect(d.service.workingLines, id).toBe(2);
      expect(d.actualStatus, id).toBe('open');
      expect(carrierOf(d, d.service.publishedNumber), id).not.toBe(X);
      // The dead line stays assigned (callers know it), shown down; the replacement is marked as one.
      expect(d.numbers.some((n) => n.carrierId === X && n.health === 'down'), id).toBe(true);
      expect(d.service.lines.filter((l) => l.replacement).length, id).toBeGreaterThan(0);
    }
  });

  it('says no emergency-capable line once only 050 lines are left', async () => {
    clock.advance(60_000);
    await drill.api.call('POST', `/api/v1/carriers/${Y}/health`, { down: true, reason: 'drill: second 0AB-J carrier down' });
    await drain();
    const noEmergency = (await drill.api.call<{ items: Shelter[] }>('GET', '/api/v1/shelters?service=no_emergency&limit=1000')).body.items.map((s) => s.id);
    for (const id of affected) {
      const d = await detail(id);
      const working = d.numbers.filter((n) => n.health === 'working');
      expect(working.length, id).toBeGreaterThan(0);
      expect(working.every((n) => n.kind === '050'), id).toBe(true);
      expect(d.service.emergencyCapable, id).toBe(false);
      expect(d.service.publishedNumber!.startsWith('+8150'), id).toBe(true);
      expect(noEmergency, id).toContain(id);
    }
    const alerts = (await drill.api.call<{ items: Array<{ kind: string; shelterId: string | null }> }>('GET', '/api/v1/alerts?limit=1000')).body.items;
    for (const id of affected) expect(alerts.some((a) => a.kind === 'no_emergency' && a.shelterId === id), id).toBe(true);
  });

  it('counts a recovered carrier’s lines as working only after the drift check confirms their routing', async () => {
    clock.advance(60_000);
    const up = await drill.api.call<{ jobs: string[] }>('POST', `/api/v1/carriers/${X}/health`, { down: false, reason: 'drill: recovered' });
    await drill.api.call('POST', `/api/v1/carriers/${Y}/health`, { down: false, reason: 'drill: recovered' });
    for (const id of affected) {
      const d = await detail(id);
      for (const n of d.numbers.filter((x) => x.carrierId === X && x.health !== null)) expect(n.health, `${id} ${n.e164} before the drift check`).toBe('down');
    }
    const jobs = await Promise.all(up.body.jobs.map((j) => drill.server.deps.store.get('jobs', j)));
    expect(jobs.some((j) => j?.kind === 'routing_check' && j.carrierId === X)).toBe(true);
    await drain();
    for (const id of affected) {
      const d = await detail(id);
      const xLines = d.numbers.filter((n) => n.carrierId === X && n.health !== null);
      for (const n of xLines) expect(n.health, `${id} ${n.e164}`).toBe('working');
      expect(d.service.emergencyCapable, id).toBe(true);
      expect(d.actualStatus, id).toBe('open');
      // Replacement lines stay until the shelter closes: more lines than wanted, by design.
      expect(d.service.workingLines, id).toBeGreaterThanOrEqual(2);
    }
  });

  it('publishes each shelter\'s own number again once it works, so the poster printed before the outage is true again', async () => {
    for (const id of affected) {
      const d = await detail(id);
      // The poster printed before the outage led with the number on X: that number is published again.
      expect(d.service.publishedNumber, id).toBe(d.lastPrint!.numbers[0]);
      expect(carrierOf(d, d.service.publishedNumber), id).toBe(X);
      expect(d.lastPrint!.outOfDate, id).toBe(false);
      // The replacement lines stay, as spares after the shelter's own lines.
      const spares = d.service.lines.filter((l) => l.replacement);
      expect(spares.length, id).toBeGreaterThan(0);
      expect(d.service.lines.findIndex((l) => l.replacement), id).toBeGreaterThanOrEqual(d.service.lines.length - spares.length);
    }
    const stale = (await drill.api.call<{ items: Shelter[] }>('GET', '/api/v1/shelters?limit=1000')).body.items.filter((s) => affected.includes(s.id) && s.lastPrint?.outOfDate);
    expect(stale.map((s) => s.id)).toEqual([]);
  });

  it('refuses to mark an unknown carrier and changes nothing', async () => {
    const before = await detail(affected[0]!);
    const res = await drill.api.call('POST', '/api/v1/carriers/no-such-carrier/health', { down: true, reason: 'x' }, { ok: [404] });
    expect(res.status).toBe(404);
    const bad = await drill.api.call('POST', `/api/v1/carriers/${X}/health`, { down: 'yes' }, { ok: [400] });
    expect(bad.status).toBe(400);
    const badFilter = await drill.api.call('GET', '/api/v1/shelters?service=broken', undefined, { ok: [400] });
    expect(badFilter.status).toBe(400);
    expect((await detail(affected[0]!)).service).toEqual(before.service);
  });
});
