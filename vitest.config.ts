import { defineConfig } from 'vitest/config';

/**
 * Two groups, one after the other. Most suites run two at a time (two cores). The deploy suites
 * (a production build, three orchestrator processes on the Firestore emulator) each load a 2-core
 * machine on their own: run beside other suites, they starved them and themselves (a board that
 * took 15 s to connect, a SIGTERMed instance that overran its 10 s), so they run last, one at a time.
 */
export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    globalSetup: ['test/support/global-setup.ts'],
    // The JSON report (outputFile.json) is what .ci/run counts from: one `N passed, N failed` line on
    // record; the same reporter then ends the run with one line naming every suite skipped and why.
    reporters: ['default', './test/support/skip-summary-reporter.ts'],
    outputFile: { json: '.vitest-report.json' },
    projects: [
      {
        extends: true,
        test: {
          name: 'suite',
          include: ['test/**/*.test.ts', 'client/src/**/*.test.{ts,tsx}'],
          exclude: ['node_modules', 'client/dist', 'dist', 'data', 'test/deploy/**'],
          // Two cores: suites that start servers or the emulator must not all start at once.
          maxWorkers: 2,
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          name: 'deploy',
          include: ['test/deploy/**/*.test.ts'],
          maxWorkers: 1,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
