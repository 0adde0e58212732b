import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { RequestLogEntry } from './state.js';
import type { AccountConcurrency, RateLimit } from './simulator-interface.js';

/**
 * What a drill needs of its simulator to set it up and read it back: the in-process simulator has it
 * (synchronously), and so does a simulator in another process, through its `/_sim` control API.
 */
export interface SimulatorControl {
  createAccount(opts: { sid?: string; authToken?: string; friendlyName?: string; concurrencyLimit?: number | null }): unknown;
  seedNumbers(accountSid: string, e164s: string[]): unknown;
  setRateLimit(accountSid: string, limit: RateLimit | null): unknown;
  setConcurrencyLimit(accountSid: string, limit: number | null): unknown;
  concurrency(accountSid: string, opts?: { reset?: boolean }): AccountConcurrency | Promise<AccountConcurrency>;
  requestCount(accountSid?: string): number | Promise<number>;
  requestLog(accountSid: string): RequestLogEntry[] | Promise<RequestLogEntry[]>;
}

/** A Twilio simulator in its own process (`main.ts` beside this file), driven over `/_sim`. */
export class RemoteSimulator implements SimulatorControl {
  private constructor(
    readonly url: string,
    private readonly child: ChildProcess,
  ) {}

  /**
   * Starts `node main.ts` on loopback (a free port) and resolves once it listens. Its CPU is its
   * own: a benchmark of the orchestrator then does not count the carriers' work as ours.
   */
  static async start(opts: { latencyMs?: number } = {}): Promise<RemoteSimulator> {
    const entry = fileURLToPath(new URL(import.meta.url.endsWith('.ts') ? './main.ts' : './main.js', import.meta.url));
    // Under tsx (drill, tests, benchmarks) the child loads TypeScript the same way.
    const loader = import.meta.url.endsWith('.ts') ? ['--import', 'tsx'] : [];
    const child = spawn(process.execPath, [...loader, entry, `--latency-ms=${opts.latencyMs ?? 0}`], { stdio: ['ignore', 'pipe', 'pipe'] });
    // Its complaints are passed on, and the last of them named if it ends before listening.
    let said = '';
    child.stderr!.on('data', (chunk: Buffer) => {
      said = (said + chunk.toString()).slice(-2000);
      process.stderr.write(chunk);
    });
    const lines = createInterface({ input: child.stdout! });
    const first = once(lines, 'line').then(([line]) => JSON.parse(String(line)) as { url: string });
    const exited = once(child, 'exit').then(([code]) => {
      throw new Error(`the simulator process exited (${String(code)}) before listening: ${said.trim()}`);
    });
    const { url } = await Promise.race([first, exited]);
    exited.catch(() => undefined);
    return new RemoteSimulator(url, child);
  }

  createAccount(opts: { sid?: string; authToken?: string; friendlyName?: string }): Promise<{ sid: string; authToken: string }> {
    return this.call('POST', '/accounts', opts);
  }

  seedNumbers(accountSid: string, e164s: string[]): Promise<Array<{ sid: string; phone_number: string }>> {
    return this.call('POST', `/accounts/${accountSid}/numbers`, { e164s });
  }

  async setRateLimit(accountSid: string, limit: RateLimit | null): Promise<void> {
    await this.call('PUT', `/accounts/${accountSid}/rate-limit`, { limit });
  }

  async setConcurrencyLimit(accountSid: string, limit: number | null): Promise<void> {
    await this.call('PUT', `/accounts/${accountSid}/concurrency-limit`, { limit });
  }

  async concurrency(accountSid: string, opts: { reset?: boolean } = {}): Promise<AccountConcurrency> {
    return this.call('GET', `/accounts/${accountSid}/concurrency${opts.reset ? '?reset=1' : ''}`);
  }

  async requestCount(accountSid?: string): Promise<number> {
    return (await this.call<{ count: number }>('GET', accountSid ? `/accounts/${accountSid}/requests` : '/requests')).count;
  }

  async requestLog(accountSid: string): Promise<RequestLogEntry[]> {
    return (await this.call<{ log: RequestLogEntry[] }>('GET', `/accounts/${accountSid}/requests`)).log;
  }

  /** Ends the process and waits for it. */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = once(this.child, 'exit');
    this.child.kill('SIGTERM');
    await exited;
  }

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${this.url}/_sim${path}`, {
      method,
      ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`simulator ${method} ${path}: ${res.status} ${text}`);
    return JSON.parse(text) as T;
  }
}
