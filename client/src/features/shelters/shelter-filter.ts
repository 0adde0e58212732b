import type { BoardNumber, BoardShelter, Job } from '../../../../provisioning/model/index.js';
import { matchesTerms, searchKey, searchTerms, type SearchKey } from './search-text.js';

export type SortKey = 'name' | 'status' | 'evacuees' | 'shortCode';
export interface ShelterFilter {
  text: string;
  status: BoardShelter['actualStatus'] | 'all';
  /** 'all' or a municipality code; older saved drafts lack it. */
  municipality?: string;
  /** 'all' or a district (地区) name. */
  district?: string;
  sort: SortKey;
  desc: boolean;
}

const STATUS_ORDER: Record<BoardShelter['actualStatus'], number> = { error: 0, no_line: 0, degraded: 1, opening: 2, closing: 3, open: 4, closed: 5 };

const byJapaneseName = new Intl.Collator('ja').compare;
const keys = new WeakMap<BoardShelter, SearchKey>();
/** Board documents are replaced, never changed in place: a document's key is folded once, not per keystroke. */
function keyOf(s: BoardShelter): SearchKey {
  let key = keys.get(s);
  if (!key) keys.set(s, (key = searchKey([s.name, s.kana, s.nameEn, s.address, s.shortCode, s.district])));
  return key;
}

/**
 * Folds every shelter's search key ahead of the first keystroke, a slice at a time when the page is
 * idle (22,413 keys are a few hundred milliseconds): the first character typed then only compares.
 * Returns a function that stops it.
 */
export function warmSearchKeys(shelters: readonly BoardShelter[]): () => void {
  let i = 0;
  let handle = 0;
  const idle = (fn: () => void) => (typeof requestIdleCallback === 'function' ? requestIdleCallback(fn) : window.setTimeout(fn, 50));
  const stop = (h: number) => (typeof cancelIdleCallback === 'function' ? cancelIdleCallback(h) : window.clearTimeout(h));
  const slice = () => {
    const end = Math.min(shelters.length, i + 2000);
    for (; i < end; i++) keyOf(shelters[i]!);
    if (i < shelters.length) handle = idle(slice);
  };
  handle = idle(slice);
  return () => stop(handle);
}

/** Sorted by one column with a stable tie-break on name; the list sorts once per change of data or column, not per keystroke. */
export function sortShelters(shelters: Iterable<BoardShelter>, sort: SortKey, desc: boolean): BoardShelter[] {
  const key = (s: BoardShelter): string | number =>
    sort === 'status' ? STATUS_ORDER[s.actualStatus] : sort === 'evacuees' ? (s.evacuees ?? -1) : sort === 'shortCode' ? (s.shortCode ?? '~') : (s.kana ?? s.name);
  const rows = [...shelters].map((s) => ({ s, k: key(s) }));
  rows.sort((a, b) => {
    const c = a.k < b.k ? -1 : a.k > b.k ? 1 : byJapaneseName(a.s.name, b.s.name);
    return desc ? -c : c;
  });
  return rows.map((r) => r.s);
}

/** Search by name, kana, address, district or short code (searchTerms: abbreviations, widths, kana); filter by status and place. */
export function shelterMatcher(f: Omit<ShelterFilter, 'sort' | 'desc'>): (s: BoardShelter) => boolean {
  const terms = searchTerms(f.text);
  return (s) =>
    (f.status === 'all' || s.actualStatus === f.status) &&
    (!f.municipality || f.municipality === 'all' || s.municipalityCode === f.municipality) &&
    (!f.district || f.district === 'all' || s.district === f.district) &&
    (terms.length === 0 || matchesTerms(keyOf(s), terms));
}

export function filterShelters(shelters: Iterable<BoardShelter>, f: ShelterFilter): BoardShelter[] {
  return sortShelters(shelters, f.sort, f.desc).filter(shelterMatcher(f));
}

/** Numbers per shelter, built once per render instead of once per row. */
export function numbersByShelter(numbers: Iterable<BoardNumber>): Map<string, BoardNumber[]> {
  const out = new Map<string, BoardNumber[]>();
  for (const n of numbers) {
    if (!n.shelterId || n.state === 'aging' || n.state === 'available') continue;
    const list = out.get(n.shelterId) ?? [];
    list.push(n);
    out.set(n.shelterId, list);
  }
  return out;
}

export function jobProgress(job: Job | undefined): { done: number; total: number; status: string } | null {
  if (!job) return null;
  return { done: job.steps.filter((s) => s.status === 'done' || s.status === 'skipped').length, total: job.steps.length, status: job.status };
}

export type ServiceFilter = 'degraded' | 'no_line' | 'no_emergency';

/** The overview's links land on the list filtered the way the API's `?service=` filters. */
export function serviceFilterFrom(search: string): ServiceFilter | null {
  const v = new URLSearchParams(search).get('service');
  return v === 'degraded' || v === 'no_line' || v === 'no_emergency' ? v : null;
}

export function matchesService(s: BoardShelter, f: ServiceFilter | null): boolean {
  if (!f) return true;
  if (f === 'no_emergency') return s.desiredStatus === 'open' && !!s.service && !s.service.emergencyCapable;
  return s.actualStatus === f;
}
