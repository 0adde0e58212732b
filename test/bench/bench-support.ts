/** Rounds a figure for printing: benchmarks report a few significant digits, not noise. */
export function round(v: number, digits = 2): number {
  return Math.round(v * 10 ** digits) / 10 ** digits;
}
