/** A source of numbers in [0, 1): Math.random in production, a seeded one in tests and benchmarks. */
export type Random = () => number;

/** mulberry32: a small, fast, seeded generator, so a test's jitter and shuffles repeat exactly. */
export function seededRandom(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
