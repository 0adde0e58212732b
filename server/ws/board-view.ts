import type { CollectionName, Collections } from '../../provisioning/model/index.js';
import { publicHandset } from '../../provisioning/handsets/public-handset.js';
import { publicCarrier } from '../../provisioning/carriers/registry.js';

/** Collections the board sees; tokens, sessions, idempotency, audit, work orders and suspension reports never leave the server. */
export const BOARD_COLLECTIONS = ['shelters', 'numbers', 'carriers', 'jobs', 'alerts', 'handsets', 'calls', 'voiceMessages'] as const satisfies readonly CollectionName[];
export type BoardCollection = (typeof BOARD_COLLECTIONS)[number];

export function isBoardCollection(c: string): c is BoardCollection {
  return (BOARD_COLLECTIONS as readonly string[]).includes(c);
}

export interface ViewContext {
  now: Date;
  etocGraceDays: number;
}

/** The form a document takes on the board: secrets stripped the same way the HTTP API strips them. */
export function boardView<C extends BoardCollection>(collection: C, doc: Collections[C], ctx: ViewContext): unknown {
  switch (collection) {
    case 'carriers':
      return publicCarrier(doc as Collections['carriers'], ctx.now, ctx.etocGraceDays);
    case 'handsets':
      return publicHandset(doc as Collections['handsets']);
    default:
      return doc;
  }
}
