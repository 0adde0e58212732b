import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const WORKER = fileURLToPath(new URL('./sqlite-exit-worker.ts', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'sl-exit-'));

/** Runs the worker in a fresh Node process and reports how that process ended. */
function runWorker(mode: string): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', WORKER, join(dir, `${mode}.sqlite`), mode], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`worker (${mode}) did not exit within 30 s`));
    }, 30_000);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

// Node 24 aborts a process whose better-sqlite3 statements are destroyed after its environment is gone
// ("Check failed: (env) != nullptr"): a store must never leave that to process teardown.
describe(`a SQLite store at process exit (Node ${process.versions.node})`, () => {
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  for (const mode of ['left-open', 'closed', 'newer-schema']) {
    it(`exits cleanly when the store was ${mode === 'left-open' ? 'never closed' : mode === 'closed' ? 'closed' : 'refused for a newer schema'}`, async () => {
      const r = await runWorker(mode);
      expect(r.stderr).not.toMatch(/Check failed|FATAL|Assertion|Aborted/);
      expect({ code: r.code, signal: r.signal, stdout: r.stdout.trim() }).toEqual({ code: 0, signal: null, stdout: 'done' });
    });
  }
});
