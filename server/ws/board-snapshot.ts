import type { BoardSnapshot, CollectionName, Collections } from '../../provisioning/model/index.js';
import type { Query, Store } from '../../provisioning/store/store.js';
import { pagesOf } from '../../provisioning/store/paging.js';
import { boardView, seesCollection, type BoardCollection, type BoardViewer, type ViewContext } from './board-view.js';

const PAGE = 1000;

async function all<C extends CollectionName>(store: Store, collection: C, query: Query<C> = {}, max = 200_000): Promise<Collections[C][]> {
  const out: Collections[C][] = [];
  for await (const items of pagesOf((cursor) => store.query(collection, { ...query, limit: Math.min(PAGE, max - out.length), cursor }))) {
    out.push(...items);
    if (out.length >= max) break;
  }
  return out;
}

function uniqueById<T extends { id: string }>(docs: T[]): T[] {
  return [...new Map(docs.map((d) => [d.id, d])).values()];
}

export type { BoardSnapshot };

/** Everything a board starts from: network state and recent jobs, alerts, calls and messages, each as boardView() sends it to this viewer. */
export async function loadBoardSnapshot(store: Store, viewer: BoardViewer, ctx: ViewContext): Promise<BoardSnapshot> {
  const load = <C extends BoardCollection>(c: C, read: () => Promise<Collections[C][]>): Promise<unknown[]> =>
    !seesCollection(viewer, c)
      ? Promise.resolve([])
      : read().then((docs) => docs.flatMap((d) => {
          const view = boardView(viewer, c, d, ctx);
          return view.kind === 'put' ? [view.doc] : [];
        }));
  const [shelters, numbers, carriers, queued, running, recentJobs, alerts, handsets, calls, voiceMessages] = await Promise.all([
    load('shelters', () => all(store, 'shelters')),
    load('numbers', () => all(store, 'numbers')),
    load('carriers', () => all(store, 'carriers')),
    load('jobs', () => all(store, 'jobs', { where: { status: 'queued' } }, 5000)),
    load('jobs', () => all(store, 'jobs', { where: { status: 'running' } }, 5000)),
    load('jobs', () => all(store, 'jobs', { orderBy: { field: 'updatedAt', direction: 'desc' } }, 200)),
    load('alerts', () => all(store, 'alerts', { orderBy: { field: 'createdAt', direction: 'desc' } }, 500)),
    load('handsets', () => all(store, 'handsets')),
    load('calls', () => all(store, 'calls', { orderBy: { field: 'startedAt', direction: 'desc' } }, 500)),
    load('voiceMessages', () => all(store, 'voiceMessages', { orderBy: { field: 'createdAt', direction: 'desc' } }, 500)),
  ]);
  return { shelters, numbers, carriers, jobs: uniqueById([...queued, ...running, ...recentJobs] as { id: string }[]), alerts, handsets, calls, voiceMessages } as unknown as BoardSnapshot;
}
