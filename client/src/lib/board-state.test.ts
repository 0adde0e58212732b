import { describe, expect, it } from 'vitest';
import { applyChange, applySnapshot, sequenceAction } from './board-state.js';
import { backoffMs } from './ws.js';
import { translate } from './i18n.js';

const none = { fields: ['id'], rows: [] };
const snapshot = (seq: number) =>
  ({ type: 'snapshot', seq, at: '', role: 'viewer', label: null, shelters: { fields: ['id', 'name', 'kana'], rows: [['a', 'A', null]] }, numbers: none, carriers: none, jobs: none, alerts: none, handsets: none, calls: none, voiceMessages: none }) as never;

describe('board state from the hub', () => {
  it('applies the next numbered delta and asks for a resync after a gap', () => {
    expect(sequenceAction(null, { type: 'change', seq: 5 })).toBe('ignore');
    expect(sequenceAction(4, { type: 'change', seq: 5 })).toBe('apply');
    expect(sequenceAction(4, { type: 'change', seq: 7 })).toBe('resync');
    expect(sequenceAction(4, { type: 'change', seq: 3 })).toBe('ignore');
    expect(sequenceAction(4, { type: 'snapshot', seq: 9 })).toBe('apply');
  });

  it('replaces everything on a snapshot (each table row a document again), then puts and deletes by id', () => {
    const state = applySnapshot(snapshot(3));
    expect([...state.shelters.keys()]).toEqual(['a']);
    expect(state.shelters.get('a')).toEqual({ id: 'a', name: 'A', kana: null });
    applyChange(state, { type: 'change', seq: 4, collection: 'shelters', op: 'put', id: 'b', doc: { id: 'b' } as never });
    applyChange(state, { type: 'change', seq: 5, collection: 'shelters', op: 'delete', id: 'a', doc: null });
    expect([...state.shelters.keys()]).toEqual(['b']);
  });

  it('reconnects with full-jitter backoff capped at 2 s, so a server back is reached within 3 s', () => {
    expect(backoffMs(0, () => 1)).toBe(250);
    expect(backoffMs(2, () => 1)).toBe(1000);
    expect(backoffMs(20, () => 1)).toBe(2000);
    expect(backoffMs(5, () => 0)).toBe(0);
    expect(backoffMs(3, () => 0.5, { baseMs: 100, capMs: 300 })).toBe(150);
  });

  it('speaks Japanese first and fills in parameters', () => {
    expect(translate('ja', 'openSelected', { n: 3 })).toBe('選択した 3 件を開設');
    expect(translate('en', 'openSelected', { n: 3 })).toBe('Open the 3 selected');
  });
});
