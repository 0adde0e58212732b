import type { BoardCollection } from '../model/index.js';
import { withinArea, type Scoped } from './area-scope.js';

/** What one board is sent for one change. */
export type AreaDelta = { op: 'put'; doc: unknown } | { op: 'delete' };

/**
 * The live feed of the boards limited to one area: their snapshot cut to the area, then each
 * change as a put (in the area), a delete (they held the document and no longer may), or nothing
 * at all (never held, not the area's: not even the id is sent). Whatever shape the snapshot takes,
 * every document an area-limited board receives passes through here.
 */
export class AreaFeed {
  /** Ids of what the boards on this feed hold, per collection: the area's shelters decide what else they may hold. */
  private readonly held = new Map<BoardCollection, Set<string>>();

  constructor(private readonly who: Scoped) {}

  private holding(collection: BoardCollection): Set<string> {
    let ids = this.held.get(collection);
    if (!ids) this.held.set(collection, (ids = new Set()));
    return ids;
  }

  private readonly shelterInArea = (id: string): boolean => this.holding('shelters').has(id);

  /**
   * Cuts a snapshot (each list already in the role's projection) to the area, shelters first
   * since every other document is placed by its shelter, and holds what it keeps. What it held
   * stays held: boards live on the same feed hold it too, until a change takes it out of the area.
   */
  snapshot<S extends Partial<Record<BoardCollection, unknown[]>>>(lists: S): S {
    const out: Partial<Record<BoardCollection, unknown[]>> = {};
    const order = ['shelters', ...(Object.keys(lists) as BoardCollection[]).filter((c) => c !== 'shelters')] as BoardCollection[];
    for (const collection of order) {
      const docs = lists[collection];
      if (!docs) continue;
      out[collection] = docs.flatMap((doc) => {
        const seen = withinArea(this.who, collection, doc as { id: string }, this.shelterInArea);
        if (!seen) return [];
        this.holding(collection).add((doc as { id: string }).id);
        return [seen];
      });
    }
    return out as S;
  }

  /** What to send for a change, given the role's projection of the document (null: deleted, or not the role's to see). */
  change(collection: BoardCollection, id: string, projected: object | null): AreaDelta | null {
    const seen = projected === null ? null : withinArea(this.who, collection, projected, this.shelterInArea);
    const ids = this.holding(collection);
    if (seen) {
      ids.add(id);
      return { op: 'put', doc: seen };
    }
    return ids.delete(id) ? { op: 'delete' } : null;
  }
}
