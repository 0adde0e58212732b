/** Time as the domain sees it: injected, so tests and benchmarks control it. */
export interface Clock {
  now(): Date;
  /**
   * Lets `ms` of this clock's time pass before going on: real timers for the system clock. A
   * manual clock only yields to other work: its time moves when a test (or a drain) moves it.
   */
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = { now: () => new Date(), sleep: (ms) => new Promise((r) => setTimeout(r, ms)) };

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
  sleep(_ms: number): Promise<void> {
    return new Promise((r) => setImmediate(r));
  }
}

export const DAY_MS = 24 * 60 * 60 * 1000;

export function addMs(at: Date, ms: number): Date {
  return new Date(at.getTime() + ms);
}

export function iso(at: Date): string {
  return at.toISOString();
}
