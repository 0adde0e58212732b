import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { ManualClock } from '../../provisioning/platform/clock.js';
import { buildBoard } from './build-board.js';
import { chromiumInstalled, collectPageErrors, launchChromium, signInOnBoard } from './browser.js';
import { DRILL_START, startTestDrill } from '../drill/drill-fixture.js';

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

describe.skipIf(!chromiumInstalled())('the anti-fraud surfaces in real headless Chromium', () => {
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

  it('logged no console errors on any page', () => {
    expect(consoleErrors).toEqual([]);
  });
});
