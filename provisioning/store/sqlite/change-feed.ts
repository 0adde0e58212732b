import type { CollectionName } from '../../model/index.js';
import type { Change, ChangeListener } from '../store.js';
import type { Write } from './apply-writes.js';

/** The store's subscribers, told each write once its commit landed. */
export class ChangeFeed {
  private readonly listeners = new Set<{ collections: Set<string>; listener: ChangeListener }>();

  subscribe(collections: readonly CollectionName[], listener: ChangeListener): () => void {
    const entry = { collections: new Set<string>(collections), listener };
    this.listeners.add(entry);
    return () => this.listeners.delete(entry);
  }

  clear(): void {
    this.listeners.clear();
  }

  emit(writes: Write[]): void {
    if (this.listeners.size === 0) return;
    for (const w of writes) {
      // A document no listener asked for is not parsed back (a mass opening writes tens of thousands).
      const wanted = [...this.listeners].filter(({ collections }) => collections.size === 0 || collections.has(w.collection));
      if (wanted.length === 0) continue;
      const change = (w.data === null ? { collection: w.collection, type: 'delete', id: w.id } : lazyPut(w.collection, w.id, w.data)) as Change;
      for (const { listener } of wanted) {
        try {
          listener(change);
        } catch {
          // A failing listener must not undo a commit or starve the others.
        }
      }
    }
  }
}

/** A put as listeners see it: its document is parsed back on first look only (a feed counting writes never parses one). */
function lazyPut(collection: CollectionName, id: string, data: string) {
  let doc: unknown;
  return {
    collection,
    type: 'put' as const,
    id,
    get doc() {
      return (doc ??= JSON.parse(data));
    },
  };
}
