import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Role } from '../../provisioning/model/index.js';
import type { ApiClient } from '../../server/drill/api-client.js';

import { CHROMIUM_PATH } from './requirements.js';

/** Debian's Chromium: whether it is there is decided in support/requirements.ts. */
export const CHROMIUM = CHROMIUM_PATH;

/** Debian's chromium, headless, with a fresh profile that is removed afterwards. */
export async function launchChromium(opts: { javaScriptEnabled?: boolean } = {}): Promise<{ context: BrowserContext; close(): Promise<void> }> {
  const profile = mkdtempSync(join(tmpdir(), 'sl-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1280, height: 900 },
    locale: 'ja-JP',
    timezoneId: 'Asia/Tokyo',
    javaScriptEnabled: opts.javaScriptEnabled ?? true,
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** A named token of a role, made through the API as an admin makes one for a person. */
export async function mintToken(api: ApiClient, role: Role, label: string): Promise<string> {
  return (await api.call<{ token: string }>('POST', '/api/v1/tokens', { label, role })).body.token;
}

/**
 * Signs in through the board's form, as a coordinator would; then waits for the live feed unless
 * `live` is false. `asNewPerson` first drops the browser's session, so a test signs in as its own person.
 */
export async function signInOnBoard(page: Page, boardUrl: string, token: string, opts: { live?: boolean; asNewPerson?: boolean } = {}): Promise<void> {
  if (opts.asNewPerson) await page.context().clearCookies();
  await page.goto(boardUrl);
  await page.getByLabel('アクセストークン').fill(token);
  await page.getByRole('button', { name: 'サインイン' }).click();
  if (opts.live ?? true) await page.locator('[data-connection="live"]').waitFor({ timeout: 15_000 });
}

/** Collects the page's console errors and uncaught exceptions into `sink`, except console errors `ignore` matches. */
export function collectPageErrors(page: Page, sink: string[], ignore?: RegExp): void {
  page.on('console', (m) => m.type() === 'error' && !ignore?.test(m.text()) && sink.push(`${page.url()}: ${m.text()}`));
  page.on('pageerror', (e) => sink.push(`${page.url()}: ${e.message}`));
}
