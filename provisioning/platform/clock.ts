/** Time as the domain sees it: injected, so tests and benchmarks control it. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock that only moves when told to: for deterministic tests and replays. */
export class ManualClock implements Clock {
  private t: number;
  constructor(start: Date | string = '2024-01-01T00:00:00.000Z') {
    this.t = new Date(start).getTime();
  }
  now(): Date {
    return new Date(this.t);
  }
  set(at: Date | string): void {
    this.t = new Date(at).getTime();
  }
  advance(ms: number): void {
    this.t += ms;
  }
}

export const DAY_MS = 24 * 60 * 60 * 1000;

export function addMs(at: Date, ms: number): Date {
  return new Date(at.getTime() + ms);
}

export function iso(at: Date): string {
  return at.toISOString();
}
