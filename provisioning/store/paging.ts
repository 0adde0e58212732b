import type { CollectionName, Collections, Page } from '../model/index.js';
import type { Query, Reader } from './store.js';

/**
 * Every page a paged read gives, in order: `read` is asked for the first page (cursor null), then
 * for the page after each `nextCursor`, until one comes back without one. The next page is read
 * only when the caller asks for it, so leaving the loop early reads no more.
 */
export async function* pagesOf<T>(read: (cursor: string | null) => Promise<Page<T>>): AsyncGenerator<T[]> {
  let cursor: string | null = null;
  do {
    const page: Page<T> = await read(cursor);
    yield page.items;
    cursor = page.nextCursor;
  } while (cursor);
}

/** Each document a store query matches, across all its pages (`query.limit` is the page size). */
export async function* eachDocument<C extends CollectionName>(store: Pick<Reader, 'query'>, collection: C, query: Omit<Query<C>, 'cursor'> = {}): AsyncGenerator<Collections[C]> {
  for await (const items of pagesOf((cursor) => store.query(collection, { ...query, cursor }))) yield* items;
}

/** All documents a store query matches, read page by page (`query.limit` is the page size). */
export async function allDocuments<C extends CollectionName>(store: Pick<Reader, 'query'>, collection: C, query: Omit<Query<C>, 'cursor'> = {}): Promise<Collections[C][]> {
  const out: Collections[C][] = [];
  for await (const items of pagesOf((cursor) => store.query(collection, { ...query, cursor }))) out.push(...items);
  return out;
}
