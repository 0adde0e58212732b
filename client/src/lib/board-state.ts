import type { BoardCollection, BoardDocs, BoardTable, ServerMessage } from '../../../provisioning/model/index.js';

/** The model's board collections as a value the bundle can hold (types only cross from the model); the check below keeps it whole. */
export const BOARD_COLLECTIONS = ['shelters', 'numbers', 'carriers', 'jobs', 'alerts', 'handsets', 'calls', 'voiceMessages'] as const satisfies readonly BoardCollection[];
type Missing = Exclude<BoardCollection, (typeof BOARD_COLLECTIONS)[number]>;
const _complete: Missing extends never ? true : Missing = true;

export type Collections = { [C in BoardCollection]: Map<string, BoardDocs[C]> };

export function emptyCollections(): Collections {
  return Object.fromEntries(BOARD_COLLECTIONS.map((c) => [c, new Map()])) as unknown as Collections;
}

/**
 * Replaces everything with a snapshot, whose collections arrive as tables (field names once, a row
 * per document); each row becomes the document again. A field a document lacks arrives as null.
 */
export function applySnapshot(msg: Extract<ServerMessage, { type: 'snapshot' }>): Collections {
  const next = emptyCollections();
  for (const c of BOARD_COLLECTIONS) {
    const map = next[c] as Map<string, Record<string, unknown>>;
    const { fields, rows } = msg[c] as unknown as BoardTable;
    for (const row of rows) {
      const doc: Record<string, unknown> = {};
      for (let i = 0; i < fields.length; i++) doc[fields[i]!] = row[i];
      map.set(doc.id as string, doc);
    }
  }
  return next;
}

/**
 * Applies one delta in place and says which shelters it concerns (a number moving from one to
 * another concerns both): a shelter's page reads what the board does not hold only when they change.
 */
export function applyChange(state: Collections, msg: Extract<ServerMessage, { type: 'change' }>): string[] {
  const map = state[msg.collection] as Map<string, { shelterId?: string | null }> | undefined;
  if (!map) return [];
  const before = map.get(msg.id);
  if (msg.op === 'delete') map.delete(msg.id);
  else map.set(msg.id, msg.doc as { shelterId?: string | null });
  if (msg.collection === 'shelters') return [msg.id];
  const after = msg.op === 'delete' ? undefined : (msg.doc as { shelterId?: string | null } | null);
  return [...new Set([before?.shelterId, after?.shelterId].filter((s): s is string => !!s))];
}

/** What to do with a numbered message: apply it, or ask for a fresh snapshot because one was missed. */
export function sequenceAction(lastSeq: number | null, msg: { type: string; seq?: number }): 'apply' | 'resync' | 'ignore' {
  if (msg.type === 'snapshot') return 'apply';
  if (msg.type !== 'change') return 'ignore';
  if (lastSeq === null) return 'ignore'; // waiting for a snapshot
  if (msg.seq === lastSeq + 1) return 'apply';
  if (msg.seq !== undefined && msg.seq <= lastSeq) return 'ignore';
  return 'resync';
}
