import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, mint, startApiServer, type ApiServer } from '../support/api-server.js';
import { buildBoard } from '../support/build-board.js';
import { collectPageErrors, launchChromium, signInOnBoard } from '../support/browser.js';
import { requirement } from '../support/requirements.js';

const BROWSER = requirement('chromium');

/**
 * What a coordinator sees when an admin revokes the token their board signed in with: the board
 * leaves at once for the sign-in form, says why in Japanese, and does not keep knocking on the
 * socket with the dead session.
 */
describe.skipIf(!BROWSER.available)('a board whose token is revoked (real headless Chromium)', () => {
  let s: ApiServer;
  let browser: Awaited<ReturnType<typeof launchChromium>>;
  const errors: string[] = [];

  beforeAll(async () => {
    await buildBoard();
    s = await startApiServer();
    browser = await launchChromium();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await s?.close();
  });

  it('goes to the sign-in form with the reason in Japanese, and opens no new socket', { timeout: 90_000 }, async () => {
    const coordinator = await mint(s, 'coordinator');
    const page = await browser.context.newPage();
    await signInOnBoard(page, `${s.url}/`, coordinator.token);
    collectPageErrors(page, errors, /401|Unauthorized/);
    const sockets: string[] = [];
    page.on('websocket', (ws) => sockets.push(ws.url()));

    expect((await call(s, 'delete', `/api/v1/tokens/${coordinator.id}`, { token: s.adminToken })).status).toBe(200);
    const notice = page.getByTestId('signed-out');
    await notice.waitFor({ timeout: 20_000 });
    expect(await notice.textContent()).toContain('このトークンは無効にされました');
    await page.getByLabel('アクセストークン').waitFor();
    // The board's reconnect backoff is capped at 2 s: three of them pass with no new socket.
    await page.waitForTimeout(6_000);
    expect(sockets).toEqual([]);
    expect(errors).toEqual([]);

    // Signing in again with a valid token brings the live board back, and the notice goes.
    const again = await mint(s, 'coordinator');
    await page.getByLabel('アクセストークン').fill(again.token);
    await page.getByRole('button', { name: 'サインイン' }).click();
    await page.locator('[data-connection="live"]').waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('signed-out').count()).toBe(0);
  });
});
