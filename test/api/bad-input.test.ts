import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { allRoutes } from '../../server/routes/index.js';
import type { RouteSpec } from '../../server/http/route.js';
import { apiCarrierInput, call, fillPath, snapshotStore, startApiServer, type ApiServer } from '../support/api-server.js';

/**
 * A body each mutating route would accept. The corpus breaks it one way at a time, so every case
 * is malformed for its route and nothing else. A new mutating route fails the test until it has one.
 */
const VALID: Record<string, { json?: unknown; csv?: string } | 'no-body'> = {
  'post /api/v1/tokens': { json: { label: 'ops desk', role: 'viewer' } },
  'delete /api/v1/tokens/:id': 'no-body',
  'post /api/v1/carriers': { json: apiCarrierInput('bad-input-new') },
  'patch /api/v1/carriers/:id': { json: { name: 'Renamed carrier' } },
  'post /api/v1/carriers/:id/numbers': { json: { numbers: [{ number: '0767-52-9999', emergencyCapable: true }] }, csv: 'number\n0767-52-9998\n' },
  'delete /api/v1/carriers/:id/numbers/:e164': 'no-body',
  'post /api/v1/shelters': { json: { id: 'BAD-1', name: '避難所', municipalityCode: '172022', address: '石川県七尾市', lat: 37, lon: 136.9 } },
  'patch /api/v1/shelters/:id': { json: { evacuees: 120 } },
  'patch /api/v1/shelters/:id/contact': { json: { contactName: '七尾 花子', notes: '発電機あり' } },
  'post /api/v1/shelters/:id/check-ins': 'no-body',
  'post /api/v1/shelters/:id/test-calls': 'no-body',
  'post /api/v1/shelters/import': { csv: 'ID,名称,所在地_全国地方公共団体コード,所在地_連結表記,緯度,経度\nX1,避難所,172022,石川県七尾市,37,136.9\n' },
  'post /api/v1/shelters/:id/open': { json: { lines: 1, reason: 'drill' } },
  'post /api/v1/shelters/:id/close': { json: { reason: 'drill over' } },
  'post /api/v1/shelters/open-bulk': { json: { ids: ['S1'], lines: 1 } },
  'post /api/v1/prints': { json: { shelterIds: ['S1'] } },
  'post /api/v1/jobs/:id/retry': 'no-body',
  'post /api/v1/alerts/:id/ack': 'no-body',
  'put /api/v1/alerts/:id/assignee': { json: { assignee: '山田' } },
  'post /api/v1/carriers/:id/health': { json: { down: true, reason: 'outage' } },
  'post /api/v1/carriers/:id/preflight': 'no-body',
  'post /api/v1/suspensions': { json: { number: '0767-52-0001', reason: 'fraud report', requestId: 'REQ-1' } },
  'post /api/v1/suspensions/:e164/lift': { json: { reason: 'cleared' } },
  'post /api/v1/work-orders/:id/result': { json: { status: 'done', detail: 'ok' } },
  'post /api/v1/shelters/:id/handsets': { json: { vendor: 'yealink', mac: '80:5E:C0:12:34:56', label: 'desk' } },
  'post /api/v1/session': { json: { token: 'a-token-of-at-least-sixteen-chars' } },
  'post /api/v1/call-decisions/outbound': { json: { callId: 'a84b4c76e66710@pbx.example.jp', handset: { username: 'h0a1b2c3d4e5f', domain: 'kaga.sip.shelter-line.jp' }, dialled: '0312345678' } },
  'post /api/v1/call-decisions/inbound': { json: { callId: 'a84b4c76e66711@pbx.example.jp', from: '+819012345678', to: '+81767520959' } },
  'post /api/v1/call-events': { json: { callId: 'a84b4c76e66711@pbx.example.jp', event: 'completed', durationSeconds: 42 } },
  'delete /api/v1/session': 'no-body',
  'put /api/v1/carriers/:id/special-numbers': { json: { specialNumbers: ['171', '#7119'], reason: 'declared by the member' } },
  'put /api/v1/dial-plan/translations': { json: { service: '#7119', prefecture: '17', number: '076-222-0000', source: 'test row', sourceDate: '2026-11-30' } },
  'delete /api/v1/dial-plan/translations/:id': 'no-body',
  'put /api/v1/dial-plan/navi-dial': { json: { refusedPrefixes: ['0570-000'] } },
  'post /api/v1/reports/:id/triage': { json: { triage: 'credible', note: 'checked' } },
  'post /api/v1/reports/:id/suspension': { json: { reason: 'fraud', requestId: 'REQ-2' } },
  'post /api/v1/shelters/:id/outbound-restriction/review': { json: { note: 'reviewed' } },
  'post /api/v1/shelters/:id/line-refusal/review': { json: { note: 'reviewed' } },
  'post /api/v1/drill/clock': { json: { advanceDays: 1 } },
};

/** Takes no input at all (it signs out whoever calls), so there is nothing to malform. */
const NO_INPUT = new Set(['delete /api/v1/session']);

interface Case {
  name: string;
  path: string;
  body?: string | Buffer;
  contentType?: string;
  headers?: Record<string, string>;
  /** Exact status expected, when the case pins one (413, 415, 400). */
  status?: number;
  /** Field path expected among the problem's `errors`. */
  errorPath?: string;
}

const BIG = 'x'.repeat(100_000);
const DEEP = '['.repeat(10_000) + ']'.repeat(10_000);
const DEEP_OBJECT = '{"a":'.repeat(10_000) + '1' + '}'.repeat(10_000);
const INVALID_UTF8 = (json: string) => Buffer.concat([Buffer.from(json.slice(0, -1) + ',"k":"'), Buffer.from([0xc3, 0x28, 0xff, 0xfe]), Buffer.from('"}')]);

type JsonSchema = { type?: string | string[]; anyOf?: JsonSchema[]; oneOf?: JsonSchema[]; enum?: unknown[]; const?: unknown; properties?: Record<string, JsonSchema>; required?: string[] };

function jsonType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

/** The JSON types a schema accepts (integer counts as number too). */
function acceptedTypes(s: JsonSchema): Set<string> {
  const out = new Set<string>();
  const add = (t: string) => {
    out.add(t);
    if (t === 'number') out.add('integer');
  };
  if (typeof s.type === 'string') add(s.type);
  if (Array.isArray(s.type)) s.type.forEach(add);
  for (const sub of [...(s.anyOf ?? []), ...(s.oneOf ?? [])]) acceptedTypes(sub).forEach(add);
  for (const v of s.enum ?? []) add(jsonType(v));
  if ('const' in s) add(jsonType(s.const));
  return out;
}

/** A value of a JSON type the field does not take (or undefined when it takes anything). */
function wrongValue(s: JsonSchema): unknown {
  const ok = acceptedTypes(s);
  if (ok.size === 0) return undefined;
  return [12345, 'wrong', true, [1], { k: 1 }, null].find((v) => !ok.has(jsonType(v)));
}

/** Every string leaf of a JSON value, as a path of keys. */
function stringLeaves(v: unknown, path: (string | number)[] = []): (string | number)[][] {
  if (typeof v === 'string') return [path];
  if (Array.isArray(v)) return v.flatMap((x, i) => stringLeaves(x, [...path, i]));
  if (v && typeof v === 'object') return Object.entries(v).flatMap(([k, x]) => stringLeaves(x, [...path, k]));
  return [];
}

function setAt(v: unknown, path: (string | number)[], value: unknown): unknown {
  const copy = structuredClone(v) as Record<string | number, unknown>;
  let at = copy;
  for (const k of path.slice(0, -1)) at = at[k] as Record<string | number, unknown>;
  at[path[path.length - 1]!] = value;
  return copy;
}

/** The malformed inputs for one route. */
function casesFor(route: RouteSpec, valid: { json?: unknown; csv?: string } | 'no-body', path: string, pathWithParams: (v: Record<string, string>) => string): Case[] {
  const cases: Case[] = [];
  const json = (name: string, value: unknown, extra: Partial<Case> = {}) =>
    cases.push({ name, path, body: typeof value === 'string' ? value : JSON.stringify(value), contentType: 'application/json', ...extra });
  const params = [...route.path.matchAll(/:(\w+)/g)].map((m) => m[1]!);

  // Path parameters a client could break: white space, a slash, broken %-encoding, 100 kB.
  for (const p of params) {
    const body = valid !== 'no-body' && valid.json !== undefined ? JSON.stringify(valid.json) : undefined;
    const ct = body ? 'application/json' : undefined;
    // A number may be written with spaces, so the number parser (not zod) refuses it, in `detail`.
    const errorPath = p === 'e164' ? {} : { errorPath: `path.${p}` };
    cases.push({ name: `:${p} with white space`, path: pathWithParams({ [p]: 'a b' }), body, contentType: ct, status: 400, ...errorPath });
    cases.push({ name: `:${p} with a slash`, path: pathWithParams({ [p]: 'a/b' }), body, contentType: ct, status: 400, ...errorPath });
    // 8 kB: Node refuses a request line over 16 kB itself (431) before any route sees it.
    cases.push({ name: `:${p} of 8 kB`, path: pathWithParams({ [p]: 'x'.repeat(8_000) }), body, contentType: ct, status: 400 });
    cases.push({ name: `:${p} with broken %-encoding`, path: route.path.replace(`:${p}`, '%E0%A4%A').replace(/:(\w+)/g, 'S1'), body, contentType: ct, status: 400 });
  }
  if (valid === 'no-body') return cases;

  const vj = valid.json;
  if (vj !== undefined && route.body) {
    const schema = z.toJSONSchema(route.body, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
    const text = JSON.stringify(vj);
    // Wrong types, one field at a time; zod names the field.
    for (const [key, prop] of Object.entries(schema.properties ?? {})) {
      const wrong = wrongValue(prop);
      if (wrong !== undefined) json(`${key} of the wrong type (${jsonType(wrong)})`, { ...(vj as object), [key]: wrong }, { status: 400, errorPath: `body.${key}` });
      json(`${key} nested 10,000 deep`, `${text.slice(0, -1)},${JSON.stringify(key)}:${DEEP}}`, { status: 400 });
    }
    for (const key of schema.required ?? []) {
      const { [key]: _gone, ...rest } = vj as Record<string, unknown>;
      json(`missing ${key}`, rest, { status: 400, errorPath: `body.${key}` });
    }
    for (const leaf of stringLeaves(vj)) json(`a 100 kB string at ${leaf.join('.')}`, setAt(vj, leaf, BIG), { status: 400 });
    json('an unknown field', { ...(vj as object), unexpected: 1 }, { status: 400 });
    json('a __proto__ key', `{"__proto__":{"polluted":true,"role":"admin"},${text.slice(1)}`, { status: 400 });
    json('a constructor key', `{"constructor":{"prototype":{"polluted":true}},${text.slice(1)}`, { status: 400 });
    json('a nested __proto__ key', `{${text.slice(1, -1)},"x":{"__proto__":{"polluted":true}}}`, { status: 400 });
    json('an array instead of an object', [vj], { status: 400 });
    json('null', 'null', { status: 400 });
    json('a bare string', '"hello"', { status: 400 });
    json('a number', '42', { status: 400 });
    json('truncated JSON', text.slice(0, -3), { status: 400 });
    json('JSON with a trailing comma', `${text.slice(0, -1)},}`, { status: 400 });
    json('an object nested 10,000 deep', DEEP_OBJECT, { status: 400 });
    json('an array nested 10,000 deep', DEEP, { status: 400 });
    json('an empty body labelled JSON', '', { status: 400 });
    cases.push({ name: 'invalid UTF-8 bytes in JSON', path, body: INVALID_UTF8(text), contentType: 'application/json', status: 400 });
    cases.push({ name: 'JSON over 1 MB', path, body: `${text.slice(0, -1)},"pad":"${'p'.repeat(1024 * 1024)}"}`, contentType: 'application/json', status: 413 });
    cases.push({ name: 'no content type', path, body: text, status: 415 });
    cases.push({ name: 'text/plain', path, body: text, contentType: 'text/plain', status: 415 });
    cases.push({ name: 'a form post', path, body: 'name=x&kind=api', contentType: 'application/x-www-form-urlencoded', status: 415 });
    cases.push({ name: 'multipart', path, body: '--b\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--b--\r\n', contentType: 'multipart/form-data; boundary=b', status: 415 });
    cases.push({ name: 'an empty body without a type', path, status: 415 });
    cases.push({ name: 'an Idempotency-Key of 300 characters', path, body: text, contentType: 'application/json', headers: { 'idempotency-key': 'k'.repeat(300) }, status: 400 });
  }
  if (route.csv) {
    const csv = (name: string, body: string | Buffer, extra: Partial<Case> = {}) => cases.push({ name, path, body, contentType: 'text/csv', ...extra });
    csv('an empty CSV', '', { status: 400 });
    csv('a CSV of only a header it does not know', 'foo,bar\n', { status: 400 });
    csv('JSON sent as text/csv', JSON.stringify(vj ?? { a: 1 }), { status: 400 });
    csv('UTF-16 CSV', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(valid.csv ?? 'a,b\n', 'utf16le')]), { status: 400 });
    csv('invalid UTF-8 bytes in a UTF-8 CSV', Buffer.concat([Buffer.from((valid.csv ?? 'a\n').split('\n')[0] + '\n'), Buffer.from([0xef, 0xbb]), Buffer.from('\n')]), { status: 400 });
    csv('an unterminated quote', `${(valid.csv ?? 'a\n').split('\n')[0]}\n"0767-52-0001,\n`, { status: 400 });
    csv('binary garbage', Buffer.from([0, 1, 2, 3, 0xff, 0x00, 0x80, 0x0a, 0x0d]), { status: 400 });
    csv('CSV over 5 MB', (valid.csv ?? 'a\n') + 'z'.repeat(5 * 1024 * 1024 + 16), { status: 413 });
    if (route.csvOnly) cases.push({ name: 'JSON to a CSV-only route', path, body: '{"a":1}', contentType: 'application/json', status: 415 });
  }
  return cases;
}

let s: ApiServer;
/** The member's own token: the call-decision API takes no other role. */
let carrierToken: string;
beforeAll(async () => {
  s = await startApiServer();
  // Real targets, so a case that slipped through validation would show as a store change.
  const carrier = await call(s, 'post', '/api/v1/carriers', { token: s.adminToken, json: apiCarrierInput('bad-input-carrier') });
  expect(carrier.status).toBe(201);
  carrierToken = carrier.body.token;
  expect((await call(s, 'post', '/api/v1/shelters', { token: s.adminToken, json: { id: 'S1', name: '避難所', municipalityCode: '172022', address: '石川県七尾市', lat: 37, lon: 136.9 } })).status).toBe(201);
});
afterAll(async () => {
  await s?.close();
});

const mutating = allRoutes().filter((r) => r.method !== 'get');
const values = { id: 'bad-input-carrier', e164: '+81767520001', carrierId: 'bad-input-carrier' };
const forRoute = (r: RouteSpec) => (r.path.includes('/shelters/:id') ? { ...values, id: 'S1' } : values);

describe('bad input', () => {
  it('has a valid example body for every mutating route', () => {
    expect(mutating.map((r) => `${r.method} ${r.path}`).filter((k) => !(k in VALID))).toEqual([]);
  });

  it('answers every malformed body to every mutating route with a 4xx problem and leaves the store unchanged', async () => {
    const failures: string[] = [];
    let run = 0;
    for (const route of mutating) {
      const key = `${route.method} ${route.path}`;
      if (NO_INPUT.has(key)) continue;
      const token = route.access.kind !== 'roles' ? null : route.access.roles.includes('admin') ? s.adminToken : carrierToken;
      const base = forRoute(route);
      const cases = casesFor(route, VALID[key]!, fillPath(route.path, base), (v) => fillPath(route.path, { ...base, ...v }));
      expect(cases.length, key).toBeGreaterThan(0);
      for (const c of cases) {
        const before = await snapshotStore(s.store);
        const res = await call(s, route.method, c.path, { token, ...(c.body !== undefined ? { body: c.body } : {}), ...(c.contentType ? { contentType: c.contentType } : {}), ...(c.headers ? { headers: c.headers } : {}) });
        run++;
        const label = `${key} ← ${c.name}: ${res.status} ${res.text.slice(0, 200)}`;
        if (res.status < 400 || res.status >= 500) failures.push(`not a 4xx: ${label}`);
        else if (!/^application\/problem\+json/.test(res.headers.get('content-type') ?? '')) failures.push(`not a problem: ${label}`);
        else if (c.status !== undefined && res.status !== c.status) failures.push(`expected ${c.status}: ${label}`);
        else if (c.errorPath && !res.body?.errors?.some((e: { path: string }) => e.path === c.errorPath || e.path.startsWith(c.errorPath + '.'))) failures.push(`no ${c.errorPath} in errors: ${label}`);
        const after = await snapshotStore(s.store);
        if (JSON.stringify(after) !== JSON.stringify(before)) failures.push(`store changed: ${label}`);
      }
    }
    console.log(`bad-input corpus: ${run} malformed requests to ${mutating.length - NO_INPUT.size} mutating routes`);
    expect(failures).toEqual([]);
    expect(run).toBeGreaterThan(300);
    // JSON.parse keeps __proto__ as a plain key: nothing reached Object.prototype.
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  }, 180_000); // hundreds of requests in sequence: bounded by count, not by how busy the machine is

  it('answers zod failures with 400 and the path of every failing field', async () => {
    const res = await call(s, 'post', '/api/v1/carriers', { token: s.adminToken, json: { name: 7, kind: 'fax', certifications: { etoc: { status: 'maybe' } } } });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ type: expect.stringMatching(/validation$/), title: 'Invalid request', status: 400 });
    const paths = res.body.errors.map((e: { path: string }) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['body.name', 'body.kind', 'body.certifications.etoc.status']));
  });

  it('answers a number that is not a Japanese number with 400, in the body or the path', async () => {
    const before = await snapshotStore(s.store);
    const cases = [
      await call(s, 'post', '/api/v1/suspensions', { token: s.adminToken, json: { number: 'call me', reason: 'fraud' } }),
      await call(s, 'post', '/api/v1/suspensions/12/lift', { token: s.adminToken, json: { reason: 'cleared' } }),
      await call(s, 'delete', '/api/v1/carriers/bad-input-carrier/numbers/%2B1%20555', { token: s.adminToken }),
    ];
    for (const res of cases) {
      expect(res.status, res.text).toBe(400);
      expect(res.body.detail).toMatch(/invalid phone number/);
    }
    expect(await snapshotStore(s.store)).toEqual(before);
  });

  it('answers malformed query strings with 400 naming the parameter', async () => {
    for (const q of ['limit=0', 'limit=abc', 'limit=100000', 'state=flying', 'bogus=1', `cursor=${'c'.repeat(600)}`, 'cursor=not-a-cursor']) {
      const res = await call(s, 'get', `/api/v1/numbers?${q}`, { token: s.adminToken });
      expect(res.status, q).toBe(400);
      expect(res.headers.get('content-type'), q).toMatch(/application\/problem\+json/);
    }
  });

  it('answers an unknown route with a 404 problem', async () => {
    // Other page GETs that accept HTML belong to the board's SPA fallback; an API client gets the 404.
    for (const [method, path] of [['get', '/api/v1/nope'], ['post', '/api/v2/carriers'], ['get', '/nowhere'], ['put', '/api/v1/carriers'], ['delete', '/api']] as const) {
      const res = await call(s, method, path, { token: s.adminToken, headers: { accept: 'application/json' } });
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
      expect(res.body).toMatchObject({ status: 404, type: expect.stringMatching(/not-found$/) });
    }
  });
});
