import type Database from 'better-sqlite3';
import { RECORD_SPAN, type GuardedWrite, type RecordLanded } from '../store.js';
import type { Write } from './apply-writes.js';
import { prepared } from './statements.js';

/**
 * Inside the writer's transaction: which groups still hold their `expect`s (against the file and
 * against earlier groups of the same call), and the writes of those that do, with their records.
 */
export function guardedWrites(db: Database.Database, groups: readonly GuardedWrite[], record?: RecordLanded): { writes: Write[]; value: boolean[] } {
  const landed: Write[] = [];
  // What earlier groups of this call wrote, so a later group is checked against it, not the file.
  const written = new Map<string, number>();
  // Every guarded document's version in one statement, not one statement per document.
  const versionsOf = prepared(
    db,
    "SELECT collection AS c, id, json_extract(data, '$.version') AS v FROM documents WHERE (collection, id) IN (SELECT value ->> 0, value ->> 1 FROM json_each(?))",
  );
  const keys = groups.flatMap((g) => g.expect.map((e) => [e.collection, e.id]));
  const rows = versionsOf.all(JSON.stringify(keys)) as Array<{ c: string; id: string; v: number | null }>;
  const stored = new Map(rows.map((r) => [`${r.c}/${r.id}`, r.v ?? 0]));
  const outcome = groups.map((g) => {
    for (const e of g.expect) {
      const key = `${e.collection}/${e.id}`;
      const v = written.has(key) ? written.get(key) : stored.get(key);
      if (e.version === null ? v !== undefined : v !== e.version) return false;
    }
    for (const p of g.puts) {
      written.set(`${p.collection}/${p.doc.id}`, p.doc.version);
      landed.push({ collection: p.collection, id: p.doc.id, data: JSON.stringify(p.doc) });
    }
    return true;
  });
  if (record) {
    const ok = outcome.flatMap((landedHere, i) => (landedHere ? [i] : []));
    for (let i = 0; i < ok.length; i += RECORD_SPAN) {
      const r = record(ok.slice(i, i + RECORD_SPAN));
      landed.push({ collection: r.collection, id: r.doc.id, data: JSON.stringify(r.doc) });
    }
  }
  // Applied in key order, not group order: neighbouring rows share B-tree pages, so a large
  // group dirties (and writes to the WAL) far fewer pages. The last write of a key wins.
  const last = new Map<string, Write>();
  for (const w of landed) last.set(`${w.collection}\u0000${w.id}`, w);
  return { writes: [...last].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, w]) => w), value: outcome };
}
