import type { BoardCollection, BoardDocs, ServerMessage } from '../../../provisioning/model/index.js';

/** The model's board collections as a value the bundle can hold (types only cross from the model); the check below keeps it whole. */
export const BOARD_COLLECTIONS = ['shelters', 'numbers', 'carriers', 'jobs', 'alerts', 'handsets', 'calls', 'voiceMessages'] as const satisfies readonly BoardCollection[];
type Missing = Exclude<BoardCollection, (typeof BOARD_COLLECTIONS)[number]>;
const _complete: Missing extends never ? true : Missing = true;

export type Collections = { [C in BoardCollection]: Map<string, BoardDocs[C]> };

export function emptyCollections(): Collections {
  return Object.fromEntries(BOARD_COLLECTIONS.map((c) => [c, new Map()])) as unknown as Collections;
}

/** Replaces everything with a snapshot. */
export function applySnapshot(msg: Extract<ServerMessage, { type: 'snapshot' }>): Collections {
  const next = emptyCollections();
  for (const c of BOARD_COLLECTIONS) {
    const map = next[c] as Map<string, { id: string }>;
    for (const doc of msg[c] as { id: string }[]) map.set(doc.id, doc);
  }
  return next;
}

/** Applies one delta in place. */
export function applyChange(state: Collections, msg: Extract<ServerMessage, { type: 'change' }>): void {
  const map = state[msg.collection] as Map<string, unknown> | undefined;
  if (!map) return;
  if (msg.op === 'delete') map.delete(msg.id);
  else map.set(msg.id, msg.doc);
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
