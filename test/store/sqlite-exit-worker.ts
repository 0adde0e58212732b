// Child process of sqlite-exit.test.ts: uses a SQLite store the way a test or a crashing caller does, then exits.
import Database from 'better-sqlite3';
import { SCHEMA_VERSION } from '../../provisioning/store/sqlite/migrations.js';
import { SqliteStore } from '../../provisioning/store/sqlite/sqlite-store.js';

const [file, mode] = process.argv.slice(2);
if (!file || !mode) throw new Error('usage: sqlite-exit-worker.ts <file> <left-open|closed|newer-schema>');
const at = '2025-06-01T00:00:00.000Z';

const store = new SqliteStore(file);
// Every statement shape the store prepares: put (upsert), get, query, count, delete.
await store.put('alerts', { id: 'alr_1', version: 0, severity: 'info', kind: 'exit_test', text: null, detail: null, message: 'exit test', carrierId: null, shelterId: null, acknowledged: false, createdAt: at, resolvedAt: null });
await store.get('alerts', 'alr_1');
await store.query('alerts', { where: { kind: 'exit_test' }, limit: 10 });
await store.count('alerts', { kind: 'exit_test' });
await store.delete('alerts', 'alr_1');
if (mode === 'closed') await store.close();
if (mode === 'newer-schema') {
  await store.close();
  const raw = new Database(file);
  raw.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
  raw.close();
  try {
    new SqliteStore(file);
  } catch {
    // Expected: a file from a newer build is refused.
  }
}
process.stdout.write('done\n');
