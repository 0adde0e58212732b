import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { readSkipRecords, skipSummary } from '../support/skip-summary-reporter.js';

describe('the last line of npm test: every suite skipped, and why', () => {
  it('groups skipped suites by reason, names the Firestore leg of a file, and lists a skip with no reason recorded', () => {
    const line = skipSummary([
      { requirement: 'chromium', reason: 'Chromium missing (/usr/bin/chromium; Debian: chromium)', file: 'test/e2e/board.e2e.test.ts' },
      { requirement: 'chromium', reason: 'Chromium missing (/usr/bin/chromium; Debian: chromium)', file: 'test/e2e/a.e2e.test.ts' },
      { requirement: 'firestore-emulator', reason: 'Firestore emulator missing (google-cloud-cli-firestore-emulator not installed)', file: 'test/api/numbers.test.ts', part: 'the Firestore leg' },
    ], ['test/e2e/board.e2e.test.ts', 'test/e2e/a.e2e.test.ts', 'test/odd.test.ts']);
    expect(line).toBe('Skipped suites (4): Chromium missing (/usr/bin/chromium; Debian: chromium): test/e2e/a.e2e.test.ts, test/e2e/board.e2e.test.ts; '
      + 'Firestore emulator missing (google-cloud-cli-firestore-emulator not installed): test/api/numbers.test.ts (the Firestore leg); skipped with no reason recorded: test/odd.test.ts.');
    expect(skipSummary([], [])).toBe('Skipped suites: none.');
  });

  it('ends a real run without Kamailio and SIPp on the PATH with the line naming the SIP suite, and records it for .ci/run', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sl-skips-'));
    try {
      const records = join(dir, 'skips.jsonl');
      // A run inside this run: its own report and skip record, no emulator, and a PATH without /usr/sbin (kamailio, kamcmd).
      const path = (process.env.PATH ?? '').split(':').filter((p) => !/sbin/.test(p)).join(':');
      const child = spawn(process.execPath, [resolve('node_modules/vitest/vitest.mjs'), 'run', 'test/connectors/kamailio-sip.test.ts', `--outputFile.json=${join(dir, 'report.json')}`], {
        env: { ...process.env, PATH: path, FIRESTORE_EMULATOR_BINARY: 'none', SHELTER_LINE_SKIP_RECORDS: records, NO_COLOR: '1', FORCE_COLOR: '0' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      const code = await new Promise<number | null>((r) => child.on('exit', r));
      expect(code, out.slice(-2000)).toBe(0);
      const last = out.trim().split('\n').at(-1);
      expect(last).toBe('Skipped suites (1): Kamailio/SIPp missing (Debian: kamailio kamailio-json-modules kamailio-utils-modules sip-tester): test/connectors/kamailio-sip.test.ts.');
      expect(readSkipRecords(records)).toEqual([expect.objectContaining({ requirement: 'kamailio-sipp', file: 'test/connectors/kamailio-sip.test.ts' })]);
      expect(JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')).numPendingTests).toBe(18);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
