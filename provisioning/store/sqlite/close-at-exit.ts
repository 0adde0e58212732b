/**
 * Stores not closed yet. Whatever is still open when the process exits is closed then, synchronously:
 * a prepared statement destroyed after Node has torn its environment down aborts the process (Node 24).
 */
const openStores = new Set<{ closeNow(): void }>();
let exitHookInstalled = false;

export function trackUntilClosed(store: { closeNow(): void }): void {
  openStores.add(store);
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const s of [...openStores]) s.closeNow();
  });
}

export function untrack(store: { closeNow(): void }): void {
  openStores.delete(store);
}
