import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { SqliteStore } from '../../provisioning/store/sqlite/sqlite-store.js';

/** A real SQLite store on a file of its own, in a fresh temporary directory. */
export function openTempSqliteStore(): SqliteStore {
  return new SqliteStore(join(mkdtempSync(join(tmpdir(), 'sl-store-')), 'orch.db'));
}

/** Closes a store `openTempSqliteStore` made (waiting for its writes) and removes its directory. */
export async function removeTempSqliteStore(store: SqliteStore): Promise<void> {
  await store.close();
  rmSync(dirname(store.file), { recursive: true, force: true });
}
