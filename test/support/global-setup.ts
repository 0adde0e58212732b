import { writeFileSync } from 'node:fs';
import type { TestProject } from 'vitest/node';
import { SKIP_LINE, acquireEmulator, warmUpFirestore } from './firestore-emulator.js';
import { skipRecordsPath } from './skip-summary-reporter.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** `127.0.0.1:PORT` of the emulator started for this run, or null when it is not installed. */
    firestoreEmulatorHost: string | null;
    /** Where suites record what they skip and why (support/requirements.ts). */
    skipRecordsFile: string;
  }
}

type Shared = { host: string | null; skipRecordsFile: string; stop: () => Promise<void>; users: number };
const SHARED = Symbol.for('shelter-line.test-services');
const registry = globalThis as typeof globalThis & { [SHARED]?: Promise<Shared> };

/** Starts the emulator (or reuses the developer's), once for the whole run. */
async function startServices(root: string): Promise<Shared> {
  // A fresh record of this run's skips, read by the skip-summary reporter at the end.
  const skipRecordsFile = skipRecordsPath(root);
  writeFileSync(skipRecordsFile, '');
  const { host, release } = await acquireEmulator();
  if (host) await warmUpFirestore(host);
  else console.warn(`\n*** ${SKIP_LINE} ***\n`);
  return { host, skipRecordsFile, stop: release, users: 0 };
}

/**
 * Starts shared test services once per run: the Firestore emulator, where installed. Each project
 * of vitest.config.ts calls this; the first starts the services, the last to finish stops them.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const shared = await (registry[SHARED] ??= startServices(project.config.root));
  shared.users++;
  project.provide('firestoreEmulatorHost', shared.host);
  project.provide('skipRecordsFile', shared.skipRecordsFile);
  return async () => {
    if (--shared.users > 0) return;
    delete registry[SHARED];
    await shared.stop();
  };
}
