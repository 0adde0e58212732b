import type { AreaScope, AreaScopeView, Collections, Job, PhoneNumber } from '../model/index.js';
import { notFound } from '../errors.js';
import { designatedCityOf, findMunicipalityByName, findPrefecture, municipalityByCode, validateMunicipalityCode } from '../numbers/number-areas.js';
import { encodeCursor, pageLimit, type Page, type Query, type Store } from '../store/store.js';

/**
 * Area scopes: a coordinator or viewer token limited to prefectures or municipalities (a
 * prefecture's disaster HQ) sees and acts on only the shelters there and what belongs to them.
 * Every surface asks here: REST reads and actions, exports, imports and the board's WebSocket.
 */

/** A caller that may be limited to an area: a principal, or a use case's context. No scope: everywhere. */
export interface Scoped {
  scope?: AreaScope | null;
}

/** Whether a place (a shelter, by its municipality) lies in the caller's area. A designated city includes its wards. */
export function inScope(who: Scoped, place: { municipalityCode: string }): boolean {
  const scope = who.scope;
  if (!scope) return true;
  const code = place.municipalityCode;
  if (scope.prefectures.includes(code.slice(0, 2)) || scope.municipalities.includes(code)) return true;
  const city = designatedCityOf(code);
  return city !== null && scope.municipalities.includes(city);
}

/** Collections whose documents belong to a shelter (by `shelterId`, or their own id for shelters). */
export type AreaCollection = 'shelters' | 'numbers' | 'jobs' | 'alerts' | 'handsets' | 'calls' | 'voiceMessages' | 'fraudHolds' | 'carriers';

/** The shelters a document names, its own first: a number also the shelter that held it last, which may reclaim it. */
function shelterIdsOf(collection: AreaCollection, doc: object): string[] {
  if (collection === 'shelters') return [(doc as { id: string }).id];
  const { shelterId } = doc as { shelterId?: string | null };
  const previous = collection === 'numbers' ? (doc as PhoneNumber).previousShelterId : null;
  return [shelterId, previous].filter((id): id is string => Boolean(id));
}

/**
 * What an area-limited caller sees of a document bound to no shelter: the network every area shares
 * (carriers, numbers in the pool, network-wide jobs, carrier alerts). A job about one number, a
 * call or a message it cannot place is not its area's.
 */
function sharedByEveryArea(collection: AreaCollection, doc: object): boolean {
  switch (collection) {
    case 'carriers':
    case 'numbers':
    case 'alerts':
      return true;
    case 'jobs':
      return (doc as Job).subject.type === 'network';
    default:
      return false;
  }
}

/**
 * A document as an area-limited caller may see it, given which shelters are in its area; null:
 * hidden. A number last held outside the area is shown without that shelter's id.
 */
export function withinArea<T extends object>(who: Scoped, collection: AreaCollection, doc: T, shelterInArea: (id: string) => boolean): T | null {
  if (!who.scope) return doc;
  if (collection === 'shelters') return inScope(who, doc as unknown as { municipalityCode: string }) ? doc : null;
  const { shelterId } = doc as { shelterId?: string | null };
  if (shelterId ? !shelterInArea(shelterId) : !sharedByEveryArea(collection, doc)) return null;
  const previous = collection === 'numbers' ? (doc as unknown as PhoneNumber).previousShelterId : null;
  return previous && !shelterInArea(previous) ? { ...doc, previousShelterId: null } : doc;
}

/** Which of these shelters lie in the caller's area (an unknown id is in none). */
async function shelterAreas(store: Pick<Store, 'getMany'>, who: Scoped, ids: readonly string[]): Promise<Map<string, boolean>> {
  const unique = [...new Set(ids)];
  const shelters = unique.length ? await store.getMany('shelters', unique) : [];
  return new Map(unique.map((id, i) => [id, shelters[i] ? inScope(who, shelters[i]) : false]));
}

// Read in pages this large while looking for an area's documents among the country's.
const SCAN = 500;

/**
 * A page of a list as the caller sees it: store pages are read until `limit` documents of its
 * area are found, and the cursor points just after the last one returned, so paging stays exact.
 * For a prefecture among 12 that is about 12 documents read per document returned.
 */
export async function pageInArea<C extends AreaCollection>(store: Pick<Store, 'query' | 'getMany'>, who: Scoped, collection: C, query: Query<C>): Promise<Page<Collections[C]>> {
  if (!who.scope) return store.query(collection, query);
  const limit = pageLimit(query.limit);
  const field = (query.orderBy?.field ?? 'id') as keyof Collections[C] & string;
  const items: Collections[C][] = [];
  let cursor = query.cursor ?? null;
  for (;;) {
    const page = await store.query(collection, { ...query, limit: SCAN, cursor });
    const areas = collection === 'shelters' ? new Map<string, boolean>() : await shelterAreas(store, who, page.items.flatMap((d) => shelterIdsOf(collection, d)));
    for (const [i, doc] of page.items.entries()) {
      const seen = withinArea(who, collection, doc, (id) => areas.get(id) ?? false);
      if (!seen) continue;
      items.push(seen);
      if (items.length === limit) {
        const more = i < page.items.length - 1 || page.nextCursor !== null;
        const value = (doc as Record<string, unknown>)[field] as string | number | boolean | null | undefined;
        return { items, nextCursor: more ? encodeCursor(value, (doc as { id: string }).id) : null };
      }
    }
    if (!page.nextCursor) return { items, nextCursor: null };
    cursor = page.nextCursor;
  }
}

/** The collections a route names one document of by `:id`, and the word its own 404 uses. */
export const BOUND_DOCUMENTS = { shelters: 'shelter', jobs: 'job', alerts: 'alert' } as const;
export type BoundCollection = keyof typeof BOUND_DOCUMENTS;

export type Reach = 'in-area' | 'outside' | 'shared';

/**
 * Where one document named by a route lies for the caller: in its area, outside it (answered as if
 * it did not exist: its existence is not the caller's to know), or shared by every area (a carrier
 * alert: readable, not the area's to act on). A missing document is left to the route's own 404.
 */
export async function reachOf(store: Pick<Store, 'get'>, who: Scoped, collection: BoundCollection, id: string): Promise<Reach> {
  if (!who.scope) return 'in-area';
  const doc = await store.get(collection, id);
  if (!doc) return 'in-area';
  const [shelterId] = shelterIdsOf(collection, doc);
  if (!shelterId) return sharedByEveryArea(collection, doc) ? 'shared' : 'outside';
  const shelter = collection === 'shelters' ? (doc as Collections['shelters']) : await store.get('shelters', shelterId);
  return shelter && inScope(who, shelter) ? 'in-area' : 'outside';
}

/** The ids among these that name a shelter outside the caller's area (unknown ids are not among them). */
export async function sheltersOutsideArea(store: Pick<Store, 'getMany'>, who: Scoped, ids: readonly string[]): Promise<Set<string>> {
  if (!who.scope || ids.length === 0) return new Set();
  const unique = [...new Set(ids)];
  const shelters = await store.getMany('shelters', unique);
  return new Set(unique.filter((_, i) => shelters[i] && !inScope(who, shelters[i])));
}

/** Refuses a batch naming a shelter outside the area exactly as it refuses an unknown one. */
export async function requireSheltersInArea(store: Pick<Store, 'getMany'>, who: Scoped, ids: readonly string[]): Promise<void> {
  const [outside] = await sheltersOutsideArea(store, who, ids);
  if (outside !== undefined) throw notFound('shelter', outside);
}

export type AreaScopeInput = { prefectures?: string[]; municipalities?: string[] };
export type ResolvedAreaScope = { ok: true; scope: AreaScope } | { ok: false; errors: { path: string; message: string }[] };

/** A municipality by its code (6 digits, or 5 without the check digit) or its name, written alone or after its prefecture. */
function municipalityNamed(entry: string): { code: string } | { problem: string } {
  const text = entry.normalize('NFKC').trim();
  if (/^\d{5,6}$/.test(text)) {
    const check = text.length === 6 ? validateMunicipalityCode(text) : { ok: true as const };
    if (!check.ok) return { problem: check.reason };
    const area = municipalityByCode(text);
    return area ? { code: area.code } : { problem: `${text} is not a municipality of the number-area table` };
  }
  const area = findMunicipalityByName(text);
  if (area) return { code: area.code };
  return { problem: `"${entry}" names no single municipality: give its code (221007) or its name after its prefecture (東京都府中市)` };
}

/** Reads the places an admin named (codes or names) into a scope of codes, or says which entries name no place. */
export function resolveAreaScope(input: AreaScopeInput): ResolvedAreaScope {
  const errors: { path: string; message: string }[] = [];
  const prefectures = new Set<string>();
  const municipalities = new Set<string>();
  (input.prefectures ?? []).forEach((entry, i) => {
    const found = findPrefecture(entry);
    if (found) prefectures.add(found.code);
    else errors.push({ path: `body.scope.prefectures.${i}`, message: `"${entry}" is neither a prefecture's code (01–47) nor its name (静岡県)` });
  });
  (input.municipalities ?? []).forEach((entry, i) => {
    const found = municipalityNamed(entry);
    if ('code' in found) municipalities.add(found.code);
    else errors.push({ path: `body.scope.municipalities.${i}`, message: found.problem });
  });
  if (errors.length === 0 && prefectures.size === 0 && municipalities.size === 0) {
    errors.push({ path: 'body.scope', message: 'a scope names at least one prefecture or municipality; leave it out for a token that sees everywhere' });
  }
  if (errors.length) return { ok: false, errors };
  return { ok: true, scope: { prefectures: [...prefectures].sort(), municipalities: [...municipalities].sort() } };
}

/** A scope with the names people know its places by. */
export function describeAreaScope(scope: AreaScope | null): AreaScopeView | null {
  if (!scope) return null;
  return {
    prefectures: scope.prefectures.map((code) => ({ code, name: findPrefecture(code)?.name ?? code })),
    municipalities: scope.municipalities.map((code) => {
      const area = municipalityByCode(code);
      return { code, name: area?.municipality ?? code, prefecture: area?.prefecture ?? findPrefecture(code.slice(0, 2))?.name ?? '' };
    }),
  };
}
