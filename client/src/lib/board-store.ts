import { createContext, useContext, useSyncExternalStore } from 'react';
import { applyChange, applySnapshot, emptyCollections, type Collections } from './board-state.js';
import type { Role } from '../../../provisioning/model/index.js';
import { connectBoard, type SocketStatus } from './ws.js';

/** One render's view of the board: `rev` changes whenever anything in `data` did. */
export interface BoardView {
  rev: number;
  status: SocketStatus;
  role: Role | null;
  data: Collections;
}

export interface BoardStore {
  subscribe(listener: () => void): () => void;
  getSnapshot(): BoardView;
  start(onClosed?: () => void): () => void;
}

/** Live state from the hub; deltas are applied at once and rendered in batches of one frame. */
export function createBoardStore(): BoardStore {
  let view: BoardView = { rev: 0, status: 'connecting', role: null, data: emptyCollections() };
  const listeners = new Set<() => void>();
  let scheduled = false;
  const publish = (patch: Partial<BoardView> = {}) => {
    view = { ...view, ...patch, rev: view.rev + 1 };
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
    start(onClosed) {
      return connectBoard({
        onStatus: (status) => publish({ status }),
        onClosed,
        onMessage: (msg) => {
          if (msg.type === 'snapshot') publish({ data: applySnapshot(msg), role: msg.role });
          else {
            applyChange(view.data, msg);
            schedule();
          }
        },
      });
    },
  };
}

export const BoardStoreContext = createContext<BoardStore | null>(null);

export function useBoard(): BoardView {
  const store = useContext(BoardStoreContext);
  if (!store) throw new Error('useBoard needs a BoardStoreContext provider');
  return useSyncExternalStore(store.subscribe, store.getSnapshot);
}
