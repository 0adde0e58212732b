import { BoardCollection, type BoardDocs, type Collections } from '../../provisioning/model/index.js';
import { publicHandset } from '../../provisioning/handsets/public-handset.js';
import { publicCarrier } from '../../provisioning/carriers/registry.js';

export { BOARD_COLLECTIONS, type BoardCollection } from '../../provisioning/model/index.js';

export function isBoardCollection(c: string): c is BoardCollection {
  return BoardCollection.safeParse(c).success;
}

export interface ViewContext {
  now: Date;
  etocGraceDays: number;
}

/** The form a document takes on the board: secrets stripped the same way the HTTP API strips them. */
export function boardView<C extends BoardCollection>(collection: C, doc: Collections[C], ctx: ViewContext): BoardDocs[C] {
  switch (collection) {
    case 'carriers':
      return publicCarrier(doc as Collections['carriers'], ctx.now, ctx.etocGraceDays) as BoardDocs[C];
    case 'handsets':
      return publicHandset(doc as Collections['handsets']) as BoardDocs[C];
    default:
      return doc as unknown as BoardDocs[C];
  }
}
