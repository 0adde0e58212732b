import { afterEach, describe, expect, it } from 'vitest';
import { startHub, shelter, TestClient, type HubFixture } from '../support/hub-fixture.js';

let fx: HubFixture | null = null;
const clients: TestClient[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await fx?.close();
  fx = null;
});

async function connect(token: string): Promise<TestClient> {
  const c = await TestClient.open(fx!.wsUrl, { Authorization: `Bearer ${token}` });
  clients.push(c);
  await c.waitFor(1);
  return c;
}

/** Polls a condition the hub reaches on its own (a socket's close, a timer of 0 ms), with a deadline. */
async function until(what: string, ok: () => boolean): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`${what}: not within 5 s`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/**
 * An instance reads the store's change feed only while a board is connected to it: three
 * instances with no board made the Firestore emulator spend 15–20× the CPU on every write
 * (issue 14), and on Firestore every instance's feed is a read per change.
 */
describe("the hub's store feed", () => {
  it('opens for the first board, serves every change after its snapshot, and closes after the last board leaves', async () => {
    fx = await startHub({ feedLingerMs: 0 });
    expect(fx.hub.feedOpen()).toBe(false);
    await fx.deps.store.put('shelters', shelter(1)); // no board: nothing listens

    const c = await connect(fx.tokens.admin);
    expect(fx.hub.feedOpen()).toBe(true);
    expect((c.messages[0]!.shelters as { id: string }[]).map((s) => s.id)).toEqual([shelter(1).id]);
    await fx.deps.store.put('shelters', shelter(2));
    const [, delta] = await c.waitFor(2);
    expect([delta!.type, delta!.op, delta!.id]).toEqual(['change', 'put', shelter(2).id]);

    c.close();
    await until('the feed closes once no board is left', () => fx!.hub.clientCount() === 0 && !fx!.hub.feedOpen());

    // A board connecting later gets a snapshot with what changed meanwhile, then live changes again.
    await fx.deps.store.put('shelters', shelter(3));
    const again = await connect(fx.tokens.viewer);
    expect(fx.hub.feedOpen()).toBe(true);
    expect((again.messages[0]!.shelters as { id: string }[]).map((s) => s.id).sort()).toEqual([shelter(1).id, shelter(2).id, shelter(3).id].sort());
    await fx.deps.store.put('shelters', shelter(4));
    const [, next] = await again.waitFor(2);
    expect([next!.type, next!.id, next!.seq]).toEqual(['change', shelter(4).id, again.messages[0]!.seq! + 1]);
  });

  it('stays open while one of two boards is still connected', async () => {
    fx = await startHub({ feedLingerMs: 0 });
    const a = await connect(fx.tokens.admin);
    const b = await connect(fx.tokens.viewer);
    a.close();
    await until('one board left', () => fx!.hub.clientCount() === 1);
    expect(fx.hub.feedOpen()).toBe(true);
    await fx.deps.store.put('shelters', shelter(5));
    const [, delta] = await b.waitFor(2);
    expect(delta!.id).toBe(shelter(5).id);
  });
});
