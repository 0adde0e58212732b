import { existsSync, readFileSync } from 'node:fs';
import { relative } from 'node:path';
import type { TestModule } from 'vitest/node';
import { JsonReporter } from 'vitest/reporters';
import type { SkipRecord } from './requirements.js';

/**
 * Where the suites of one run record what they skipped and why (truncated by the global setup):
 * `.vitest-skips.jsonl` in the repository, or SHELTER_LINE_SKIP_RECORDS (a run inside a run).
 */
export function skipRecordsPath(root: string): string {
  return process.env.SHELTER_LINE_SKIP_RECORDS ?? `${root}/.vitest-skips.jsonl`;
}

/**
 * The last line of `npm test`: every suite skipped, grouped by why (Chromium, Kamailio/SIPp, the
 * Firestore emulator), or that none was. A skipped test whose file recorded no reason is listed too.
 */
export function skipSummary(records: readonly SkipRecord[], skippedFiles: readonly string[]): string {
  const byReason = new Map<string, string[]>();
  const add = (reason: string, what: string) => byReason.set(reason, [...new Set([...(byReason.get(reason) ?? []), what])]);
  for (const r of records) add(r.reason, r.part ? `${r.file} (${r.part})` : r.file);
  const explained = new Set(records.map((r) => r.file));
  for (const f of skippedFiles) if (!explained.has(f)) add('skipped with no reason recorded', f);
  if (byReason.size === 0) return 'Skipped suites: none.';
  const total = [...byReason.values()].reduce((n, files) => n + files.length, 0);
  return `Skipped suites (${total}): ${[...byReason].map(([reason, files]) => `${reason}: ${files.sort().join(', ')}`).join('; ')}.`;
}

export function readSkipRecords(file: string): SkipRecord[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as SkipRecord);
}

/**
 * The JSON report .ci/run counts from, then, written last so a log's tail shows it, the skip summary.
 * (One reporter for both: vitest runs reporters' end hooks side by side, and the JSON reporter's
 * "report written" line would otherwise come after the summary.)
 */
export default class JsonReportThenSkipSummary extends JsonReporter {
  private root = process.cwd();
  /** A run narrowed by -t skips what it filtered out: those are not suites that could not run. */
  private filtered = false;

  constructor() {
    super({});
  }

  override onInit(vitest: Parameters<JsonReporter['onInit']>[0]): void {
    super.onInit(vitest);
    this.root = vitest.config.root;
    this.filtered = vitest.config.testNamePattern !== undefined;
  }

  override async onTestRunEnd(testModules: ReadonlyArray<TestModule>): Promise<void> {
    await super.onTestRunEnd(testModules);
    const skippedFiles = this.filtered ? [] : testModules.filter((m) => [...m.children.allTests('skipped')].length > 0).map((m) => relative(this.root, m.moduleId));
    process.stdout.write(`\n${skipSummary(readSkipRecords(skipRecordsPath(this.root)), skippedFiles)}\n`);
  }
}
