import type Database from 'better-sqlite3';
import { COLLECTION_NAMES, COLLECTION_SCHEMAS, type CollectionName } from '../../model/index.js';
import { collectionIs, fieldExpr } from './sql-expressions.js';
import { prepared } from './statements.js';

/** Fields the adapters filter on often enough to deserve an index, in the collections that have them. */
const INDEXED_FIELDS = [
  'state', 'carrierId', 'shelterId', 'status', 'desiredStatus', 'municipalityCode', 'hash', 'deviceTokenHash', 'e164', 'shortCode', 'tokenId',
  'areaCode', 'kind', 'previousShelterId', 'sipUsername', 'mac', 'dedupeKey',
  // An alert's episode: every shelter's line-health sync asks whether its episodes are open (a scan
  // of every alert without it, quadratic over a mass opening).
  'episode',
];

/**
 * An equality filter followed by the sort field, as Firestore's composite indexes, so the job
 * queue and work-order polls read in index order instead of sorting.
 */
const COMPOSITE_INDEXES: string[][] = [
  ['status', 'priority'],
  ['status', 'createdAt'],
  // Running jobs, least recently renewed first: the leases a dead process left run out first.
  ['status', 'updatedAt'],
  ['carrierId', 'dedupeKey', 'createdAt'],
  ['carrierId', 'status', 'createdAt'],
  ['shelterId', 'startedAt'],
  // Reports: calls on a reported number, reports about one number, the triage queue.
  ['callerId', 'startedAt'],
  ['e164', 'calledAt'],
  ['status', 'receivedAt'],
];

/**
 * Collections whose writes are hot enough to index by hand: every index costs each write two B-tree
 * updates and two JSON reads. Numbers (a mass opening rewrites tens of thousands): by shelter, by
 * carrier, by previous shelter and state (reclaim), by state (in id order, for paging), and by state
 * and area code (a pool read in one area); no `kind` (the 050 pool read walks `state`: a third of
 * numbers are 050) and no `e164` (a number's id is its e164).
 */
const HAND_INDEXED: Partial<Record<CollectionName, { equal: string[][]; sorted?: string[][]; sparse?: string[] }>> = {
  // `sparse`: a number with no shelter (available) or no previous one (most) has no entry there, so
  // an allocation rewriting tens of thousands of available numbers skips those index updates. The
  // reclaim read names both its fields, so the planner takes the pair, not all aging numbers by state.
  numbers: { equal: [['shelterId'], ['carrierId'], ['previousShelterId', 'state'], ['state'], ['state', 'areaCode']], sparse: ['shelterId', 'previousShelterId'] },
  // The log's filters: by shelter, by person, by action (which also narrows the grouped allocation rows to look into).
  audit: { equal: [['shelterId'], ['actorId'], ['action']] },
  // A mass opening saves each job several times: the queue (by priority), lease take-over (by
  // renewal), the jobs list (newest first, or a shelter's), and no more (not by carrier or kind).
  jobs: { equal: [['status'], ['shelterId']], sorted: [['status', 'priority'], ['status', 'updatedAt'], ['status', 'createdAt']] },
};

type IndexDef = { name: string; sql: string; collection: CollectionName; equal: string[]; sort: string | null };

/**
 * The indexes the documents table should have: each one partial to one collection (`WHERE collection
 * = '…'`), over fields that collection's schema declares. A write then maintains only its own
 * collection's few indexes (a number: 5; a job: 5; an audit row: 3), not every index of every
 * collection (migrations 2–4 indexed all 22 for every row: a write cost ~0.3 ms). Derived, not
 * migrated: they follow the model as it grows, and `syncIndexes` runs at every open.
 *
 * An equality index (one field, or a hand-indexed set) is
 * `(fields…)`, and the table's key `(collection, id)` it carries gives its matches in id order. A
 * sort index (COMPOSITE_INDEXES: equality fields, then the field a query orders by) is led by
 * `collection`: only then does SQLite read it in (sort field, id) order; `(status, priority)` alone
 * left every claim sorting all queued jobs in a temporary B-tree. Queries that order by a sort
 * index's field name it (`INDEXED BY`): without statistics the planner preferred the one-field index
 * and the sort.
 */
const indexes = (): IndexDef[] => (indexList ??= COLLECTION_NAMES.flatMap((c) => {
  const fields = new Set(Object.keys(COLLECTION_SCHEMAS[c].shape));
  const has = (set: string[]) => set.every((f) => fields.has(f));
  const hand = HAND_INDEXED[c];
  const equality = (hand ? hand.equal : INDEXED_FIELDS.map((f) => [f])).filter(has);
  const sorted = (hand ? (hand.sorted ?? []) : COMPOSITE_INDEXES).filter(has);
  const where = collectionIs(c);
  return [
    ...equality.map((set): IndexDef => {
      const name = `doc_${c}_${set.join('_')}`;
      // A sparse index leaves out documents whose first field is null; an equality on it implies not null, so queries still use it.
      const sparse = hand?.sparse?.includes(set[0]!) ? ` AND ${fieldExpr(set[0]!)} IS NOT NULL` : '';
      return { name, collection: c, equal: set, sort: null, sql: `CREATE INDEX ${name} ON documents (${set.map(fieldExpr).join(', ')}) WHERE ${where}${sparse}` };
    }),
    ...sorted.map((set): IndexDef => {
      const name = `doc_${c}_${set.join('_')}_sorted`;
      return { name, collection: c, equal: set.slice(0, -1), sort: set.at(-1)!, sql: `CREATE INDEX ${name} ON documents (collection, ${set.map(fieldExpr).join(', ')}) WHERE ${where}` };
    }),
  ];
}));
let indexList: IndexDef[] | undefined;

function wantedIndexes(): Map<string, string> {
  return new Map(indexes().map((i) => [i.name, i.sql]));
}

/**
 * The sort index made for a query ordering by `sort` with exactly these equality filters, if any.
 * Only an exact match is forced: a sort index over fewer filters could walk a whole status (every
 * succeeded job) to find one shelter's, where the planner's own pick sorts a few.
 */
export function sortIndexFor(collection: CollectionName, sort: string, equal: ReadonlySet<string>): string | null {
  const match = indexes().find((i) => i.collection === collection && i.sort === sort && i.equal.length === equal.size && i.equal.every((f) => equal.has(f)));
  return match?.name ?? null;
}

/** Creates the wanted indexes that are missing and drops the ones no longer wanted, in one transaction. */
export function syncIndexes(db: Database.Database): void {
  const wanted = wantedIndexes();
  const have = new Map((prepared(db, "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'documents' AND sql IS NOT NULL").all() as Array<{ name: string; sql: string }>).map((r) => [r.name, r.sql]));
  // An index whose definition changed is made anew under its name.
  const drop = [...have].filter(([name, sql]) => wanted.get(name) !== sql).map(([name]) => name);
  const create = [...wanted].filter(([name, sql]) => have.get(name) !== sql).map(([, sql]) => sql);
  if (drop.length === 0 && create.length === 0) return;
  try {
    db.exec(`BEGIN IMMEDIATE; ${drop.map((n) => `DROP INDEX "${n}";`).join(' ')} ${create.map((sql) => `${sql};`).join(' ')} COMMIT;`);
  } catch (err) {
    if (db.inTransaction) db.exec('ROLLBACK');
    throw err;
  }
}
