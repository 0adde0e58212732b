import { useEffect, useState } from 'react';
import { api } from '../../../lib/http.js';
import type { ShelterDetail } from '../../../../../provisioning/model/index.js';

export const getShelterDetail = (id: string) => api<ShelterDetail>('GET', `/api/v1/shelters/${encodeURIComponent(id)}`);

/**
 * What the board holds only in summary for one shelter (why each number was chosen, each handset's
 * files and credentials): read when its page opens, and again whenever the board says something
 * about this shelter changed (`rev`: BoardView.shelterRev). Offline, the last answer stays.
 */
export function useShelterDetail(id: string, rev: number): ShelterDetail | null {
  const [read, setRead] = useState<{ id: string; detail: ShelterDetail } | null>(null);
  useEffect(() => {
    let current = true;
    getShelterDetail(id).then(
      (detail) => current && setRead({ id, detail }),
      () => undefined,
    );
    return () => {
      current = false;
    };
  }, [id, rev]);
  return read?.id === id ? read.detail : null;
}
