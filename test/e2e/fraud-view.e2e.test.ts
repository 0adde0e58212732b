import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { ManualClock } from '../../provisioning/platform/clock.js';
import { apiClient } from '../../server/drill/api-client.js';
import { buildBoard } from '../support/build-board.js';
import { seriousAxeFindings } from './axe.js';
import { collectPageErrors, launchChromium, signInOnBoard } from '../support/browser.js';
import { DRILL_START, startTestDrill } from '../support/drill-fixture.js';
import { requirement } from '../support/requirements.js';

const BROWSER = requirement('chromium');

type Drill = Awaited<ReturnType<typeof startTestDrill>>;
let drill: Drill;
let browser: Awaited<ReturnType<typeof launchChromium>>;
let noJs: Awaited<ReturnType<typeof launchChromium>>;
const consoleErrors: string[] = [];

async function mint(role: 'admin' | 'coordinator' | 'viewer' | 'authority'): Promise<string> {
  const { body } = await drill.api.call<{ token: string }>('POST', '/api/v1/tokens', { label: `e2e ${role}`, role });
  return body.token;
}

/** The browser profile keeps the session cookie: sign out so the next role starts at the sign-in form. */
async function signOut(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'サインアウト' }).click();
  await page.getByLabel('アクセストークン').waitFor();
  await page.close();
}

async function signIn(context: BrowserContext, token: string, live = true): Promise<Page> {
  const page = await context.newPage();
  collectPageErrors(page, consoleErrors);
  await signInOnBoard(page, drill.boardUrl, token, { live });
  return page;
}

describe.skipIf(!BROWSER.available)('the anti-fraud surfaces in real headless Chromium', () => {
  beforeAll(async () => {
    await buildBoard();
    drill = await startTestDrill({ clock: new ManualClock(DRILL_START) });
    browser = await launchChromium();
    noJs = await launchChromium({ javaScriptEnabled: false });
  }, 120_000);

  afterAll(async () => {
    await noJs?.close();
    await browser?.close();
    await drill?.dispose();
  });

  it('takes a report through /report with JavaScript off, by its labels', async () => {
    const page = await noJs.context.newPage();
    await page.goto(`${drill.url}/report`);
    await page.getByLabel('電話をかけてきた番号').fill('0767-52-0100');
    // DRILL_START is 18:00 in Japan: the call came ten minutes before.
    await page.getByLabel('電話を受けた日時').fill('2024-01-09T17:50');
    await page.getByLabel('言われた内容').fill('市役所の職員を名乗り、還付金の手続きにATMへ行くよう言われた');
    await page.getByRole('button', { name: /申告する/ }).click();
    await page.getByRole('heading', { name: /申告を受け付けました/ }).waitFor();
    await page.close();
    expect((await drill.server.deps.store.query('reports', {})).items).toEqual([expect.objectContaining({ e164: '+81767520100', channel: 'form' })]);
  }, 60_000);

  it('the reporting window has no serious accessibility finding (axe-core), empty or sent back with its errors', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${drill.url}/report`);
    expect({ page: 'empty', axe: await seriousAxeFindings(page) }).toEqual({ page: 'empty', axe: [] });
    // Sent empty (the browser's own checks bypassed, as an old phone would): every field comes back with its problem.
    await page.locator('form').evaluate((f: HTMLFormElement) => { f.noValidate = true; });
    await page.getByRole('button', { name: /申告する/ }).click();
    await page.locator('[role="alert"]').first().waitFor();
    expect(await page.locator('#number-error').textContent()).toMatch(/電話番号を入力してください/);
    expect({ page: 'errors', axe: await seriousAxeFindings(page) }).toEqual({ page: 'errors', axe: [] });
    await page.close();
  }, 60_000);

  it('shows an admin the queue and lets it triage; a coordinator sees only the held shelters; a viewer has no such page', async () => {
    const admin = await signIn(browser.context, await mint('admin'));
    await admin.getByRole('link', { name: '不正対策' }).click();
    const row = admin.locator('tr[data-report-id]');
    await row.first().waitFor();
    await expect.poll(() => row.first().textContent()).toContain('還付金');
    await row.first().getByRole('button', { name: '信頼できる', exact: true }).click();
    await expect.poll(() => row.first().textContent()).toContain('信頼できる');
    expect((await drill.server.deps.store.query('reports', {})).items[0]!.status).toBe('credible');
    expect(await admin.getByRole('link', { name: 'CSVで書き出す' }).count()).toBe(1);
    await signOut(admin);

    const coordinator = await signIn(browser.context, await mint('coordinator'));
    await coordinator.getByRole('link', { name: '不正対策' }).click();
    await coordinator.getByRole('heading', { name: '発信制限中の避難所' }).waitFor();
    expect(await coordinator.locator('tr[data-report-id]').count()).toBe(0);
    expect(await coordinator.getByRole('heading', { name: '申告' }).count()).toBe(0);
    await signOut(coordinator);

    const viewer = await signIn(browser.context, await mint('viewer'));
    expect(await viewer.getByRole('link', { name: '不正対策' }).count()).toBe(0);
    await signOut(viewer);
  }, 90_000);

  it('gives an authority the queue beside the suspension form', async () => {
    const page = await signIn(browser.context, await mint('authority'), false);
    await page.locator('tr[data-report-id]').first().waitFor();
    expect(await page.getByRole('button', { name: '番号の利用停止' }).count()).toBeGreaterThan(0);
    await signOut(page);
  }, 60_000);

  it('each step after a report is on the board for its role only: an authority suspends from the queue and reads the revoked handset and the window’s calls, the carriers view counts the number, only an admin lifts the refusal', async () => {
    const SHELTER = 'CC0000000504';
    const store = drill.server.deps.store;
    const coordinatorApi = apiClient(drill.url, await mint('coordinator'));
    await coordinatorApi.call('POST', `/api/v1/shelters/${SHELTER}/open`, {});
    await drill.server.deps.worker.drain();
    const { body: created } = await coordinatorApi.call<{ handset: { id: string } }>('POST', `/api/v1/shelters/${SHELTER}/handsets`, { vendor: 'yealink', mac: '001565ccdd01', label: 'reception' }, { ok: [201] });
    await drill.server.deps.worker.drain();
    const handset = (await store.get('handsets', created.handset.id))!;
    const cred = handset.credentials.find((c) => c.role === 'primary')!;
    const line = (await store.query('numbers', { where: { shelterId: SHELTER }, limit: 50 })).items.find((n) => n.carrierId === cred.carrierId && n.state === 'in_service')!;
    // The handset calls a mobile for 95 s (the carrier's status callback closes the call record).
    const placed = await drill.sim.placeSipCall({ domain: cred.domain, username: handset.sipUsername!, to: '09012345678', answer: true });
    expect(placed.status, placed.note).toBe(200);
    const account = drill.carriers.find((c) => c.id === line.carrierId)!.account!;
    const hung = await drill.sim.sendWebhook({ accountSid: account.sid, url: `${drill.url}/twilio/status`, params: { CallSid: placed.callSid, CallStatus: 'completed', CallDuration: '95', From: `sip:${handset.sipUsername}@${cred.domain}`, To: `sip:09012345678@${cred.domain}` } });
    expect(hung.status).toBe(204);
    const res = await fetch(`${drill.url}/report`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ number: line.e164.replace('+81', '0'), calledAt: '2024-01-09T18:00', description: '警察官を名乗りキャッシュカードを預かると言われた' }) });
    expect(res.status).toBe(201);
    const reportId = ((await res.json()) as { id: string }).id;

    const police = await signIn(browser.context, await mint('authority'), false);
    const row = police.locator(`tr[data-report-id="${reportId}"]`);
    await row.getByRole('button', { name: '番号の利用停止' }).click();
    await police.getByRole('dialog').getByRole('button', { name: '実行' }).click();
    const report = police.locator('[data-suspension-outcome="suspended"]');
    await report.waitFor({ timeout: 20_000 });
    expect(await report.locator('[data-revoked-handset]').allTextContents()).toEqual([handset.id]);
    const calls = report.locator('tr[data-window-call]');
    expect(await calls.count()).toBe(1);
    expect(await calls.first().textContent()).toMatch(/090-1234-5678.*95/);
    await expect.poll(() => row.textContent()).toContain('利用停止済み');
    expect((await store.get('handsets', handset.id))!.status).toBe('revoked');
    await signOut(police);

    const admin = await signIn(browser.context, await mint('admin'));
    await admin.getByRole('link', { name: '通信事業者' }).click();
    const suspended = (await store.query('numbers', { where: { carrierId: line.carrierId, state: 'suspended' }, limit: 100 })).items.length;
    expect(suspended).toBeGreaterThanOrEqual(1);
    await expect.poll(() => admin.locator(`li[data-carrier-id="${line.carrierId}"] [data-suspended-numbers]`).getAttribute('data-suspended-numbers'), { timeout: 15_000 }).toBe(String(suspended));
    await admin.getByRole('link', { name: '不正対策' }).click();
    const hold = admin.locator(`li[data-hold-shelter="${SHELTER}"]`);
    await hold.waitFor();
    await signOut(admin);

    // A coordinator sees the refusal but has no button to lift it; only the admin does.
    const coordinator = await signIn(browser.context, await mint('coordinator'));
    await coordinator.getByRole('link', { name: '不正対策' }).click();
    await coordinator.locator(`li[data-hold-shelter="${SHELTER}"]`).waitFor();
    expect(await coordinator.getByRole('button', { name: /番号提供を再開/ }).count()).toBe(0);
    await signOut(coordinator);

    const admin2 = await signIn(browser.context, await mint('admin'));
    await admin2.getByRole('link', { name: '不正対策' }).click();
    await admin2.locator(`li[data-hold-shelter="${SHELTER}"]`).getByRole('button', { name: /番号提供を再開/ }).click();
    await admin2.locator(`li[data-hold-shelter="${SHELTER}"]`).waitFor({ state: 'detached', timeout: 20_000 });
    expect((await store.get('fraudHolds', SHELTER))!.refusal).toBeNull();
    await signOut(admin2);
  }, 180_000);

  it('an authority marks a suspension from the form as fraud: the report comes back with its (empty) window and the shelter is refused new lines', async () => {
    const store = drill.server.deps.store;
    const shelters = (await drill.api.call<{ items: Array<{ id: string; areaCodes: string[] }> }>('GET', '/api/v1/shelters?limit=1000')).body.items;
    const other = shelters.find((x) => x.id !== 'CC0000000504' && x.areaCodes.includes('0767'))!;
    await drill.api.call('POST', `/api/v1/shelters/${other.id}/open`, {});
    await drill.server.deps.worker.drain();
    const line = (await store.query('numbers', { where: { shelterId: other.id }, limit: 50 })).items.find((n) => n.state === 'in_service')!;

    const police = await signIn(browser.context, await mint('authority'), false);
    const form = police.locator('section[aria-labelledby="suspend-h"]');
    await form.getByLabel('番号', { exact: true }).fill(line.e164.replace('+81', '0'));
    await form.getByLabel('理由').fill('特殊詐欺に利用 (e2e)');
    await form.getByLabel(/詐欺に利用された番号/).check();
    await form.getByRole('button', { name: '番号の利用停止' }).click();
    await police.getByRole('dialog').getByRole('button', { name: '実行' }).click();
    const report = form.locator('[data-suspension-outcome="suspended"]');
    await report.waitFor({ timeout: 20_000 });
    expect(await report.getByRole('heading', { name: '失効した端末' }).count()).toBe(1);
    expect(await report.textContent()).toContain('この期間の通話はありません');
    expect((await store.get('numbers', line.e164))!.state).toBe('suspended');
    expect((await store.get('fraudHolds', other.id))!.refusal).toMatchObject({ e164: line.e164 });
    await signOut(police);
  }, 90_000);

  it('logged no console errors on any page', () => {
    expect(consoleErrors).toEqual([]);
  });
});
