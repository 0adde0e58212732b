import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'client/src/**/*.test.{ts,tsx}'],
    exclude: ['node_modules', 'client/dist', 'dist', 'data'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Two cores: suites that start servers or the emulator must not all start at once.
    maxWorkers: 2,
    globalSetup: ['test/support/global-setup.ts'],
    // The JSON report is what .ci/run counts from: one `N passed, N failed` line on record.
    reporters: ['default', 'json'],
    outputFile: { json: '.vitest-report.json' },
  },
});
