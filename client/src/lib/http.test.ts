import { afterEach, describe, expect, it, vi } from 'vitest';
import { api } from './http.js';

/** The network is outside our control: a fetch that drops the first connection, then answers. */
function flakyNetwork(drops: number) {
  const keys: string[] = [];
  const fetch = vi.fn(async (_path: string, init: RequestInit) => {
    keys.push((init.headers as Record<string, string>)['Idempotency-Key']!);
    if (keys.length <= drops) throw new TypeError('Failed to fetch');
    return new Response(JSON.stringify({ ok: true }), { status: 200, headers: { 'content-type': 'application/json' } });
  });
  vi.stubGlobal('fetch', fetch);
  return keys;
}

describe('one Idempotency-Key per user action', () => {
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  it('asks again with the same key after a dropped connection, until it gets an answer', async () => {
    vi.useFakeTimers();
    const keys = flakyNetwork(2);
    const answer = api('POST', '/api/v1/shelters/a/open', {});
    await vi.runAllTimersAsync();
    await expect(answer).resolves.toEqual({ ok: true });
    expect(keys).toHaveLength(3);
    expect(new Set(keys).size).toBe(1);
  });

  it('gives a double click the key of the click still in flight, and the next action a new key', async () => {
    const keys = flakyNetwork(0);
    await Promise.all([api('POST', '/api/v1/shelters/a/close', { reason: 'x' }), api('POST', '/api/v1/shelters/a/close', { reason: 'x' })]);
    await api('POST', '/api/v1/shelters/a/close', { reason: 'x' });
    expect(keys[0]).toBe(keys[1]);
    expect(keys[2]).not.toBe(keys[0]);
  });

  it('sends no key on a read', async () => {
    const keys = flakyNetwork(0);
    await api('GET', '/api/v1/shelters');
    expect(keys).toEqual([undefined]);
  });
});
