import { describe, expect, it } from 'vitest';
import type { CarrierProbeStreak } from '../../provisioning/model/index.js';
import { judgeProbe, probeOnce, probePolicy, type ProbeAnswer } from '../../provisioning/carriers/carrier-probe.js';

const policy = probePolicy();
const ok: ProbeAnswer = { ok: true, detail: 'account active', ms: 40 };
const failed: ProbeAnswer = { ok: false, detail: 'Twilio answered 503', ms: 30 };
const T0 = Date.parse('2024-01-09T09:00:00.000Z');
const at = (s: number) => new Date(T0 + s * 1000);

/** Runs a series of probe answers every 5 s against a carrier whose health follows the verdicts. */
function run(answers: ProbeAnswer[], start: { health: 'up' | 'down'; changedAt?: string } = { health: 'up' }) {
  let carrier = { health: start.health, healthChangedAt: start.changedAt ?? at(-60).toISOString() } as { health: 'up' | 'down'; healthChangedAt: string };
  let streak: CarrierProbeStreak | null = null;
  const verdicts: Array<string | null> = [];
  answers.forEach((a, i) => {
    const r = judgeProbe(streak, a, carrier, policy, at(5 * (i + 1)));
    streak = r.streak;
    verdicts.push(r.verdict);
    if (r.verdict) carrier = { health: r.verdict, healthChangedAt: at(5 * (i + 1)).toISOString() };
  });
  return verdicts;
}

describe('probe hysteresis: two in a row either way', () => {
  it('defaults to a probe every 5 s, a 5 s deadline, down after 2 failures, up after 2 answers', () => {
    expect(policy).toEqual({ everyMs: 5_000, timeoutMs: 5_000, downAfter: 2, upAfter: 2 });
    expect(probePolicy(2_000).timeoutMs).toBe(2_000);
    expect(probePolicy(60_000).timeoutMs).toBe(5_000);
  });

  it('marks an up carrier down on the second failure in a row, never on one', () => {
    expect(run([failed, ok, failed, ok, failed, failed])).toEqual([null, null, null, null, null, 'down']);
  });

  it('brings a down carrier back on the second answer in a row, never on one', () => {
    expect(run([ok, failed, ok, ok], { health: 'down' })).toEqual([null, null, null, 'up']);
  });

  it('counts only what it saw since the health last changed: a streak from before an outage another source saw does not count', () => {
    const before = judgeProbe(null, ok, { health: 'up', healthChangedAt: at(-60).toISOString() }, policy, at(0)).streak;
    expect(before.successes).toBe(1);
    // The adapter marked it down at the same instant, then it answers once: one answer is not two.
    expect(judgeProbe(before, ok, { health: 'down', healthChangedAt: at(0).toISOString() }, policy, at(5)).verdict).toBeNull();
    expect(judgeProbe(before, ok, { health: 'down', healthChangedAt: at(-1).toISOString() }, policy, at(5)).verdict).toBe('up');
  });

  it('counts a probe with no answer within its deadline as failed (real time, the carrier\'s)', async () => {
    const hung = { health: () => new Promise<never>(() => undefined) };
    const started = performance.now();
    const answer = await probeOnce(hung, 50);
    expect(answer).toMatchObject({ ok: false, detail: 'no answer within 0.05 s' });
    expect(performance.now() - started).toBeGreaterThanOrEqual(45);
    expect(await probeOnce({ health: async () => ({ ok: true, detail: 'fine' }) }, 1_000)).toMatchObject({ ok: true, detail: 'fine' });
    expect(await probeOnce({ health: async () => Promise.reject(new Error('ECONNREFUSED')) }, 1_000)).toMatchObject({ ok: false, detail: 'ECONNREFUSED' });
  });
});
