import { parse as parseCsv } from 'csv-parse/sync';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEvent, Role } from '../../provisioning/model/index.js';
import { BOOTSTRAP_ADMIN_TOKEN_ID } from '../../provisioning/access/tokens.js';
import { AUDIT_CSV_COLUMNS } from '../../provisioning/audit/audit-csv.js';
import { allDocs, apiCarrierInput, call, mint, startApiServer, type ApiServer, type CallResult } from '../support/api-server.js';

const NAKANOTO = readFileSync(new URL('../fixtures/shelters/gsi-nakanoto-sjis.csv', import.meta.url));
const SHELTER = { id: 'AUD-1', name: '監査避難所', municipalityCode: '172022', address: '石川県七尾市', lat: 37.04, lon: 136.96 };

interface Mutation {
  what: string;
  run: () => Promise<CallResult>;
  action: string;
  role: Role;
  /** Which summary the event must carry. */
  summary: 'after' | 'before+after' | 'from+to';
}

let s: ApiServer;
let coordinator: { id: string; token: string };
let authority: { id: string; token: string };
let carrier: { id: string; token: string; tokenId: string };

beforeAll(async () => {
  s = await startApiServer();
  coordinator = await mint(s, 'coordinator');
  authority = await mint(s, 'authority');
});
afterAll(async () => {
  await s?.close();
});

const auditIds = async () => new Set((await allDocs(s.store, 'audit')).map((e: AuditEvent) => e.id));

describe('audit log', () => {
  it('appends an event with who, role, what and a before/after summary for every mutation', async () => {
    const viewerToRevoke = await mint(s, 'viewer');
    const mutations: Mutation[] = [
      { what: 'mint a token', run: () => call(s, 'post', '/api/v1/tokens', { token: s.adminToken, json: { label: 'desk', role: 'viewer' } }), action: 'token.mint', role: 'admin', summary: 'after' },
      { what: 'revoke a token', run: () => call(s, 'delete', `/api/v1/tokens/${viewerToRevoke.id}`, { token: s.adminToken }), action: 'token.revoke', role: 'admin', summary: 'after' },
      {
        what: 'register a carrier', action: 'carrier.register', role: 'admin', summary: 'after',
        run: async () => {
          const res = await call(s, 'post', '/api/v1/carriers', { token: s.adminToken, json: apiCarrierInput('aud-carrier') });
          const tokenDoc = (await allDocs(s.store, 'tokens')).find((t) => t.carrierId === 'aud-carrier');
          carrier = { id: 'aud-carrier', token: res.body.token, tokenId: tokenDoc.id };
          return res;
        },
      },
      { what: 'update a carrier', run: () => call(s, 'patch', '/api/v1/carriers/aud-carrier', { token: s.adminToken, json: { name: 'Renamed', capacity: { requestsPerSecond: 3, concurrency: 1 } } }), action: 'carrier.update', role: 'admin', summary: 'before+after' },
      { what: 'lend a number', run: () => call(s, 'post', '/api/v1/carriers/aud-carrier/numbers', { token: carrier.token, json: { numbers: [{ number: '0767-52-7001' }, { number: '0767-52-7002' }] } }), action: 'number.lend', role: 'carrier', summary: 'after' },
      { what: 'withdraw a number', run: () => call(s, 'delete', '/api/v1/carriers/aud-carrier/numbers/0767-52-7002', { token: carrier.token }), action: 'number.withdrawn', role: 'carrier', summary: 'from+to' },
      { what: 'create a shelter', run: () => call(s, 'post', '/api/v1/shelters', { token: coordinator.token, json: SHELTER }), action: 'shelter.upsert', role: 'coordinator', summary: 'after' },
      { what: 'update a shelter', run: () => call(s, 'post', '/api/v1/shelters', { token: coordinator.token, json: { ...SHELTER, capacity: 80 } }), action: 'shelter.upsert', role: 'coordinator', summary: 'before+after' },
      { what: 'import shelters', run: () => call(s, 'post', '/api/v1/shelters/import', { token: coordinator.token, body: NAKANOTO, contentType: 'text/csv' }), action: 'shelter.import', role: 'coordinator', summary: 'after' },
      { what: 'open a shelter', run: () => call(s, 'post', '/api/v1/shelters/AUD-1/open', { token: coordinator.token, json: { lines: 1 } }), action: 'shelter.open', role: 'coordinator', summary: 'from+to' },
      { what: 'close a shelter', run: () => call(s, 'post', '/api/v1/shelters/AUD-1/close', { token: coordinator.token, json: { reason: 'drill over' } }), action: 'shelter.close', role: 'coordinator', summary: 'from+to' },
      { what: 'mark a carrier down', run: () => call(s, 'post', '/api/v1/carriers/aud-carrier/health', { token: coordinator.token, json: { down: true, reason: 'outage' } }), action: 'carrier.down', role: 'coordinator', summary: 'from+to' },
      { what: 'suspend a number', run: () => call(s, 'post', '/api/v1/suspensions', { token: authority.token, json: { number: '0767-52-7001', reason: 'special fraud' } }), action: 'number.suspended', role: 'authority', summary: 'from+to' },
    ];
    const tokenIdOf: Record<string, () => string> = {
      admin: () => BOOTSTRAP_ADMIN_TOKEN_ID, coordinator: () => coordinator.id, authority: () => authority.id, carrier: () => carrier.tokenId,
    };
    for (const m of mutations) {
      const before = await auditIds();
      const res = await m.run();
      expect(res.status, `${m.what}: ${res.text.slice(0, 300)}`).toBeLessThan(300);
      const fresh = (await allDocs(s.store, 'audit')).filter((e: AuditEvent) => !before.has(e.id));
      const event = fresh.find((e: AuditEvent) => e.action === m.action);
      expect(event, `${m.what}: expected ${m.action} among ${fresh.map((e: AuditEvent) => e.action).join(', ')}`).toBeDefined();
      expect(event.actor, m.what).toMatchObject({ id: tokenIdOf[m.role]!(), role: m.role });
      expect(Date.parse(event.at)).toBe(s.clock.now().getTime());
      if (m.summary === 'after') expect(event.after, m.what).toBeTruthy();
      if (m.summary === 'before+after') {
        expect(event.before, m.what).toBeTruthy();
        expect(event.after, m.what).toBeTruthy();
        expect(event.before).not.toEqual(event.after);
      }
      if (m.summary === 'from+to') {
        expect(event.to, m.what).toBeTruthy();
        expect(event.from ?? event.before, m.what).toBeTruthy();
      }
    }
  });

  it('never appends an event for a refused request', async () => {
    const before = await auditIds();
    await call(s, 'post', '/api/v1/carriers', { token: coordinator.token, json: apiCarrierInput('nope') });
    await call(s, 'post', '/api/v1/shelters', { token: coordinator.token, json: { ...SHELTER, lat: 'north' } });
    expect(await auditIds()).toEqual(before);
  });

  it('is admin only', async () => {
    expect((await call(s, 'get', '/api/v1/audit', { token: coordinator.token })).status).toBe(403);
    expect((await call(s, 'get', '/api/v1/audit')).status).toBe(401);
  });

  it('pages newest first with a cursor, each event once', async () => {
    const stored = await allDocs(s.store, 'audit');
    expect(stored.length).toBeGreaterThan(15);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: CallResult = await call(s, 'get', `/api/v1/audit?limit=4${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { token: s.adminToken });
      expect(res.status).toBe(200);
      expect(res.body.items.length).toBeLessThanOrEqual(4);
      seen.push(...res.body.items.map((e: AuditEvent) => e.id));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(stored.map((e: AuditEvent) => e.id).sort().reverse());
  });

  it('filters by action', async () => {
    const res = await call(s, 'get', '/api/v1/audit?action=shelter.upsert', { token: s.adminToken });
    expect(res.body.items.length).toBe(2);
    expect(res.body.items.every((e: AuditEvent) => e.action === 'shelter.upsert')).toBe(true);
  });

  it('exports the CSV a reviewer opens in Excel: the same events as the JSON page, in Japanese, summaries as words', async () => {
    const json = await call(s, 'get', '/api/v1/audit?limit=10', { token: s.adminToken });
    const res = await call(s, 'get', '/api/v1/audit?limit=10&format=csv', { token: s.adminToken });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(res.headers.get('x-next-cursor')).toBe(json.body.nextCursor);
    const rows = parseCsv(res.text, { columns: true, bom: true }) as Record<string, string>[];
    expect(Object.keys(rows[0]!)).toEqual([...AUDIT_CSV_COLUMNS]);
    expect(rows.map((r) => r['イベントID'])).toEqual(json.body.items.map((e: AuditEvent) => e.id));
    // Before/after summaries are one `key: value` line each, not JSON.
    const upserts = parseCsv((await call(s, 'get', '/api/v1/audit?action=shelter.upsert&format=csv', { token: s.adminToken })).text, { columns: true, bom: true }) as Record<string, string>[];
    const update = upserts.find((r) => r['変更前の内容'] !== '')!;
    expect(update['変更前の内容']!.split('\n')).toContain('capacity: ');
    expect(update['変更後の内容']!.split('\n')).toEqual(expect.arrayContaining(['capacity: 80', 'areaCodes: 0767']));
    expect(update).toMatchObject({ 操作: '避難所を登録・更新', 操作コード: 'shelter.upsert', 役割: '調整担当', 操作者ID: coordinator.id, 対象の種類: '避難所', 対象: '監査避難所' });
    expect(update['日時']).toMatch(/\+09:00$/);
  });
});
