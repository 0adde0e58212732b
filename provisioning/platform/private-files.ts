import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';

/**
 * The data directory holds the database and the key that opens every sealed secret: only the
 * account the orchestrator runs as may read it. A directory made here is 0700; one the operator
 * made (a mount, a shared /srv) is left as it is, its files are owner-only anyway.
 */
export function ensurePrivateDir(dir: string): void {
  if (!existsSync(dir)) mkdirSync(dir, { recursive: true, mode: 0o700 });
}

/**
 * A file only its owner may read or write (0600), made so before anything is written to it; one
 * left readable by an older version is tightened. SQLite gives its -wal and -shm the database
 * file's mode, so making the database 0600 first is what keeps them 0600 too.
 */
export function ensurePrivateFile(file: string): void {
  closeSync(openSync(file, 'a', 0o600));
  chmodSync(file, 0o600);
}
