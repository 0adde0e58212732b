import { createHash } from 'node:crypto';
import { CODES_PER_PREFECTURE, FIRST_LOCAL_CODE, LOCAL_CODE, longForm, prefectureOf } from '../numbers/short-code-scheme.js';

export class ShortCodeSpaceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ShortCodeSpaceError';
  }
}

/** What the planner needs of a shelter: its id, last code and where it is. */
export type ShortCodeShelter = { id: string; shortCode: string | null; municipalityCode: string };

function start(id: string): number {
  return createHash('sha256').update(id, 'utf8').digest().readUInt32BE(0) % CODES_PER_PREFECTURE;
}

/**
 * Network short codes for open shelters, unique within each prefecture (numbers/short-code-scheme):
 * a shelter keeps its previous code when free there; others get one from a hash of their id,
 * probing upward, so the same inputs give the same codes. `taken` holds the long forms
 * (`longForm(prefecture, code)`) of other open shelters.
 */
export function planShortCodes(shelters: ReadonlyArray<ShortCodeShelter>, taken: ReadonlySet<string>): Map<string, string> {
  const ids = new Set<string>();
  const wanted = new Map<string, number>();
  for (const s of shelters) {
    if (ids.has(s.id)) throw new ShortCodeSpaceError(`shelter ${s.id} appears twice`);
    ids.add(s.id);
    const pp = prefectureOf(s.municipalityCode);
    wanted.set(pp, (wanted.get(pp) ?? 0) + 1);
  }
  const inUse = new Set(taken);
  for (const [pp, n] of wanted) {
    let held = 0;
    for (const t of inUse) if (t.startsWith(`9${pp}`)) held++;
    if (held + n > CODES_PER_PREFECTURE) {
      throw new ShortCodeSpaceError(`${held + n} open shelters in prefecture ${pp} exceed its ${CODES_PER_PREFECTURE} four-digit short codes (2000–8999)`);
    }
  }
  const out = new Map<string, string>();
  // Sorted by id so two shelters claiming the same old code resolve the same way every time.
  const sorted = [...shelters].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  for (const s of sorted) {
    if (s.shortCode === null || !LOCAL_CODE.test(s.shortCode)) continue;
    const key = longForm(prefectureOf(s.municipalityCode), s.shortCode);
    if (inUse.has(key)) continue;
    out.set(s.id, s.shortCode);
    inUse.add(key);
  }
  for (const s of sorted) {
    if (out.has(s.id)) continue;
    const pp = prefectureOf(s.municipalityCode);
    let k = start(s.id);
    while (inUse.has(longForm(pp, String(FIRST_LOCAL_CODE + k)))) k = (k + 1) % CODES_PER_PREFECTURE;
    const code = String(FIRST_LOCAL_CODE + k);
    out.set(s.id, code);
    inUse.add(longForm(pp, code));
  }
  return out;
}
