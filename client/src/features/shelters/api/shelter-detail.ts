import { useEffect, useState } from 'react';
import { api } from '../../../lib/http.js';
import type { Page, Shelter, ShelterDetail } from '../../../../../provisioning/model/index.js';

export const getShelterDetail = (id: string) => api<ShelterDetail>('GET', `/api/v1/shelters/${encodeURIComponent(id)}`);

/** How many shelters' details are read at once (a batch of posters). */
const AT_ONCE = 6;

/**
 * What the board holds only in summary (each line's health in print order, why each number was
 * chosen, each handset's files and credentials), for the shelters a view shows: read when the view
 * opens, and again for a shelter whenever the board says something about it changed (`revOf`:
 * BoardView.shelterRev). Offline, the last answers stay.
 */
export function useShelterDetails(ids: readonly string[], revOf: (id: string) => number): Map<string, ShelterDetail> {
  const [read, setRead] = useState(() => new Map<string, { rev: number; detail: ShelterDetail }>());
  const wanted = ids.map((id) => [id, revOf(id)] as const);
  const key = wanted.map(([id, rev]) => `${id}@${rev}`).join(',');
  useEffect(() => {
    let current = true;
    const stale = wanted.filter(([id, rev]) => read.get(id)?.rev !== rev);
    void (async () => {
      for (let i = 0; i < stale.length && current; i += AT_ONCE) {
        const got = await Promise.all(stale.slice(i, i + AT_ONCE).map(([id, rev]) => getShelterDetail(id).then((detail) => ({ id, rev, detail }), () => null)));
        if (!current) return;
        setRead((prev) => {
          const next = new Map(prev);
          for (const g of got) if (g) next.set(g.id, { rev: g.rev, detail: g.detail });
          return next;
        });
      }
    })();
    return () => {
      current = false;
    };
  }, [key]);
  const out = new Map<string, ShelterDetail>();
  for (const id of ids) {
    const r = read.get(id);
    if (r) out.set(id, r.detail);
  }
  return out;
}

/** One shelter in full; null (and nothing asked) while the board does not hold it: outside the caller's area it is a 404 the console reports. */
export function useShelterDetail(id: string | null, rev: number): ShelterDetail | null {
  return useShelterDetails(id === null ? [] : [id], () => rev).get(id ?? '') ?? null;
}

/** Every open shelter of one municipality in full (a printed directory), read again whenever `signature` changes. */
export function useOpenSheltersOf(municipalityCode: string, signature: string): Shelter[] | null {
  const [read, setRead] = useState<{ code: string; shelters: Shelter[] } | null>(null);
  useEffect(() => {
    let current = true;
    void (async () => {
      const out: Shelter[] = [];
      let cursor: string | null = null;
      do {
        const q: URLSearchParams = new URLSearchParams({ municipalityCode, desiredStatus: 'open', limit: '1000', ...(cursor ? { cursor } : {}) });
        const page: Page<Shelter> | null = await api<Page<Shelter>>('GET', `/api/v1/shelters?${q}`).catch(() => null);
        if (!page || !current) return;
        out.push(...page.items);
        cursor = page.nextCursor;
      } while (cursor);
      if (current) setRead({ code: municipalityCode, shelters: out });
    })();
    return () => {
      current = false;
    };
  }, [municipalityCode, signature]);
  return read?.code === municipalityCode ? read.shelters : null;
}
