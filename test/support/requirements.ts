import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync } from 'node:fs';
import { expect, inject } from 'vitest';
import { findEmulatorBinary, useEmulator } from './firestore-emulator.js';

/**
 * What some suites need from the machine, and the one place that says whether it is there. A suite
 * that must skip records why (a line in the run's skip file, read by skip-summary-reporter.ts at the
 * end of `npm test`, and by .ci/run, which fails on any skip but the Firestore emulator's).
 */
export type Requirement = 'chromium' | 'kamailio-sipp' | 'firestore-emulator';

export const CHROMIUM_PATH = '/usr/bin/chromium';

const has = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;

/** Why a requirement is missing on this machine, or null when it is there. */
function missing(name: Requirement): string | null {
  switch (name) {
    case 'chromium':
      return existsSync(CHROMIUM_PATH) ? null : `Chromium missing (${CHROMIUM_PATH}; Debian: chromium)`;
    case 'kamailio-sipp':
      return has('kamailio') && has('kamcmd') && has('sipp') ? null : 'Kamailio/SIPp missing (Debian: kamailio kamailio-json-modules kamailio-utils-modules sip-tester)';
    case 'firestore-emulator':
      // The global setup started the emulator for this run when it could.
      return inject('firestoreEmulatorHost') ? null : `Firestore emulator missing (${findEmulatorBinary() ? 'installed but it did not start' : 'google-cloud-cli-firestore-emulator not installed'})`;
  }
}

export interface SkipRecord {
  requirement: Requirement;
  reason: string;
  /** The test file, relative to the repository. */
  file: string;
  /** What was skipped when less than the whole file: e.g. "the Firestore leg". */
  part?: string;
}

/** Writes that this file skips something (the run's skip file comes from the global setup). */
export function recordSkip(name: Requirement, reason: string, part?: string): void {
  const file = (expect.getState().testPath ?? 'unknown').replace(`${process.cwd()}/`, '');
  const record: SkipRecord = { requirement: name, reason, file, ...(part ? { part } : {}) };
  console.warn(`*** SKIPPED ${file}${part ? ` (${part})` : ''}: ${reason} ***`);
  appendFileSync(inject('skipRecordsFile'), `${JSON.stringify(record)}\n`);
}

/**
 * Whether `name` is there; when it is not, the skip is recorded. `suite` goes to `describe(name, suite, fn)`.
 */
export function requirement(name: Requirement, part?: string): { available: boolean; suite: { skip: boolean } } {
  const why = missing(name);
  if (why) recordSkip(name, why, part);
  return { available: why === null, suite: { skip: why !== null } };
}

/** The run's Firestore emulator, with the Firestore client pointed at it; null (the skip recorded) where it does not run. */
export function firestoreEmulator(part?: string): string | null {
  const host = inject('firestoreEmulatorHost');
  if (host) useEmulator(host);
  else requirement('firestore-emulator', part);
  return host;
}
