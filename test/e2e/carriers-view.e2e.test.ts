import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import type { Shelter } from '../../provisioning/model/index.js';
import { startDrill, type RunningDrill } from '../../server/drill/start-drill.js';
import { buildBoard } from '../support/build-board.js';
import { collectPageErrors, launchChromium, signInOnBoard } from '../support/browser.js';
import { requirement } from '../support/requirements.js';

const BROWSER = requirement('chromium');
/** The drill's Twilio members declare 8 requests at once; their accounts here take 2. */
const ACCOUNT_LIMIT = 2;
const TWILIO = 'noto-cloud';

let drill: RunningDrill;
let browser: Awaited<ReturnType<typeof launchChromium>>;
let dataDir: string;
const consoleErrors: string[] = [];

describe.skipIf(!BROWSER.available)('the carriers view: each member’s learnt limit, its 429s and its preflight (real headless Chromium)', () => {
  beforeAll(async () => {
    await buildBoard();
    dataDir = mkdtempSync(join(tmpdir(), 'sl-e2e-carriers-'));
    // 20 ms an answer: the openings' requests overlap at the account, so it answers 429 past 2 at once.
    drill = await startDrill({ dataDir, logger: pino({ level: 'silent' }), simulatorConcurrencyLimit: ACCOUNT_LIMIT, simulatorLatencyMs: 20 });
    browser = await launchChromium();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await drill?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('shows the limit the deployment learnt from the account’s 429s and how many there were, and runs the preflight from its button, saying what to fix', async () => {
    const page = await browser.context.newPage();
    collectPageErrors(page, consoleErrors);
    await signInOnBoard(page, drill.boardUrl, drill.adminToken);
    await page.goto(`${drill.boardUrl}carriers`);
    const card = page.locator(`[data-carrier-id="${TWILIO}"]`);
    const limit = card.locator('[data-effective-concurrency]');
    await expect.poll(() => limit.getAttribute('data-effective-concurrency')).toBe('8');
    expect(await limit.getAttribute('data-throttled')).toBe('0');
    expect(await card.locator('[data-preflight]').getAttribute('data-preflight')).toBe('none');

    // Openings send the members more than their accounts take at once: 429s, and a lower learnt limit.
    const shelters = (await drill.api.call<{ items: Shelter[] }>('GET', '/api/v1/shelters?limit=1000')).body.items;
    await drill.api.call('POST', '/api/v1/shelters/open-bulk', { ids: shelters.filter((s) => s.areaCodes.includes('0767')).slice(0, 6).map((s) => s.id), lines: 2 });
    await expect.poll(async () => Number(await limit.getAttribute('data-throttled')), { timeout: 60_000 }).toBeGreaterThan(0);
    await expect.poll(async () => Number(await limit.getAttribute('data-effective-concurrency')), { timeout: 30_000 }).toBeLessThan(8);
    expect(await limit.textContent()).toMatch(/申告 8/);

    // The preflight, from its button: the limit the account answers with is below the declared one.
    await card.getByRole('button', { name: '事前確認を実行' }).click();
    await expect.poll(() => card.locator('[data-preflight]').getAttribute('data-preflight'), { timeout: 60_000 }).toBe('fix');
    for (const check of ['credentials', 'numbers', 'sip_domain']) expect(await card.locator(`[data-check="${check}"]`).getAttribute('class')).toBe('');
    const limitCheck = card.locator('[data-check="limit"]');
    expect(await limitCheck.getAttribute('class')).toBe('warn');
    expect(await limitCheck.textContent()).toMatch(/申告値（8）を \d+ 以下に下げる/);
    // Kept with the carrier: the API gives the same report.
    const kept = (await drill.api.call<{ preflight: { ok: boolean; measured: { concurrency: number } } }>('GET', `/api/v1/carriers/${TWILIO}`)).body.preflight;
    expect(kept.ok).toBe(false);
    expect(kept.measured.concurrency).toBeLessThanOrEqual(ACCOUNT_LIMIT);
    expect(consoleErrors).toEqual([]);
  });
});
