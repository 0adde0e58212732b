import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, statSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import type { BrowserContext, Page } from 'playwright-core';
import { startDrill, type RunningDrill } from '../../server/drill/start-drill.js';
import { buildBoard } from '../support/build-board.js';
import { collectPageErrors, launchChromium, signInOnBoard } from '../support/browser.js';
import { requirement } from '../support/requirements.js';

const BROWSER = requirement('chromium');

const DOCS = fileURLToPath(new URL('../../docs/', import.meta.url));
const SHELTER = 'CC0000000505'; // 七尾中学校, Nanao City open data

let drill: RunningDrill;
let browser: Awaited<ReturnType<typeof launchChromium>>;
let dataDir: string;
const consoleErrors: string[] = [];

async function mint(role: 'coordinator' | 'viewer'): Promise<string> {
  const { body } = await drill.api.call<{ token: string }>('POST', '/api/v1/tokens', { label: `e2e ${role}`, role });
  return body.token;
}

async function signedInPage(context: BrowserContext, token: string): Promise<Page> {
  const page = await context.newPage();
  collectPageErrors(page, consoleErrors);
  await signInOnBoard(page, drill.boardUrl, token);
  return page;
}

describe.skipIf(!BROWSER.available)('the control board in real headless Chromium', () => {
  beforeAll(async () => {
    await buildBoard();
    dataDir = mkdtempSync(join(tmpdir(), 'sl-e2e-'));
    drill = await startDrill({ dataDir, logger: pino({ level: 'silent' }), apiMember: true });
    browser = await launchChromium();
    mkdirSync(DOCS, { recursive: true });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await drill?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('signs in, opens a shelter and shows its numbers without a reload, prints its poster, closes it and shows the teardown', async () => {
    const page = await signedInPage(browser.context, await mint('coordinator'));

    // Live state arrived over the socket: the Nanao shelters are on the overview.
    await expect.poll(() => page.locator('[data-stat="shelters-open"] .muted').textContent()).toMatch(/\/ 1\d\d/);

    await page.getByRole('link', { name: '避難所', exact: true }).click();
    await page.getByRole('searchbox').fill('七尾中学校');
    await page.getByRole('link', { name: '七尾中学校' }).click();
    await page.locator(`article[data-shelter-id="${SHELTER}"]`).waitFor();
    await page.getByTestId('no-numbers').waitFor();
    // A marker on window proves the page is never reloaded from here on.
    await page.evaluate(() => ((window as unknown as { e2eMarker: number }).e2eMarker = 42));

    await page.getByRole('button', { name: '開設: 七尾中学校' }).click();
    const dialog = page.getByRole('dialog');
    await expect.poll(() => dialog.textContent()).toContain('七尾中学校');
    await dialog.getByRole('button', { name: '実行' }).click();

    const numbers = page.locator('li[data-number][data-state="in_service"]');
    await numbers.first().waitFor({ timeout: 30_000 });
    await page.locator('.badge[data-status="open"]').waitFor({ timeout: 30_000 });
    expect(await numbers.count()).toBeGreaterThanOrEqual(1);
    expect(await page.locator('li[data-number] .big').first().textContent()).toMatch(/^0\d{1,4}-\d{1,4}-\d{4}$|^050-\d{4}-\d{4}$/);
    expect(await page.evaluate(() => (window as unknown as { e2eMarker?: number }).e2eMarker)).toBe(42);
    await page.screenshot({ path: join(DOCS, 'board-shelter.png'), fullPage: true });

    // The overview and the map, with the shelter now open.
    await page.getByRole('link', { name: '概況' }).click();
    await expect.poll(() => page.locator('[data-stat="shelters-open"] .stat').textContent()).toBe('1');
    await page.locator('circle[data-status="open"]').waitFor();
    await page.screenshot({ path: join(DOCS, 'board.png'), fullPage: true });

    // The A4 poster: the number large, in print media.
    await page.goto(`${drill.boardUrl}print/poster/${SHELTER}`);
    await page.locator('[data-connection="live"]').waitFor();
    await expect.poll(() => page.getByTestId('poster-number').textContent()).toMatch(/^0\d/);
    await page.locator('.poster-qr img').waitFor();
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('header.top').isVisible()).toBe(false);
    // The small print (each special number named, Japanese then English) still leaves the print date on the sheet.
    expect(await page.getByTestId('poster-special').textContent()).toMatch(/171（災害用伝言ダイヤル）.*171 \(disaster message dial\)/s);
    const sheet = (await page.locator('article.poster').boundingBox())!;
    const foot = (await page.getByTestId('poster-printed').boundingBox())!;
    expect(foot.y + foot.height).toBeLessThanOrEqual(sheet.y + sheet.height);
    await page.screenshot({ path: join(DOCS, 'board-poster.png'), fullPage: true });
    const pdfPath = join(dataDir, 'poster.pdf');
    await page.pdf({ path: pdfPath, format: 'A4', printBackground: true });
    expect(statSync(pdfPath).size).toBeGreaterThan(10_000);
    await page.emulateMedia({ media: 'screen' });

    // Close it from its detail (closing is not offered on every list row): the numbers leave and it shows closed, still without a reload.
    await page.goto(`${drill.boardUrl}shelters/${SHELTER}`);
    await page.locator('[data-connection="live"]').waitFor();
    await page.evaluate(() => ((window as unknown as { e2eMarker: number }).e2eMarker = 43));
    await page.getByRole('button', { name: '閉鎖: 七尾中学校' }).click();
    await page.getByRole('dialog').getByRole('button', { name: '実行' }).click();
    await page.locator('.badge[data-status="closed"]').waitFor({ timeout: 30_000 });
    await page.getByTestId('no-numbers').waitFor({ timeout: 30_000 });
    expect(await page.evaluate(() => (window as unknown as { e2eMarker?: number }).e2eMarker)).toBe(43);

    await page.getByRole('button', { name: 'サインアウト' }).click();
    await page.getByLabel('アクセストークン').waitFor();
    await page.close();
  }, 90_000);

  it('shows a viewer no action buttons, and switches to English', { timeout: 60_000 }, async () => {
    const page = await signedInPage(browser.context, await mint('viewer'));
    await page.goto(`${drill.boardUrl}shelters`);
    await page.locator('table.shelters tbody tr').first().waitFor();
    expect(await page.getByRole('button', { name: /^(開設|閉鎖)/ }).count()).toBe(0);
    expect(await page.getByRole('checkbox').count()).toBe(0);
    await page.getByRole('button', { name: '表示言語を英語に切り替える' }).click();
    await page.getByRole('link', { name: 'Map' }).click();
    await page.locator('svg circle').first().waitFor();
    await page.screenshot({ path: join(DOCS, 'board-map.png') });
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
    await page.close();
  });

  it('logged no console errors on any page', () => {
    expect(consoleErrors).toEqual([]);
  });
});
