import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import type { Page } from 'playwright-core';
import type { AuditEvent, Shelter } from '../../provisioning/model/index.js';
import { startDrill, type RunningDrill } from '../../server/drill/start-drill.js';
import { startServer, type RunningServer } from '../../server/start-server.js';
import { buildBoard } from '../support/build-board.js';
import { seriousAxeFindings } from './axe.js';
import { dataNames, latinWords } from './page-words.js';
import { collectPageErrors, launchChromium, mintToken, signInOnBoard } from '../support/browser.js';
import { requirement } from '../support/requirements.js';

const BROWSER = requirement('chromium');

/**
 * Issue 32, the board in a coordinator's hand: every view on a 390×844 phone with the whole
 * navigation reachable, the coordinator's own words kept, and a board that survives being offline.
 * Self-contained: its own drill, board build and browser.
 */
const DOCS = fileURLToPath(new URL('../../docs/', import.meta.url));
const SHELTER = 'CC0000000505'; // 七尾中学校
const SECOND = 'CC0000000506'; // 県立七尾高等学校
const DIRECTORY = '172022'; // 七尾市
const PHONE = { width: 390, height: 844 };
const ADAPTER_DOWN = 'noto-cloud'; // goes dark: the adapter marks it down from its failed calls
const MARKED_DOWN = 'hokuriku-voice'; // a coordinator marks it down on the board, in Japanese
const logger = pino({ level: 'silent' });

let drill: RunningDrill;
let restarted: RunningServer | null = null;
let browser: Awaited<ReturnType<typeof launchChromium>>;
let dataDir: string;
const consoleErrors: string[] = [];

async function newPage(): Promise<Page> {
  const page = await browser.context.newPage();
  // A dropped server shows as refused requests and a failed chunk while offline: that is the test, not an error.
  collectPageErrors(page, consoleErrors, /WebSocket|ERR_CONNECTION_REFUSED|Failed to load resource|dynamically imported module/);
  return page;
}

async function show(page: Page, view: string): Promise<void> {
  await page.goto(`${drill.boardUrl}${view}`);
  await page.locator('[data-connection="live"]').waitFor({ timeout: 15_000 });
  await page.locator('main h1').first().waitFor();
}

/** Sideways overflow: the page wider than the screen, or a box inside it that scrolls sideways. */
function sidewaysOverflow(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const found: string[] = [];
    const page = document.documentElement;
    if (page.scrollWidth > window.innerWidth) found.push(`page ${page.scrollWidth - window.innerWidth} px wider than the screen`);
    for (const el of document.querySelectorAll('body *')) {
      const x = getComputedStyle(el).overflowX;
      if ((x === 'auto' || x === 'scroll') && el.scrollWidth > el.clientWidth + 1 && el.checkVisibility()) {
        found.push(`${el.tagName.toLowerCase()}.${[...el.classList].join('.')} scrolls sideways by ${el.scrollWidth - el.clientWidth} px`);
      }
    }
    return found;
  });
}

/** Dates and phone numbers that a line break cuts in two: each must sit on one line. */
function brokenTokens(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const token = /\d{4}\/\d{1,2}\/\d{1,2} \d{1,2}:\d{2}|0\d{1,4}-\d{1,4}-\d{4}/g;
    const found: string[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
      const node = walker.currentNode as Text;
      if (!node.parentElement?.checkVisibility()) continue;
      for (const m of (node.textContent ?? '').matchAll(token)) {
        const range = document.createRange();
        range.setStart(node, m.index);
        range.setEnd(node, m.index + m[0].length);
        const lines = new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top)));
        if (lines.size > 1) found.push(`${m[0]} on ${lines.size} lines`);
      }
    }
    return found;
  });
}

describe.skipIf(!BROWSER.available)('the board in a coordinator’s hand (real headless Chromium)', () => {
  beforeAll(async () => {
    await buildBoard();
    dataDir = mkdtempSync(join(tmpdir(), 'sl-e2e-hand-'));
    drill = await startDrill({ dataDir, logger, apiMember: true });
    browser = await launchChromium();
    mkdirSync(DOCS, { recursive: true });
    for (const id of [SHELTER, SECOND]) await drill.api.call('POST', `/api/v1/shelters/${id}/open`, { lines: 2, reason: '初動の開設' });
    await drill.server.deps.worker.drain({ timeoutMs: 60_000 });
    await drill.api.call('POST', `/api/v1/shelters/${SHELTER}/handsets`, { vendor: 'yealink', mac: '805ec0123456', label: '受付' });
    await drill.server.deps.worker.drain({ timeoutMs: 60_000 });
    // The carrier goes dark: its own failed calls mark it down (5 in a row), with the carrier's answer as the detail.
    drill.sim.setOutage(drill.carriers.find((c) => c.id === ADAPTER_DOWN)!.account!.sid, true);
    const adapter = await drill.server.deps.engine.carriers.get(ADAPTER_DOWN);
    const health = async () => (await drill.server.deps.store.get('carriers', ADAPTER_DOWN))!.health;
    for (let i = 0; i < 10 && (await health()) !== 'down'; i++) await adapter.discoverNumbers().catch(() => undefined);
    // The adapter reports health asynchronously: wait for it, bounded.
    for (const giveUp = Date.now() + 10_000; (await health()) !== 'down';) {
      if (Date.now() > giveUp) throw new Error(`${ADAPTER_DOWN} was not marked down by its failed calls`);
      await new Promise((r) => setTimeout(r, 50));
    }
    await drill.server.deps.worker.drain({ timeoutMs: 60_000 });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await restarted?.close();
    await drill?.stop().catch(() => undefined);
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('a coordinator marks a carrier down with a Japanese reason: the alert, the audit and the failover keep the words as typed', { timeout: 90_000 }, async () => {
    const page = await newPage();
    await signInOnBoard(page, drill.boardUrl, await mintToken(drill.api, 'coordinator', '七尾市 災害対策本部 能登'), { asNewPerson: true });
    await show(page, 'carriers');
    const card = page.locator(`[data-carrier-id="${MARKED_DOWN}"]`);
    await card.getByRole('button', { name: '停止扱いにする' }).click();
    const dialog = page.getByRole('dialog');
    // No reason: the board asks for one in its own words, and nothing is sent.
    await dialog.getByRole('button', { name: '実行' }).click();
    await expect.poll(() => dialog.getByRole('alert').textContent()).toContain('「理由」を入力してください');
    expect((await drill.server.deps.store.get('carriers', MARKED_DOWN))!.health).toBe('up');
    const reason = '衛星回線の断（現地の保守担当から電話で連絡）';
    await dialog.getByLabel('理由').fill(reason);
    await dialog.getByRole('button', { name: '実行' }).click();
    await card.locator('[data-health="down"]').waitFor({ timeout: 15_000 });
    await drill.server.deps.worker.drain({ timeoutMs: 60_000 });

    // The overview's alert says who marked it down and why, in their words, on the alert itself.
    await show(page, '');
    const alert = page.locator(`li.alert[data-alert-kind="carrier_down"][data-carrier-id="${MARKED_DOWN}"]`);
    await alert.waitFor();
    expect(await alert.innerText()).toContain(reason);
    expect(await alert.innerText()).toContain('七尾市 災害対策本部 能登');
    expect(await alert.innerText()).toContain('Hokuriku Voice');
    // The audit: the reason as typed on the carrier and on each shelter's failover request, never reworded.
    const audit = (await drill.api.call<{ items: AuditEvent[] }>('GET', '/api/v1/audit?limit=200')).body.items;
    expect(audit.find((e) => e.action === 'carrier.down' && e.entity.id === MARKED_DOWN)!.reason).toBe(reason);
    const failovers = audit.filter((e) => e.action === 'reconcile.request' && (e.after as { kind?: string } | null)?.kind === 'failover' && (e.after as { carrierId?: string }).carrierId === MARKED_DOWN);
    expect(failovers.length).toBeGreaterThan(0);
    for (const e of failovers) expect(e.reason).toBe(reason);
    await page.close();
  });

  it('shows the carrier’s own failure worded in Japanese, its technical text behind a toggle', { timeout: 60_000 }, async () => {
    const page = await newPage();
    await signInOnBoard(page, drill.boardUrl, await mintToken(drill.api, 'viewer', '県庁 閲覧'), { asNewPerson: true });
    await show(page, '');
    const alert = page.locator(`li.alert[data-alert-kind="carrier_down"][data-carrier-id="${ADAPTER_DOWN}"]`);
    await alert.waitFor();
    const text = await alert.innerText();
    expect(text).toContain('Noto Cloud');
    expect(text).toMatch(/5 回続けて.*失敗/);
    expect(text).toContain('503');
    const tech = alert.locator('details.tech');
    expect(await tech.locator('code').isVisible()).toBe(false);
    await tech.locator('summary').click();
    expect(await tech.locator('code').textContent()).toMatch(/calls in a row failed/);
    await tech.locator('summary').click();
    // For the README: both carriers' alerts, the one the adapter raised and the one a coordinator marked, in Japanese.
    const marked = page.locator(`li.alert[data-alert-kind="carrier_down"][data-carrier-id="${MARKED_DOWN}"]`);
    await alert.scrollIntoViewIfNeeded();
    const boxes = [(await alert.boundingBox())!, (await marked.boundingBox())!];
    const top = Math.min(...boxes.map((b) => b.y));
    const bottom = Math.max(...boxes.map((b) => b.y + b.height));
    await page.screenshot({ path: join(DOCS, 'board-alert-translated.png'), clip: { x: boxes[0]!.x - 8, y: top - 8, width: boxes[0]!.width + 16, height: bottom - top + 16 } });
    expect({ axe: await seriousAxeFindings(page) }).toEqual({ axe: [] });
    await page.close();
  });

  it('a bulk opening without a reason is stopped by the board’s own message, not the browser’s', { timeout: 60_000 }, async () => {
    const page = await newPage();
    await signInOnBoard(page, drill.boardUrl, await mintToken(drill.api, 'coordinator', '避難所班'), { asNewPerson: true });
    await show(page, 'shelters');
    await page.locator('table.shelters tbody tr input[type=checkbox]:not([disabled])').first().check();
    await page.getByRole('button', { name: /選択した 1 件を開設/ }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('button', { name: '実行' }).click();
    await expect.poll(() => dialog.getByRole('alert').textContent()).toContain('「理由（必須・監査ログに残ります）」を入力してください');
    expect(await dialog.getByLabel(/理由/).getAttribute('aria-invalid')).toBe('true');
    expect(await latinWords(page, await dataNames(drill.api))).toEqual([]);
    await dialog.getByRole('button', { name: 'キャンセル' }).click();
    await page.close();
  });

  it('on a 390×844 phone: every view fits the width, dates and numbers stay whole, and the menu reaches every view', { timeout: 180_000 }, async () => {
    const page = await newPage();
    await page.setViewportSize(PHONE);
    await signInOnBoard(page, drill.boardUrl, drill.adminToken, { asNewPerson: true });
    const views = ['', 'map', 'shelters', `shelters/${SHELTER}`, `shelters/${SECOND}`, 'carriers', 'numbers', 'jobs', 'fraud', 'audit', 'tokens', `print/poster/${SHELTER}`, `print/directory/${DIRECTORY}`];
    for (const view of views) {
      await show(page, view);
      for (const summary of await page.locator('details > summary').all()) await summary.click();
      if (view === 'audit') await page.locator('td[data-action]').first().waitFor();
      if (view === 'jobs') await page.locator('tr[data-job-id]').first().waitFor();
      expect({ view, overflow: await sidewaysOverflow(page) }).toEqual({ view, overflow: [] });
      expect({ view, broken: await brokenTokens(page) }).toEqual({ view, broken: [] });
      expect({ view, axe: await seriousAxeFindings(page) }).toEqual({ view, axe: [] });
    }

    // The navigation: every view's link on the screen, uncovered, and it goes there.
    const nav: Array<[name: string, path: string]> = [['概況', '/'], ['地図', '/map'], ['避難所', '/shelters'], ['通信事業者', '/carriers'], ['番号', '/numbers'], ['処理の状況', '/jobs'], ['不正対策', '/fraud'], ['監査ログ', '/audit'], ['アクセス権', '/tokens']];
    await show(page, 'carriers');
    for (const [name, path] of nav) {
      const menu = page.getByRole('button', { name: 'メニュー' });
      if ((await menu.count()) > 0 && (await menu.getAttribute('aria-expanded')) !== 'true') await menu.click();
      const link = page.getByRole('navigation').getByRole('link', { name, exact: true });
      const box = (await link.boundingBox())!;
      const onScreen = box.x >= 0 && box.y >= 0 && box.x + box.width <= PHONE.width && box.y + box.height <= PHONE.height;
      const uncovered = await link.evaluate((a) => {
        const r = a.getBoundingClientRect();
        const hit = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
        return !!hit && a.contains(hit);
      });
      expect({ name, onScreen, uncovered, box }).toEqual({ name, onScreen: true, uncovered: true, box });
      if (name === '監査ログ') await page.screenshot({ path: join(DOCS, 'board-phone-menu.png') });
      await link.click();
      await expect.poll(() => new URL(page.url()).pathname).toBe(path);
      await page.locator('main h1').first().waitFor();
      expect(await page.locator('#board-nav a[aria-current="page"]').textContent()).toBe(name);
      expect({ name, overflow: await sidewaysOverflow(page) }).toEqual({ name, overflow: [] });
    }
    await page.close();
  });

  it('a printed municipality directory is recorded, and marked out of date when a number it shows stops working', { timeout: 90_000 }, async () => {
    const page = await newPage();
    await signInOnBoard(page, drill.boardUrl, await mintToken(drill.api, 'coordinator', '七尾市 電話帳の担当'), { asNewPerson: true });
    await show(page, `print/directory/${DIRECTORY}`);
    await page.evaluate(() => (window.print = () => undefined)); // the browser's print dialog is not the board's to test
    await page.getByTestId('print-button').click();
    const shelter = async (id: string) => (await drill.api.call<Shelter>('GET', `/api/v1/shelters/${id}`)).body;
    await expect.poll(async () => (await shelter(SHELTER)).lastDirectoryPrint?.printedAt ?? null, { timeout: 10_000 }).not.toBeNull();
    const printed = (await shelter(SHELTER)).lastDirectoryPrint!;
    expect(printed.outOfDate).toBe(false);
    expect(printed.numbers.length).toBeGreaterThan(0);
    await show(page, `shelters/${SHELTER}`);
    expect(await page.getByTestId('directory-status').getAttribute('data-out-of-date')).toBe('no');
    // A line it printed stops working: the directory on the wall is out of date, and the board says so.
    const number = (await drill.api.call<{ items: Array<{ carrierId: string }> }>('GET', `/api/v1/numbers?shelterId=${SHELTER}&state=in_service`)).body.items;
    const carrier = number.map((n) => n.carrierId).find((c) => c !== ADAPTER_DOWN && c !== MARKED_DOWN)!;
    await drill.api.call('POST', `/api/v1/carriers/${carrier}/health`, { down: true, reason: '電話帳の確認' });
    await drill.server.deps.worker.drain({ timeoutMs: 60_000 });
    await expect.poll(async () => (await shelter(SHELTER)).lastDirectoryPrint!.outOfDate).toBe(true);
    await page.locator('[data-testid="directory-status"][data-out-of-date="yes"]').waitFor({ timeout: 10_000 });
    await show(page, '');
    await page.getByTestId('directories-out-of-date').waitFor();
    await drill.api.call('POST', `/api/v1/carriers/${carrier}/health`, { down: false, reason: '電話帳の確認 終了' });
    await drill.server.deps.worker.drain({ timeoutMs: 60_000 });
    await page.close();
  });

  it('offline: printing waits for the connection, a view that cannot load says so, and the board comes back live by itself', { timeout: 120_000 }, async () => {
    // A device that has never loaded the printing code (a browser of its own, nothing cached): going there needs the server.
    const device = await launchChromium();
    try {
      const page = await device.context.newPage();
      collectPageErrors(page, consoleErrors, /WebSocket|ERR_CONNECTION_REFUSED|Failed to load resource|dynamically imported module/);
      await signInOnBoard(page, drill.boardUrl, await mintToken(drill.api, 'coordinator', '七尾市 災害対策本部 調整担当'), { asNewPerson: true });
      await show(page, `shelters/${SHELTER}`);
      const config = drill.server.deps.config;
      await drill.server.close();
      const banner = page.getByTestId('offline-banner');
      await banner.waitFor({ timeout: 10_000 });

      // The print action is there, disabled, saying why; a click changes nothing.
      const print = page.getByRole('button', { name: '掲示用ポスターを印刷' }).or(page.getByRole('link', { name: '掲示用ポスターを印刷' }));
      await print.click({ force: true });
      await new Promise((r) => setTimeout(r, 1_000));
      expect(await banner.isVisible()).toBe(true);
      expect(await page.locator('main h1').first().textContent()).toBe('七尾中学校');
      expect(await print.isDisabled()).toBe(true);
      expect(await print.getAttribute('title')).toBe('接続が戻るまで操作できません');

      // Reached anyway (a bookmark, the back button): the view says it cannot load yet; the board around it stays.
      await page.evaluate((to) => {
        history.pushState(null, '', to);
        dispatchEvent(new PopStateEvent('popstate'));
      }, `/print/poster/${SHELTER}`);
      const failed = page.getByTestId('view-failed');
      await failed.waitFor({ timeout: 15_000 });
      expect(await failed.textContent()).toContain('接続が戻ると自動で表示します');
      expect(await banner.isVisible()).toBe(true);
      expect(await page.getByRole('navigation').getByRole('link', { name: '避難所', exact: true }).count()).toBe(1);

      restarted = await startServer({ config, logger, version: 'e2e-restart', clock: drill.clock });
      await page.locator('[data-connection="live"]').waitFor({ timeout: 15_000 });
      await page.getByTestId('poster-number').waitFor({ timeout: 15_000 });
      expect(await failed.count()).toBe(0);
      expect(await banner.count()).toBe(0);
    } finally {
      await device.close();
    }
  });

  it('logged no console errors on any page', () => {
    expect(consoleErrors).toEqual([]);
  });
});
