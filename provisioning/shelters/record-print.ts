import type { Actor, PosterPrint } from '../model/index.js';
import type { Store } from '../store/store.js';
import { appendAudit } from '../audit/audit-log.js';
import { conflict, notFound } from '../errors.js';
import { publishedOrder } from '../numbers/line-health.js';
import { requireSheltersInArea, type Scoped } from '../access/area-scope.js';

/**
 * Records what each poster about to be printed shows (its working numbers, published first, and
 * the emergency promise), so the board can mark it out of date when the lines change afterwards.
 * All or nothing: an unknown or closed shelter refuses the whole batch.
 */
export async function recordPrints(store: Store, shelterIds: string[], ctx: Scoped & { actor: Actor; at: Date }): Promise<{ printedAt: string; prints: Array<{ shelterId: string } & PosterPrint> }> {
  const ids = [...new Set(shelterIds)];
  await requireSheltersInArea(store, ctx, ids);
  const stamp = ctx.at.toISOString();
  const prints: Array<{ shelterId: string } & PosterPrint> = [];
  for (let i = 0; i < ids.length; i += 100) {
    const chunk = ids.slice(i, i + 100);
    const shelters = await Promise.all(chunk.map((id) => store.get('shelters', id)));
    shelters.forEach((s, j) => {
      if (!s) throw notFound('shelter', chunk[j]!);
      if (s.desiredStatus !== 'open') throw conflict(`shelter ${s.id} is not open: there is no poster to print`);
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
        tx.put('shelters', { ...s, lastPrint: print, version: s.version + 1, updatedAt: stamp });
        appendAudit(tx, { at: ctx.at, actor: ctx.actor, action: 'poster.print', entity: { collection: 'shelters', id: s.id }, after: { numbers: print.numbers, emergencyCapable: print.emergencyCapable } });
        return { shelterId: s.id, ...print };
      });
    });
    prints.push(...done);
  }
  return { printedAt: stamp, prints };
}
