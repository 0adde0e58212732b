import type { BoardSnapshot, CollectionName, Collections } from '../../provisioning/model/index.js';
import type { Page, Query, Store } from '../../provisioning/store/store.js';
import { boardView, type ViewContext } from './board-view.js';

const PAGE = 1000;

async function all<C extends CollectionName>(store: Store, collection: C, query: Query<C> = {}, max = 200_000): Promise<Collections[C][]> {
  const out: Collections[C][] = [];
  let cursor: string | null = null;
  do {
    const page: Page<Collections[C]> = await store.query(collection, { ...query, limit: Math.min(PAGE, max - out.length), cursor });
    out.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor && out.length < max);
  return out;
}

function uniqueById<T extends { id: string }>(docs: T[]): T[] {
  return [...new Map(docs.map((d) => [d.id, d])).values()];
}

export type { BoardSnapshot };

/** Everything the board starts from: whole network state, plus recent jobs, alerts, calls and messages. */
export async function loadBoardSnapshot(store: Store, ctx: ViewContext): Promise<BoardSnapshot> {
  const [shelters, numbers, carriers, queued, running, recentJobs, alerts, handsets, calls, voiceMessages] = await Promise.all([
    all(store, 'shelters'),
    all(store, 'numbers'),
    all(store, 'carriers'),
    all(store, 'jobs', { where: { status: 'queued' } }, 5000),
    all(store, 'jobs', { where: { status: 'running' } }, 5000),
    all(store, 'jobs', { orderBy: { field: 'updatedAt', direction: 'desc' } }, 200),
    all(store, 'alerts', { orderBy: { field: 'createdAt', direction: 'desc' } }, 500),
    all(store, 'handsets'),
    all(store, 'calls', { orderBy: { field: 'startedAt', direction: 'desc' } }, 500),
    all(store, 'voiceMessages', { orderBy: { field: 'createdAt', direction: 'desc' } }, 500),
  ]);
  return {
    shelters,
    numbers,
    carriers: carriers.map((c) => boardView('carriers', c, ctx)),
    jobs: uniqueById([...queued, ...running, ...recentJobs]),
    alerts,
    handsets: handsets.map((h) => boardView('handsets', h, ctx)),
    calls,
    voiceMessages,
  };
}
