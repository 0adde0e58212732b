import { afterEach, describe, expect, it } from 'vitest';
import { seededRandom } from '../../provisioning/platform/random.js';
import { startHub, shelter, TestClient, type HubFixture } from '../support/hub-fixture.js';

let fx: HubFixture | undefined;
afterEach(async () => {
  await fx?.close();
  fx = undefined;
});

const closed = (c: TestClient) => new Promise<number>((resolve) => c.ws.once('close', (code) => resolve(code)));

describe('the hub with slow or dead clients', () => {
  it('drops a client that stops reading once its unsent bytes pass the limit, and keeps serving the others', async () => {
    fx = await startHub({ maxBufferedBytes: 64 * 1024 });
    const bearer = { Authorization: `Bearer ${fx.tokens.viewer}` };
    const slow = await TestClient.open(fx.wsUrl, bearer);
    const fast = await TestClient.open(fx.wsUrl, bearer);
    await slow.waitFor(1);
    await fast.waitFor(1);
    const slowClosed = closed(slow);
    // The slow board stops reading: the server's socket buffer fills once the kernel's buffers do.
    (slow.ws as unknown as { _socket: { pause(): void } })._socket.pause();
    // Text deflate cannot shrink (the hub compresses frames): seeded, so every run sends the same bytes.
    const random = seededRandom(7);
    const noise = (n: number) => Array.from({ length: n }, () => Math.floor(random() * 36).toString(36)).join('');
    let batch = 0;
    while (fx.hub.clientCount() === 2 && batch < 100) {
      await fx.deps.store.putMany('shelters', Array.from({ length: 200 }, (_, i) => shelter(batch * 200 + i, { address: noise(300), name: noise(200) })));
      batch += 1;
      await new Promise((r) => setImmediate(r));
    }
    expect(fx.hub.clientCount()).toBe(1);
    (slow.ws as unknown as { _socket: { resume(): void } })._socket.resume();
    await slowClosed;
    const total = batch * 200;
    await fast.waitFor(1 + total, 15_000);
    const seqs = fast.messages.slice(1).map((m) => m.seq!);
    expect(seqs).toEqual(Array.from({ length: total }, (_, i) => fast.messages[0]!.seq! + 1 + i));
    fast.close();
  });

  it('drops a client that stops answering pings', async () => {
    fx = await startHub({ heartbeatMs: 40 });
    const silent = await TestClient.open(fx.wsUrl, { Authorization: `Bearer ${fx.tokens.viewer}` }, { autoPong: false });
    // Listening for the close before the snapshot arrives: on a busy machine both can come in one read.
    const silentClosed = closed(silent);
    await silent.waitFor(1);
    await silentClosed;
    expect(fx.hub.clientCount()).toBe(0);
  });
});
