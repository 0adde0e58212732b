import { createContext, useContext, useSyncExternalStore } from 'react';
import { applyChange, applySnapshot, BOARD_COLLECTIONS, emptyCollections, type Collections } from './board-state.js';
import type { BoardCollection, Problem, Role } from '../../../provisioning/model/index.js';
import { connectBoard, type SocketStatus } from './ws.js';

/** One render's view of the board: `rev` changes whenever anything in `data` did. */
export interface BoardView {
  rev: number;
  /**
   * The rev at which each collection last changed: a view over 22,413 shelters recomputes when
   * shelters change, not on every job step or call.
   */
  revs: Readonly<Record<BoardCollection, number>>;
  /** The rev at which anything about one shelter last changed (itself, its numbers, handsets, jobs, calls). */
  shelterRev(id: string): number;
  status: SocketStatus;
  role: Role | null;
  data: Collections;
  /** When the live feed stopped (ms since epoch): the data shown is as of then. Null while live or before the first snapshot. */
  staleSince: number | null;
  /** The server's clock minus this browser's, from the last snapshot (a drill runs on its own calendar): ages are server time. */
  clockOffsetMs: number;
}

export interface BoardStore {
  subscribe(listener: () => void): () => void;
  getSnapshot(): BoardView;
  /** `onSignedOut`: the server ended the feed because the token was revoked or the session ended. */
  start(onClosed?: () => void, onSignedOut?: (why: Problem) => void): () => void;
}

/** Live state from the hub; deltas are applied at once and rendered in batches of one frame. */
export function createBoardStore(): BoardStore {
  const revs = Object.fromEntries(BOARD_COLLECTIONS.map((c) => [c, 0])) as Record<BoardCollection, number>;
  const shelterRevs = new Map<string, number>();
  // A snapshot changes every shelter at once: ids it does not name fall back to its rev.
  let snapshotRev = 0;
  const shelterRev = (id: string) => Math.max(snapshotRev, shelterRevs.get(id) ?? 0);
  let view: BoardView = { rev: 0, revs: { ...revs }, shelterRev, status: 'connecting', role: null, data: emptyCollections(), staleSince: null, clockOffsetMs: 0 };
  const listeners = new Set<() => void>();
  let scheduled = false;
  const publish = (patch: Partial<BoardView> = {}) => {
    view = { ...view, ...patch, revs: { ...revs }, rev: view.rev + 1 };
    for (const l of listeners) l();
  };
  const schedule = () => {
    if (scheduled) return;
    scheduled = true;
    setTimeout(() => {
      scheduled = false;
      publish();
    }, 16);
  };
  return {
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    getSnapshot: () => view,
    start(onClosed, onSignedOut) {
      return connectBoard({
        ...(onSignedOut ? { onSignedOut } : {}),
        onStatus: (status) =>
          publish({ status, staleSince: status === 'live' ? null : (view.staleSince ?? (view.status === 'live' ? Date.now() : null)) }),
        onClosed,
        onMessage: (msg) => {
          const next = view.rev + 1;
          if (msg.type === 'snapshot') {
            for (const c of BOARD_COLLECTIONS) revs[c] = next;
            snapshotRev = next;
            shelterRevs.clear();
            publish({ data: applySnapshot(msg), role: msg.role, clockOffsetMs: Date.parse(msg.at) - Date.now() });
          } else {
            revs[msg.collection] = next;
            for (const id of applyChange(view.data, msg)) shelterRevs.set(id, next);
            schedule();
          }
        },
      });
    },
  };
}

export const BoardStoreContext = createContext<BoardStore | null>(null);

/** Actions change the server: only while live, so nobody acts on stale data or into a dead connection. */
export const actionsEnabled = (view: BoardView): boolean => view.status === 'live';

const noStore = { subscribe: () => () => undefined, getSnapshot: () => null };

/** Whether actions may run now; true where there is no live board at all (the authority's form). */
export function useActionsEnabled(): boolean {
  const store = useContext(BoardStoreContext) ?? noStore;
  const view = useSyncExternalStore(store.subscribe, store.getSnapshot);
  return view === null || actionsEnabled(view);
}

export function useBoard(): BoardView {
  const store = useContext(BoardStoreContext);
  if (!store) throw new Error('useBoard needs a BoardStoreContext provider');
  return useSyncExternalStore(store.subscribe, store.getSnapshot);
}
