import type { Job, PhoneNumber, Shelter } from '../../../../provisioning/model/index.js';

export type SortKey = 'name' | 'status' | 'evacuees' | 'shortCode';
export interface ShelterFilter {
  text: string;
  status: Shelter['actualStatus'] | 'all';
  /** 'all' or a municipality code; older saved drafts lack it. */
  municipality?: string;
  /** 'all' or a district (地区) name. */
  district?: string;
  sort: SortKey;
  desc: boolean;
}

const STATUS_ORDER: Record<Shelter['actualStatus'], number> = { error: 0, no_line: 0, degraded: 1, opening: 2, closing: 3, open: 4, closed: 5 };

/** Hiragana → katakana and lower case, so 'のとじま' finds ノトジマ in the open data's kana. */
const fold = (v: string) => v.toLowerCase().replace(/[\u3041-\u3096]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0x60));

/** Search by name, kana, address or short code; filter by status; sort with a stable tie-break on name. */
export function filterShelters(shelters: Iterable<Shelter>, f: ShelterFilter): Shelter[] {
  const needle = fold(f.text.trim());
  const rows = [...shelters].filter(
    (s) =>
      (f.status === 'all' || s.actualStatus === f.status) &&
      (!f.municipality || f.municipality === 'all' || s.municipalityCode === f.municipality) &&
      (!f.district || f.district === 'all' || s.district === f.district) &&
      (!needle || [s.name, s.kana, s.nameEn, s.address, s.shortCode, s.district].some((v) => v !== undefined && v !== null && fold(v).includes(needle))),
  );
  const key = (s: Shelter): string | number =>
    f.sort === 'status' ? STATUS_ORDER[s.actualStatus] : f.sort === 'evacuees' ? (s.evacuees ?? -1) : f.sort === 'shortCode' ? (s.shortCode ?? '~') : (s.kana ?? s.name);
  rows.sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    const c = ka < kb ? -1 : ka > kb ? 1 : a.name.localeCompare(b.name, 'ja');
    return f.desc ? -c : c;
  });
  return rows;
}

/** Numbers per shelter, built once per render instead of once per row. */
export function numbersByShelter(numbers: Iterable<PhoneNumber>): Map<string, PhoneNumber[]> {
  const out = new Map<string, PhoneNumber[]>();
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

export function matchesService(s: Shelter, f: ServiceFilter | null): boolean {
  if (!f) return true;
  if (f === 'no_emergency') return s.desiredStatus === 'open' && !!s.service && !s.service.emergencyCapable;
  return s.actualStatus === f;
}
