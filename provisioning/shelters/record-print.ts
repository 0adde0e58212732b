import type { Actor, PosterPrint } from '../model/index.js';
import type { Store } from '../store/store.js';
import { allDocuments } from '../store/paging.js';
import { appendAudit } from '../audit/audit-log.js';
import { conflict, notFound } from '../errors.js';
import { publishedOrder } from '../numbers/line-health.js';
import { inScope, requireSheltersInArea, type Scoped } from '../access/area-scope.js';
import { bumpedAt } from '../store/versioned.js';

type Printed = { printedAt: string; prints: Array<{ shelterId: string } & PosterPrint> };

/** What a printed sheet records on each shelter it shows, and how the print is audited. */
const SHEETS = {
  poster: { field: 'lastPrint', action: 'poster.print' },
  directory: { field: 'lastDirectoryPrint', action: 'directory.print' },
} as const;

/**
 * Records what each poster about to be printed shows (its working numbers, published first, and
 * the emergency promise), so the board can mark it out of date when the lines change afterwards.
 * All or nothing: an unknown or closed shelter refuses the whole batch.
 */
export function recordPrints(store: Store, shelterIds: string[], ctx: Scoped & { actor: Actor; at: Date }): Promise<Printed> {
  return recordSheets(store, 'poster', shelterIds, ctx);
}

/**
 * Records a municipality's phone directory about to be printed: each shelter open there keeps what
 * its row shows, so the board marks the directory out of date when one of them changes (or one opens).
 */
export async function recordDirectoryPrint(store: Store, municipalityCode: string, ctx: Scoped & { actor: Actor; at: Date }): Promise<Printed> {
  // Outside the caller's area it does not exist for them (no hint whether anything is open there).
  if (!inScope(ctx, { municipalityCode })) throw notFound('municipality', municipalityCode);
  const ids = (await allDocuments(store, 'shelters', { where: { municipalityCode, desiredStatus: 'open' }, limit: 500 })).map((s) => s.id);
  if (ids.length === 0) throw conflict(`no shelter is open in municipality ${municipalityCode}: there is no directory to print`);
  return recordSheets(store, 'directory', ids, ctx);
}

async function recordSheets(store: Store, sheet: keyof typeof SHEETS, shelterIds: string[], ctx: Scoped & { actor: Actor; at: Date }): Promise<Printed> {
  const { field, action } = SHEETS[sheet];
  const ids = [...new Set(shelterIds)];
  await requireSheltersInArea(store, ctx, ids);
  const stamp = ctx.at.toISOString();
  const prints: Array<{ shelterId: string } & PosterPrint> = [];
  for (let i = 0; i < ids.length; i += 100) {
    const chunk = ids.slice(i, i + 100);
    const shelters = await Promise.all(chunk.map((id) => store.get('shelters', id)));
    shelters.forEach((s, j) => {
      if (!s) throw notFound('shelter', chunk[j]!);
      if (s.desiredStatus !== 'open') throw conflict(`shelter ${s.id} is not open: there is no ${sheet} to print`);
    });
  }
  for (let i = 0; i < ids.length; i += 100) {
    const chunk = ids.slice(i, i + 100);
    const done = await store.transaction(async (tx) => {
      const shelters = await Promise.all(chunk.map((id) => tx.get('shelters', id)));
      return shelters.map((s, j) => {
        if (!s) throw notFound('shelter', chunk[j]!);
        // A shelter whose lines are not set up yet prints "no working line": that is what it showed.
        const print: PosterPrint = {
          printedAt: stamp, printedBy: ctx.actor.label ?? ctx.actor.id,
          numbers: s.service ? publishedOrder(s.service).map((l) => l.e164) : [], emergencyCapable: s.service?.emergencyCapable ?? false, outOfDate: false,
        };
        tx.put('shelters', bumpedAt(s, stamp, { [field]: print }));
        appendAudit(tx, { at: ctx.at, actor: ctx.actor, action, entity: { collection: 'shelters', id: s.id }, after: { numbers: print.numbers, emergencyCapable: print.emergencyCapable } });
        return { shelterId: s.id, ...print };
      });
    });
    prints.push(...done);
  }
  return { printedAt: stamp, prints };
}
