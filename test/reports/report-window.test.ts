import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allDocs, call, startApiServer, storeKinds, type ApiServer } from '../support/api-server.js';
import { TOO_MANY_REPORTS } from '../../server/reports/report-window-routes.js';

const FORM = 'application/x-www-form-urlencoded';
const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
/** START is 2025-06-01T00:00Z = 09:00 in Japan; the call came an hour before, local time as a datetime-local field sends it. */
const REPORT = { number: '0767-52-0959', calledAt: '2025-06-01T08:00', description: '警察官を名乗り、キャッシュカードを預かると言われた', contact: '' };

describe.each(storeKinds())('the public reporting window /report (%s)', (kind) => {
  let s: ApiServer;
  beforeAll(async () => {
    s = await startApiServer({ store: kind });
  });
  afterAll(async () => s?.close());

  const stored = async () => ({ reports: await allDocs(s.store, 'reports'), audit: (await allDocs(s.store, 'audit')).filter((e: { action: string }) => e.action.startsWith('report.')) });

  it('serves a plain, accessible Japanese-first form without sign-in or JavaScript', async () => {
    const r = await call(s, 'GET', '/report');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/^text\/html/);
    expect(r.text).toMatch(/<html lang="ja">/);
    expect(r.text).toMatch(/<form method="post" action="\/report"/);
    expect(r.text).not.toMatch(/<script/i);
    for (const field of ['number', 'calledAt', 'description', 'contact']) {
      expect(r.text).toContain(`<label for="${field}">`);
      expect(r.text).toMatch(new RegExp(`id="${field}" name="${field}" aria-describedby="${field}-hint"`));
    }
    expect(r.text.indexOf('不審な電話の申告窓口')).toBeLessThan(r.text.indexOf('Report a suspicious call'));
  });

  it('takes a plain form POST (no JS) and answers with a page; the report is stored once, with its number normalised', async () => {
    const r = await call(s, 'POST', '/report', { body: form(REPORT), contentType: FORM });
    expect(r.status).toBe(201);
    expect(r.headers.get('content-type')).toMatch(/^text\/html/);
    expect(r.text).toContain('申告を受け付けました');
    const { reports, audit } = await stored();
    expect(reports).toHaveLength(1);
    expect(reports[0]).toMatchObject({ e164: '+81767520959', calledAt: '2025-05-31T23:00:00.000Z', channel: 'form', status: 'received', contact: null, description: REPORT.description });
    expect(r.text).toContain(reports[0].id);
    expect(audit.map((e: { action: string }) => e.action)).toEqual(['report.received']);
  });

  it('takes JSON and answers with a receipt; the same report again is counted, not stored twice', async () => {
    const body = { number: '+81 90-1234-5678', calledAt: '2025-06-01T07:30:00+09:00', description: '還付金があるとATMに誘導された', contact: '090-0000-0000' };
    const first = await call(s, 'POST', '/report', { json: body });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ duplicate: false, message: expect.stringContaining('受け付けました') });
    // Nothing about the number's history goes back to the public.
    expect(Object.keys(first.body).sort()).toEqual(['duplicate', 'id', 'message', 'receivedAt']);
    const again = await call(s, 'POST', '/report', { json: { ...body, description: ` ${body.description}  ` } });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ id: first.body.id, duplicate: true });
    const doc = (await stored()).reports.find((x: { id: string }) => x.id === first.body.id);
    expect(doc).toMatchObject({ e164: '+819012345678', channel: 'json', duplicates: 1, contact: '090-0000-0000' });
  });

  const BAD: Array<[string, Record<string, string>, string, RegExp]> = [
    ['everything empty', { number: '', calledAt: '', description: '' }, 'body.number', /電話番号を入力してください/],
    ['a 100 kB text', { ...REPORT, description: 'あ'.repeat(100 * 1024 / 3) }, 'body.description', /2000文字以内/],
    ['a number that is not Japanese', { ...REPORT, number: '+1 212 555 1234' }, 'body.number', /日本の電話番号として正しくありません/],
    ['a date in the future', { ...REPORT, calledAt: '2025-06-02T10:00' }, 'body.calledAt', /未来の日時は指定できません/],
    ['a date that is no date', { ...REPORT, calledAt: 'きのうの夜' }, 'body.calledAt', /日時の形式が正しくありません/],
  ];

  it.each(BAD)('refuses %s as JSON with the failing field, storing nothing', async (_name, fields, path, message) => {
    const before = await stored();
    const r = await call(s, 'POST', '/report', { json: fields });
    expect(r.status).toBe(400);
    expect(r.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(r.body.errors).toContainEqual({ path, message: expect.stringMatching(message) });
    expect(await stored()).toEqual(before);
  });

  it.each(BAD)('refuses %s from the form with the page again, the problem beside its field', async (_name, fields, path, message) => {
    const before = await stored();
    const r = await call(s, 'POST', '/report', { body: form(fields), contentType: FORM });
    expect(r.status).toBe(400);
    expect(r.headers.get('content-type')).toMatch(/^text\/html/);
    const field = path.replace('body.', '');
    expect(r.text).toMatch(/role="alert"/);
    expect(r.text).toMatch(new RegExp(`id="${field}-error" class="err">[^<]*${message.source}`));
    expect(r.text).toMatch(new RegExp(`id="${field}" name="${field}" aria-describedby="${field}-hint ${field}-error"`));
    expect(await stored()).toEqual(before);
  });

  it('keeps what was typed when the form comes back, escaped', async () => {
    const r = await call(s, 'POST', '/report', { body: form({ ...REPORT, number: '<script>alert(1)</script>' }), contentType: FORM });
    expect(r.status).toBe(400);
    expect(r.text).not.toContain('<script>');
    expect(r.text).toContain('value="&lt;script&gt;alert(1)&lt;/script&gt;"');
    expect(r.text).toContain(REPORT.description);
  });
});

describe('the reporting window’s rate limit per address', () => {
  let s: ApiServer;
  beforeAll(async () => {
    s = await startApiServer();
  });
  afterAll(async () => s?.close());

  it('answers the 21st report from one address in an hour with 429 and a Japanese message, storing nothing; an hour later it takes reports again', async () => {
    for (let i = 0; i < 20; i++) {
      const r = await call(s, 'POST', '/report', { json: { ...REPORT, description: `不審な電話 ${i}` } });
      expect(r.status, r.text).toBe(201);
    }
    const json = await call(s, 'POST', '/report', { json: { ...REPORT, description: '21件目' } });
    expect(json.status).toBe(429);
    expect(json.body.detail).toBe(TOO_MANY_REPORTS);
    expect(json.headers.get('retry-after')).toBe('3600');
    const page = await call(s, 'POST', '/report', { body: form({ ...REPORT, description: '22件目' }), contentType: FORM });
    expect(page.status).toBe(429);
    expect(page.text).toContain('短時間に多くの申告が送られました');
    expect(await allDocs(s.store, 'reports')).toHaveLength(20);

    s.clock.advance(60 * 60 * 1000 + 1);
    expect((await call(s, 'POST', '/report', { json: { ...REPORT, calledAt: '2025-06-01T09:30', description: '1時間後' } })).status).toBe(201);
  });
});
