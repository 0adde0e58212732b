import type { TestProject } from 'vitest/node';
import { SKIP_LINE, startFirestoreEmulator, useEmulator, warmUpFirestore } from './firestore-emulator.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** `127.0.0.1:PORT` of the emulator started for this run, or null when it is not installed. */
    firestoreEmulatorHost: string | null;
  }
}

/** Starts shared test services once per run: the Firestore emulator, where installed. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // An emulator the developer already runs is reused, which saves its start-up on every run.
  const existing = process.env.FIRESTORE_EMULATOR_HOST;
  const emulator = existing ? null : await startFirestoreEmulator();
  const host = existing ?? emulator?.host ?? null;
  if (host) {
    useEmulator(host);
    await warmUpFirestore(host);
  } else console.warn(`\n*** ${SKIP_LINE} ***\n`);
  project.provide('firestoreEmulatorHost', host);
  return async () => {
    await emulator?.stop();
  };
}
