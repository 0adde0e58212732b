import { useMemo } from 'react';
import type { Message } from '../../../../provisioning/model/index.js';
import { useBoard } from '../board-store.js';
import { nationalNumber } from '../format.js';
import { useI18n } from '../i18n.js';
import { messageParts, type Names, type Part } from '../messages.js';

/** The board's names for ids: what the live data calls a carrier or a shelter; a number as people write it. */
export function useNames(): Names {
  const board = useBoard();
  const { carriers, shelters } = board.data;
  return useMemo(
    () => ({
      carrier: (id: string) => carriers.get(id)?.name ?? id,
      shelter: (id: string) => shelters.get(id)?.name ?? id,
      number: nationalNumber,
    }),
    [board.revs.carriers, board.revs.shelters],
  );
}

/** Worded parts: a name or a person's own words is marked so nobody (and no translator) rewords it. */
export function Parts({ parts }: { parts: Part[] }) {
  return <>{parts.map((p, i) => (typeof p === 'string' ? p : <span key={i} translate="no">{p.name}</span>))}</>;
}

/** A message the server sent as a code, in the reader's language. */
export function Worded({ message }: { message: Message }) {
  const { lang } = useI18n();
  return <Parts parts={messageParts(message, lang, useNames())} />;
}
