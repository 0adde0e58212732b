import { boardFields, type BoardDocs, type BoardSnapshot, type BoardTable, type Collections } from '../../provisioning/model/index.js';
import type { Principal } from '../../provisioning/access/tokens.js';
import { BOARD_COLLECTIONS, isBoardCollection, projectForRole, visibleTo, type BoardCollection } from '../../provisioning/access/projections.js';
import { lendingEligibility } from '../../provisioning/compliance/certification.js';

export { BOARD_COLLECTIONS, isBoardCollection, type BoardCollection };

export interface ViewContext {
  now: Date;
  etocGraceDays: number;
}

/** Who a board is, as far as what it is sent depends on it. */
export type BoardViewer = Pick<Principal, 'role' | 'scope'>;

/**
 * Boards whose viewers share a key are sent the same documents, so a change is projected and
 * encoded once per key, and a snapshot read once per key serves them all: the role, and the area
 * it is limited to (the hub cuts an area view's documents with its AreaFeed).
 */
export function boardViewKey(viewer: BoardViewer): string {
  return viewer.scope ? `${viewer.role} ${viewer.scope.prefectures.join(',')} ${viewer.scope.municipalities.join(',')}` : viewer.role;
}

/** Whether a board is sent anything of a collection (a viewer never sees carriers, handsets or calls): not even read for it. */
export function seesCollection(viewer: BoardViewer, collection: BoardCollection): boolean {
  return visibleTo(viewer.role, collection);
}

/** What a board does with one document: never sees its collection, drops it (a number leaving service), or shows this. */
export type BoardViewOf<C extends BoardCollection> = { kind: 'hidden' } | { kind: 'delete' } | { kind: 'put'; doc: BoardDocs[C] };

/** Collections whose board form keeps only some of the document's fields (board-feed.ts says which and why). */
const NARROWED: ReadonlySet<BoardCollection> = new Set(['shelters', 'numbers', 'handsets']);
const pick = (doc: Record<string, unknown>, keys: string[]) => {
  const out: Record<string, unknown> = {};
  for (const k of keys) if (doc[k] !== undefined) out[k] = doc[k];
  return out;
};

/** A projected document in its board form: what no view shows stays on REST (board-feed.ts says what and why). */
function boardForm<C extends BoardCollection>(collection: C, doc: unknown): BoardDocs[C] {
  if (!NARROWED.has(collection)) return doc as BoardDocs[C];
  const out = pick(doc as Record<string, unknown>, boardFields(collection));
  if (collection === 'shelters' && out.service) {
    const { computedAt: _at, lines: _lines, ...service } = out.service as Record<string, unknown>;
    out.service = service;
  }
  return out as BoardDocs[C];
}

/**
 * The one place that decides what a board is sent of a document, for its snapshot and its deltas
 * alike: the viewer's REST projection (projections.ts), in the board's form.
 */
export function boardView<C extends BoardCollection>(viewer: BoardViewer, collection: C, doc: Collections[C], ctx: ViewContext): BoardViewOf<C> {
  if (!seesCollection(viewer, collection)) return { kind: 'hidden' };
  const projected = projectForRole(viewer.role, collection, doc, { carrierEligibility: (c) => lendingEligibility(c, ctx.now, { etocGraceDays: ctx.etocGraceDays }) });
  return projected === null ? { kind: 'delete' } : { kind: 'put', doc: boardForm(collection, projected) };
}

/** A snapshot's collections as tables (board-feed.ts BoardTables): each field name once, then the documents' values in that order. */
export function boardTables(snapshot: BoardSnapshot): Record<BoardCollection, BoardTable> {
  const out = {} as Record<BoardCollection, BoardTable>;
  for (const collection of BOARD_COLLECTIONS) {
    const fields = boardFields(collection);
    const docs = snapshot[collection] as unknown as Record<string, unknown>[];
    out[collection] = { fields, rows: docs.map((d) => fields.map((f) => d[f] ?? null)) };
  }
  return out;
}
