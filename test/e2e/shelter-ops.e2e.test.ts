import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import type { Page } from 'playwright-core';
import type { AuditEvent, Handset, Shelter } from '../../provisioning/model/index.js';
import { startDrill, type RunningDrill } from '../../server/drill/start-drill.js';
import { buildBoard } from '../support/build-board.js';
import { seriousAxeFindings } from './axe.js';
import { collectPageErrors, launchChromium, signInOnBoard } from '../support/browser.js';
import { requirement } from '../support/requirements.js';

const BROWSER = requirement('chromium');

let drill: RunningDrill;
let browser: Awaited<ReturnType<typeof launchChromium>>;
let dataDir: string;
const consoleErrors: string[] = [];

async function mint(role: 'coordinator' | 'viewer' | 'admin', label = `e2e ${role}`): Promise<string> {
  return (await drill.api.call<{ token: string }>('POST', '/api/v1/tokens', { label, role })).body.token;
}

async function signedInPage(token: string): Promise<Page> {
  // One browser profile: signing in on a new page replaces the session cookie, so pages are used one at a time.
  await browser.context.clearCookies();
  const page = await browser.context.newPage();
  await signInOnBoard(page, drill.boardUrl, token);
  // Watched once signed in: the signed-out board's session probe answers 401 by design.
  collectPageErrors(page, consoleErrors);
  return page;
}

/** The board answers over a socket on a shared, loaded machine: every poll of the page gets a generous deadline. */
const poll = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 20_000, interval: 100 });

/** Polls `read` until `done` holds; bounded by a deadline. */
async function until<T>(what: string, read: () => Promise<T>, done: (v: T) => boolean, ms = 60_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (done(v)) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe.skipIf(!BROWSER.available)('shelter operations on the board (real headless Chromium)', () => {
  let shelter: Shelter;
  let handset: Handset;
  let provisioningUrl: string;

  beforeAll(async () => {
    await buildBoard();
    dataDir = mkdtempSync(join(tmpdir(), 'sl-e2e-ops-'));
    drill = await startDrill({ dataDir, logger: pino({ level: 'silent' }) });
    browser = await launchChromium();
    const shelters = (await drill.api.call<{ items: Shelter[] }>('GET', '/api/v1/shelters?limit=1000')).body.items;
    shelter = shelters.find((s) => s.areaCodes.includes('0767'))!;
    await drill.api.call('POST', `/api/v1/shelters/${shelter.id}/open`, { lines: 2 });
    await until('the shelter to open', async () => (await drill.api.call<Shelter>('GET', `/api/v1/shelters/${shelter.id}`)).body, (s) => s.actualStatus === 'open');
    const registered = (await drill.api.call<{ handset: Handset; provisioningUrl: string }>('POST', `/api/v1/shelters/${shelter.id}/handsets`, { mac: '80-5E-C0-11-22-33', vendor: 'yealink', label: '受付電話' })).body;
    handset = registered.handset;
    provisioningUrl = registered.provisioningUrl;
    await until('the handset credentials', async () => (await drill.api.call<{ handsets: Handset[] }>('GET', `/api/v1/shelters/${shelter.id}`)).body.handsets.find((h) => h.id === handset.id)!, (h) => h.credentials.every((c) => c.state === 'active'));
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await drill?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('a coordinator sets the contact person and notes, checks in and sees its age; a viewer reads them; all audited', async () => {
    const page = await signedInPage(await mint('coordinator', '能登 太郎'));
    await page.goto(`${drill.boardUrl}shelters/${encodeURIComponent(shelter.id)}`);
    const contact = page.getByTestId('shelter-contact');
    await contact.waitFor();
    await poll(() => page.getByTestId('last-check-in').textContent()).toContain('まだ確認の記録がありません');

    await contact.getByLabel('連絡担当者').fill('七尾 花子');
    await contact.getByLabel('連絡先電話番号').fill('090-1234-5678');
    await contact.getByLabel('メモ').fill('発電機あり。\n夜間は体育館入口で受付。');
    await contact.getByRole('button', { name: '連絡先・メモを保存' }).click();
    await contact.getByRole('status').waitFor();
    await contact.getByRole('button', { name: '今、避難所と連絡を取った' }).click();
    // The age is measured on the drill's clock (the server's), not the browser's.
    await poll(() => page.getByTestId('last-check-in').textContent()).toMatch(/^(たった今|\d+ 分前)（能登 太郎）/);

    const stored = (await drill.api.call<Shelter>('GET', `/api/v1/shelters/${shelter.id}`)).body;
    expect(stored).toMatchObject({ contactName: '七尾 花子', contactPhone: '090-1234-5678', notes: '発電機あり。\n夜間は体育館入口で受付。' });
    expect(stored.lastCheckIn?.by).toBe('能登 太郎');
    const audit = (await drill.api.call<{ items: AuditEvent[] }>('GET', '/api/v1/audit?limit=50')).body.items;
    expect(audit.find((e) => e.action === 'shelter.contact')).toMatchObject({ actor: { role: 'coordinator', label: '能登 太郎' }, after: { contactName: '七尾 花子' } });
    expect(audit.find((e) => e.action === 'shelter.check-in')).toMatchObject({ entity: { id: shelter.id } });

    // Bad input is refused with the field named, and nothing changes.
    await contact.getByLabel('連絡先電話番号').fill('call me');
    await contact.getByRole('button', { name: '連絡先・メモを保存' }).click();
    await poll(() => contact.locator('[role="alert"]').allTextContents()).toEqual([expect.stringContaining('contactPhone')]);
    // The refused save is the one console error this test causes on purpose.
    await poll(() => consoleErrors.filter((e) => e.includes('status of 400')).length).toBe(1);
    consoleErrors.splice(0, consoleErrors.length, ...consoleErrors.filter((e) => !e.includes('status of 400')));
    expect((await drill.api.call<Shelter>('GET', `/api/v1/shelters/${shelter.id}`)).body.contactPhone).toBe('090-1234-5678');
    await page.close();

    const wall = await signedInPage(await mint('viewer'));
    await wall.goto(`${drill.boardUrl}shelters/${encodeURIComponent(shelter.id)}`);
    const seen = wall.getByTestId('shelter-contact');
    await poll(() => seen.textContent()).toContain('七尾 花子');
    expect(await seen.getByRole('button').count()).toBe(0);
    expect(await seen.locator('input, textarea').count()).toBe(0);
    await wall.close();
  }, 120_000);

  it('shows handset state (provisioned, file not fetched yet, then current) and what a test call found: rang where registered, not registered elsewhere', async () => {
    const page = await signedInPage(await mint('coordinator'));
    await page.goto(`${drill.boardUrl}shelters/${encodeURIComponent(shelter.id)}`);
    const row = page.locator('tr', { hasText: '受付電話' });
    await poll(() => row.textContent()).toContain('設定済み');
    await poll(() => row.locator('[data-registration]').textContent()).toContain('不明');
    expect(await row.getByTestId('handset-last-fetch').getAttribute('data-at')).toBe('');
    // Freshly registered: it runs no file of ours yet, so nothing old either.
    await poll(() => row.locator('[data-handset-file]').getAttribute('data-handset-file')).toBe('never');
    expect(await row.locator('[data-handset-file]').textContent()).not.toContain('古い設定のまま');
    // The phone fetches its file: the board shows when, live.
    const file = await fetch(provisioningUrl, { headers: { 'user-agent': 'Yealink SIP-T46S 66.86.0.15 80:5e:c0:11:22:33' } });
    expect(file.status).toBe(200);
    await poll(() => row.getByTestId('handset-last-fetch').getAttribute('data-at')).toMatch(/^\d{4}-/);
    await poll(() => row.locator('[data-handset-file]').getAttribute('data-handset-file')).toBe('current');

    const account = (id: string) => drill.carriers.find((c) => c.id === id)!.account!.sid;
    const creds = (await drill.server.deps.store.get('handsets', handset.id))!.credentials;
    // The phone registers with its primary carrier only: that one rings, the other cannot reach it.
    const [primary, backup] = creds;
    expect(drill.sim.registerSip({ domain: primary!.domain, username: primary!.username, password: drill.server.deps.engine.secrets.open(primary!.passwordEncrypted) })).toBe(true);
    const before = creds.map((c) => drill.sim.snapshot(account(c.carrierId)).api_calls.length);

    await page.getByRole('button', { name: '試験通話（端末を鳴らす）' }).click();
    const results = page.getByTestId('test-call-results');
    await results.waitFor();
    const said = (carrierId: string) => results.locator('li', { hasText: drill.carriers.find((c) => c.id === carrierId)!.name });
    await poll(() => said(primary!.carrierId).getAttribute('data-outcome')).toBe('rang');
    await poll(() => said(backup!.carrierId).getAttribute('data-outcome')).toBe('not_registered');
    expect(await said(primary!.carrierId).textContent()).toContain('端末が鳴りました');
    expect(await said(backup!.carrierId).textContent()).toContain('登録されていません');
    for (const [i, c] of creds.entries()) {
      const calls = drill.sim.snapshot(account(c.carrierId)).api_calls;
      expect(calls.length).toBeGreaterThan(before[i]!);
      const sid = await said(c.carrierId).getAttribute('data-call-ref');
      expect(calls.map((x) => x.sid)).toContain(sid);
      expect(calls.find((x) => x.sid === sid)!.to).toBe(`sip:${c.username}@${c.domain}`);
    }
    await poll(() => page.getByTestId('last-test-call').getAttribute('data-reached')).toBe('1');
    expect(await page.getByTestId('last-test-call').getAttribute('data-not-reached')).toBe('1');
    const audit = (await drill.api.call<{ items: AuditEvent[] }>('GET', '/api/v1/audit?action=shelter.test-call')).body.items;
    expect(audit).toHaveLength(1);
    await page.close();
  }, 120_000);

  it('an admin creates a named coordinator token (shown once, copyable), it signs in, and once revoked it no longer does', async () => {
    const admin = await signedInPage(drill.adminToken);
    await admin.getByRole('link', { name: 'アクセス権' }).click();
    await admin.getByLabel('名前（誰が使うか）').fill('七尾市災害対策本部 山田');
    await admin.getByLabel('権限').selectOption('coordinator');
    await admin.getByRole('button', { name: '発行する' }).click();
    const token = (await admin.getByTestId('minted-token-value').textContent())!;
    expect(token).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    const row = admin.locator('tr', { hasText: '七尾市災害対策本部 山田' });
    await poll(() => row.textContent()).toContain('未使用');
    // The list never carries a token: only the answer to its creation does.
    const listed = await drill.api.call<{ items: Array<Record<string, unknown>> }>('GET', '/api/v1/tokens');
    expect(JSON.stringify(listed.body)).not.toContain(token);
    const id = await row.getAttribute('data-token-id');
    await admin.close();

    const yamada = await signedInPage(token);
    expect(await yamada.locator('.who').textContent()).toContain('七尾市災害対策本部 山田');
    await yamada.close();

    const again = await signedInPage(drill.adminToken);
    await again.goto(`${drill.boardUrl}tokens`);
    const used = again.locator(`tr[data-token-id="${id}"]`);
    await poll(() => used.textContent()).not.toContain('未使用');
    await used.getByRole('button', { name: /失効させる/ }).click();
    await again.getByRole('dialog').getByRole('button', { name: '実行' }).click();
    await poll(() => used.getAttribute('data-revoked')).toBe('yes');
    await again.close();

    const refused = await fetch(`${drill.url}/api/v1/shelters?limit=1`, { headers: { authorization: `Bearer ${token}` } });
    expect(refused.status).toBe(401);
  }, 120_000);

  it("an admin limits a token to 石川県: the board names its area and shows none of another prefecture's shelters", async () => {
    // A shelter in 富山県 joins the Ishikawa drill.
    await drill.api.call('POST', '/api/v1/shelters', { id: 'E2E-TOYAMA-2', name: '富山市立芝園小学校', municipalityCode: '162019', address: '富山県富山市芝園町3-1-26', lat: 36.6987, lon: 137.2089, capacity: 300 });
    const admin = await signedInPage(drill.adminToken);
    await admin.getByRole('link', { name: 'アクセス権' }).click();
    await admin.getByLabel('名前（誰が使うか）').fill('石川県災害対策本部 北村');
    await admin.getByLabel('権限').selectOption('coordinator');
    await admin.getByLabel('都道府県（名前またはコード）').fill('石川県');
    await admin.getByRole('button', { name: '発行する' }).click();
    expect(await admin.getByTestId('minted-token-area').textContent()).toBe('担当地域: 石川県');
    const token = (await admin.getByTestId('minted-token-value').textContent())!;
    await poll(() => admin.locator('tr', { hasText: '石川県災害対策本部 北村' }).locator('td[data-area="limited"]').textContent()).toBe('石川県');
    expect({ axe: await seriousAxeFindings(admin) }).toEqual({ axe: [] });
    await admin.close();

    const desk = await signedInPage(token);
    expect(await desk.getByTestId('signed-in-area').textContent()).toBe('担当地域: 石川県');
    // Its own shelter opens; the other prefecture's is not on its board at all (the feed never sent it).
    await desk.goto(`${drill.boardUrl}shelters/${shelter.id}`);
    await poll(() => desk.getByRole('heading', { name: shelter.name }).isVisible()).toBe(true);
    await desk.goto(`${drill.boardUrl}shelters/E2E-TOYAMA-2`);
    await desk.locator('[data-connection="live"]').waitFor();
    await poll(() => desk.getByRole('alert').first().textContent()).toContain('見つかりません');
    expect(await desk.content()).not.toContain('富山市立芝園小学校');
    await desk.close();
  }, 120_000);

  it('an admin filters the audit log by shelter, person, action and date, and reads names instead of ids', async () => {
    const page = await signedInPage(drill.adminToken);
    await page.getByRole('link', { name: '監査ログ', exact: true }).click();
    const filters = page.getByRole('search', { name: '監査ログの絞り込み' });
    await filters.locator('select[name=shelterId]').selectOption(shelter.id);
    const rows = page.locator('tbody tr');
    await poll(async () => (await rows.locator('[data-action]').evaluateAll((els) => els.map((e) => e.getAttribute('data-action'))))).toEqual(
      expect.arrayContaining(['shelter.test-call', 'shelter.check-in', 'shelter.contact', 'handset.register']),
    );
    // Every entry is about this shelter (its own events, its numbers, its handsets), and says so by name.
    const texts = await rows.allTextContents();
    for (const text of texts) expect(text).toContain(shelter.name);
    const targets = await page.locator(`td[data-entity="${shelter.id}"]`).allTextContents();
    expect(targets.length).toBeGreaterThan(3);
    for (const target of targets) expect(target).not.toContain(shelter.id);

    await filters.locator('select[name=action]').selectOption('shelter.contact');
    await poll(() => rows.count()).toBe(1);
    expect(await rows.first().textContent()).toContain('能登 太郎');

    await filters.locator('select[name=action]').selectOption('');
    await filters.locator('select[name=actor]').selectOption({ label: '能登 太郎（調整担当）' });
    await poll(async () => (await rows.locator('[data-action]').evaluateAll((els) => els.map((e) => e.getAttribute('data-action')))).sort()).toEqual(['shelter.check-in', 'shelter.contact']);

    // The drill runs on 2024-01-09: a day before it shows nothing, that day shows the same.
    await filters.locator('input[name=to]').fill('2024-01-08');
    await poll(() => rows.count()).toBe(0);
    await filters.locator('input[name=to]').fill('2024-01-09');
    await filters.locator('input[name=from]').fill('2024-01-09');
    await poll(() => rows.count()).toBe(2);
    await page.close();
  }, 120_000);

  it('a coordinator assigns an alert to a named person on the overview; it is audited', async () => {
    const carrier = drill.carriers[0]!;
    await drill.api.call('POST', `/api/v1/carriers/${carrier.id}/health`, { down: true, reason: 'e2e: alert to assign' });
    try {
      const page = await signedInPage(await mint('coordinator', '能登 次郎'));
      const item = page.locator('li.alert[data-alert-kind="carrier_down"]').first();
      await item.waitFor({ timeout: 15_000 });
      await item.getByRole('button', { name: '担当者を決める' }).click();
      await item.getByLabel('担当者の名前').fill('山田 一郎');
      await item.getByRole('button', { name: '担当者を決める' }).click();
      await poll(() => item.getByTestId('alert-assignee').getAttribute('data-assignee')).toBe('山田 一郎');
      expect(await item.textContent()).toContain('担当: 山田 一郎');
      const alerts = (await drill.api.call<{ items: Array<{ kind: string; assignee?: { name: string; by: string } | null }> }>('GET', '/api/v1/alerts')).body.items;
      expect(alerts.find((a) => a.kind === 'carrier_down')?.assignee).toMatchObject({ name: '山田 一郎', by: '能登 次郎' });
      const audit = (await drill.api.call<{ items: Array<{ actor: { label?: string }; after: Record<string, unknown> }> }>('GET', '/api/v1/audit?action=alert.assign')).body.items;
      expect(audit[0]).toMatchObject({ actor: { label: '能登 次郎' }, after: { assignee: '山田 一郎' } });
      await page.close();
    } finally {
      await drill.api.call('POST', `/api/v1/carriers/${carrier.id}/health`, { down: false, reason: 'e2e: done' });
    }
  }, 120_000);

  it('logs no console errors', () => {
    expect(consoleErrors).toEqual([]);
  });
});
