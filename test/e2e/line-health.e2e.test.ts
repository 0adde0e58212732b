import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import type { Page } from 'playwright-core';
import type { PhoneNumber, Shelter, ShelterService } from '../../provisioning/model/index.js';
import { formatNational } from '../../provisioning/numbers/japanese-number.js';
import { startDrill, type RunningDrill } from '../../server/drill/start-drill.js';
import { buildBoard } from '../support/build-board.js';
import { collectPageErrors, launchChromium, signInOnBoard } from '../support/browser.js';
import { requirement } from '../support/requirements.js';

const BROWSER = requirement('chromium');

const DOCS = fileURLToPath(new URL('../../docs/', import.meta.url));
const ZERO_ABJ = ['noto-cloud', 'hokuriku-voice'];
type Detail = Shelter & { service: ShelterService | null; numbers: PhoneNumber[] };

let drill: RunningDrill;
let browser: Awaited<ReturnType<typeof launchChromium>>;
let dataDir: string;
const consoleErrors: string[] = [];

/** Pages in a PDF: its page objects (`/Type /Page`, not the `/Pages` tree). */
function pdfPageCount(path: string): number {
  return (readFileSync(path).toString('latin1').match(/\/Type\s*\/Page(?![a-zA-Z])/g) ?? []).length;
}

/** Polls the API until every shelter is open; bounded by a deadline. */
async function untilOpen(ids: string[]): Promise<Detail[]> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const details = await Promise.all(ids.map(async (id) => (await drill.api.call<Detail>('GET', `/api/v1/shelters/${id}`)).body));
    if (details.every((d) => d.actualStatus === 'open')) return details;
    if (Date.now() > deadline) throw new Error(`shelters not open: ${details.filter((d) => d.actualStatus !== 'open').map((d) => `${d.id}=${d.actualStatus}`).join(', ')}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function signedInPage(token: string): Promise<Page> {
  const page = await browser.context.newPage();
  collectPageErrors(page, consoleErrors);
  await signInOnBoard(page, drill.boardUrl, token);
  return page;
}

describe.skipIf(!BROWSER.available)('the board when carriers fail (real headless Chromium)', () => {
  let affected = '';
  let xNumbers: string[] = [];
  let ids: string[] = [];

  beforeAll(async () => {
    await buildBoard();
    dataDir = mkdtempSync(join(tmpdir(), 'sl-e2e-health-'));
    drill = await startDrill({ dataDir, logger: pino({ level: 'silent' }), apiMember: true });
    browser = await launchChromium();
    mkdirSync(DOCS, { recursive: true });
    const shelters = (await drill.api.call<{ items: Shelter[] }>('GET', '/api/v1/shelters?limit=1000')).body.items;
    ids = shelters.filter((s) => s.areaCodes.includes('0767')).slice(0, 5).map((s) => s.id);
    await drill.api.call('POST', '/api/v1/shelters/open-bulk', { ids, lines: 2 });
    const details = await untilOpen(ids);
    const first = details.find((d) => ZERO_ABJ.includes(d.numbers.find((n) => n.e164 === d.service!.publishedNumber)!.carrierId))!;
    affected = first.id;
    xNumbers = first.numbers.filter((n) => ZERO_ABJ.includes(n.carrierId)).map((n) => n.e164);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await drill?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('prints a poster, then after both 0AB-J carriers fail shows the truth everywhere and marks the poster out of date', async () => {
    const { body } = await drill.api.call<{ token: string }>('POST', '/api/v1/tokens', { label: 'e2e coordinator', role: 'coordinator' });
    const page = await signedInPage(body.token);

    // Print the poster while all is well: the print is recorded through the API.
    await page.goto(`${drill.boardUrl}print/poster/${affected}`);
    await page.locator('[data-connection="live"]').waitFor();
    await expect.poll(() => page.getByTestId('poster-number').textContent()).toMatch(/^0767/);
    expect(await page.getByTestId('poster-emergency').getAttribute('data-emergency')).toBe('yes');
    await page.evaluate(() => (window.print = () => ((window as unknown as { printed: boolean }).printed = true)));
    await page.getByTestId('print-button').click();
    await expect.poll(() => page.evaluate(() => (window as unknown as { printed?: boolean }).printed ?? false)).toBe(true);
    await expect.poll(async () => (await drill.server.deps.store.get('shelters', affected))?.lastPrint?.outOfDate).toBe(false);

    // Both carriers that lend 0AB-J numbers go down: only 050 lines are left (no 110/118/119).
    for (const c of ZERO_ABJ) await drill.api.call('POST', `/api/v1/carriers/${c}/health`, { down: true, reason: 'e2e: outage' });
    const expectedNoEmergency = async () => (await drill.api.call<{ items: Shelter[] }>('GET', '/api/v1/shelters?service=no_emergency&limit=1000')).body.items.length;
    await expect.poll(expectedNoEmergency, { timeout: 60_000 }).toBe(ids.length);
    // Failover gives the shelter a working 050 line on the one carrier left (an api member: a work
    // order it answers). On a busy machine that can land after the board's own 1 s polls below,
    // which then saw "no line" on the reprinted poster: wait for it here, through the API.
    const published = async () => (await drill.api.call<Detail>('GET', `/api/v1/shelters/${affected}`)).body.service?.publishedNumber ?? '';
    await expect.poll(published, { timeout: 60_000 }).toMatch(/^\+8150/);

    await page.goto(drill.boardUrl);
    await page.locator('[data-connection="live"]').waitFor();
    await expect.poll(() => page.locator('[data-stat="no-emergency"] .stat').textContent(), { timeout: 30_000 }).toBe(String(ids.length));
    // The no-emergency figure comes before the others, and the dead carriers' pools are greyed.
    expect(await page.locator('ul.stats > li').first().getAttribute('data-stat')).toBe('no-line');
    for (const c of ZERO_ABJ) expect(await page.locator(`[data-pool="${c}"]`).getAttribute('data-pool-down')).toBe('yes');
    await expect.poll(() => page.locator('[data-testid="posters-out-of-date"]').count(), { timeout: 30_000 }).toBe(1);
    // The map says what the lines can do: lines work, but none reaches 110/118/119 — not green 通話可.
    await expect.poll(() => page.locator(`circle[data-service="no_emergency"]`).count(), { timeout: 30_000 }).toBe(ids.length);
    expect(await page.locator('circle[data-service="working"]').count()).toBe(0);
    expect(await page.locator('ul.legend').textContent()).toContain('通話可・110/118/119 不可');
    await page.screenshot({ path: join(DOCS, 'board-overview-degraded.png'), fullPage: true });

    // One click to the filtered list.
    await page.locator('[data-stat="no-emergency"] a').click();
    await page.locator('[data-service-filter="no_emergency"]').waitFor();
    await expect.poll(() => page.locator('table.shelters tbody tr').count()).toBe(ids.length);

    // The shelter detail: dead lines shown down, the poster out of date with a reprint.
    await page.goto(`${drill.boardUrl}shelters/${affected}`);
    await page.locator(`article[data-shelter-id="${affected}"]`).waitFor();
    for (const e164 of xNumbers) await expect.poll(() => page.locator(`li[data-number="${e164}"]`).getAttribute('data-health')).toBe('down');
    // A dead line promises nothing: no 緊急通報可 beside 不通.
    for (const e164 of xNumbers) expect(await page.locator(`li[data-number="${e164}"]`).textContent()).not.toContain('緊急通報');
    await expect.poll(() => page.getByTestId('poster-status').getAttribute('data-out-of-date')).toBe('yes');
    await page.getByRole('link', { name: '印刷し直す' }).click();

    // The corrected poster: no dead number, no promise of 110, and where to go instead.
    await expect.poll(() => page.getByTestId('poster-number').textContent(), { timeout: 15_000 }).toMatch(/^050/);
    const text = (await page.locator('article.poster').textContent()) ?? '';
    for (const e164 of xNumbers) expect(text).not.toContain(formatNational(e164));
    expect(text).not.toContain('110・118・119 に発信できます');
    expect(text).toContain('110・118・119 に発信できません');
    expect(text).toContain('特設公衆電話');
    expect(text).toContain('171');
    // The small print says what the special numbers and 0570 do from this phone.
    expect(await page.getByTestId('poster-special').textContent()).toMatch(/#7119.*0570.*#7119/s);
    await page.locator('.poster-qr img').waitFor();
    await page.emulateMedia({ media: 'print' });
    // Everything fits the sheet: the print date at the foot is inside the A4 page, not clipped.
    const sheet = (await page.locator('article.poster').boundingBox())!;
    const foot = (await page.getByTestId('poster-printed').boundingBox())!;
    expect(foot.y + foot.height).toBeLessThanOrEqual(sheet.y + sheet.height);
    await page.screenshot({ path: join(DOCS, 'board-poster-corrected.png'), fullPage: true });
    const one = join(dataDir, 'poster.pdf');
    await page.pdf({ path: one, format: 'A4', printBackground: true });
    expect(pdfPageCount(one)).toBe(1);
    await page.emulateMedia({ media: 'screen' });

    // The municipality directory prints the same truth: no dead number, the 050 line flagged.
    await page.goto(`${drill.boardUrl}print/directory/172022`);
    await page.locator('[data-connection="live"]').waitFor();
    const row = page.locator(`tr[data-directory-row="${affected}"]`);
    await expect.poll(() => row.textContent()).toMatch(/050/);
    const rowText = (await row.textContent()) ?? '';
    for (const e164 of xNumbers) expect(rowText).not.toContain(formatNational(e164));
    expect(rowText).toContain('110・118・119不可');

    // Many shelters at once: one document, one A4 page per shelter.
    await page.goto(`${drill.boardUrl}print/posters?ids=${ids.join(',')}`);
    await page.locator('[data-connection="live"]').waitFor();
    await expect.poll(() => page.locator('article.poster').count()).toBe(ids.length);
    await page.emulateMedia({ media: 'print' });
    const many = join(dataDir, 'posters.pdf');
    await page.pdf({ path: many, format: 'A4', printBackground: true });
    expect(pdfPageCount(many)).toBe(ids.length);

    // One carrier comes back: its outage alert moves to the greyed section of what is over, with the "back up" notice.
    await drill.api.call('POST', `/api/v1/carriers/${ZERO_ABJ[0]}/health`, { down: false, reason: 'e2e: recovered' });
    await page.emulateMedia({ media: 'screen' });
    await page.goto(drill.boardUrl);
    await page.locator('[data-connection="live"]').waitFor();
    const live = page.getByTestId('alerts-live');
    const resolved = page.getByTestId('alerts-resolved');
    await expect.poll(() => live.locator(`[data-alert-kind="carrier_down"]`).count(), { timeout: 30_000 }).toBe(1);
    await page.locator('details.resolved-alerts summary').click();
    await expect.poll(() => resolved.locator('[data-alert-kind="carrier_down"]').count(), { timeout: 30_000 }).toBe(1);
    expect(await resolved.locator('[data-alert-kind="carrier_up"]').count()).toBe(1);
    expect(await resolved.locator('li.alert.resolved').count()).toBe(await resolved.locator('li').count());
    await page.close();
  }, 180_000);

  it('logged no console errors on any page', () => {
    expect(consoleErrors).toEqual([]);
  });
});
