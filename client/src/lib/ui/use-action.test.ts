import { describe, expect, it } from 'vitest';
import { ApiError } from '../http.js';
import { runAction } from './use-action.js';

/** Records every busy/error the action reports, in order, as a component would render them. */
function recorder() {
  const seen: Array<['busy', boolean] | ['error', unknown]> = [];
  return { seen, state: { setBusy: (b: boolean) => seen.push(['busy', b]), setError: (e: unknown) => seen.push(['error', e]) } };
}

describe('runAction', () => {
  it('is busy while the action runs, clears the last error when it starts and leaves none on success', async () => {
    const { seen, state } = recorder();
    let during: typeof seen = [];
    await runAction(async () => void (during = [...seen]), state);
    expect(during).toEqual([['busy', true], ['error', null]]);
    expect(seen).toEqual([['busy', true], ['error', null], ['busy', false]]);
  });

  it('keeps the API Problem whole when the action fails, and is no longer busy', async () => {
    const { seen, state } = recorder();
    const problem = new ApiError(409, 'Conflict', 'the shelter is closing', [], 'https://shelter-line.jp/problems/conflict');
    await expect(runAction(() => Promise.reject(problem), state)).resolves.toBeUndefined();
    expect(seen).toEqual([['busy', true], ['error', null], ['error', problem], ['busy', false]]);
  });

  it('runs what follows the await only when the call succeeded', async () => {
    const { state } = recorder();
    let after = 0;
    await runAction(async () => {
      await Promise.reject(new Error('refused'));
      after++;
    }, state);
    expect(after).toBe(0);
  });
});
