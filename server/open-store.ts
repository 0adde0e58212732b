import { join } from 'node:path';
import type { Store } from '../provisioning/store/store.js';
import { SqliteStore } from '../provisioning/store/sqlite/sqlite-store.js';
import type { Config } from './config.js';

/** The embedded SQLite file under the data dir, or Firestore for a national deployment. */
export async function openStore(config: Config): Promise<Store> {
  if (config.ORCH_STORE === 'firestore') {
    const { FirestoreStore } = await import('../provisioning/store/firestore/firestore-store.js');
    return new FirestoreStore({ projectId: config.FIRESTORE_PROJECT_ID });
  }
  return new SqliteStore(join(config.dataDir, 'shelter-line.sqlite'));
}
