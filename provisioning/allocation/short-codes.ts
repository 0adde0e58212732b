import { createHash } from 'node:crypto';

/** Codes 2000–9999: nothing starting 0 or 1 can clash with 110/118/119, 0AB-J or carrier prefixes. */
const FIRST = 2000;
const SPACE = 8000;
const VALID = /^[2-9]\d{3}$/;

export class ShortCodeSpaceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ShortCodeSpaceError';
  }
}

function start(id: string): number {
  return createHash('sha256').update(id, 'utf8').digest().readUInt32BE(0) % SPACE;
}

/**
 * 4-digit network short codes for open shelters: a shelter keeps its previous code when free;
 * others get one from a hash of their id, probing upward, so the same inputs give the same codes.
 * `taken` holds the codes of other open shelters.
 */
export function planShortCodes(shelters: ReadonlyArray<{ id: string; shortCode: string | null }>, taken: ReadonlySet<string>): Map<string, string> {
  const ids = new Set<string>();
  for (const s of shelters) {
    if (ids.has(s.id)) throw new ShortCodeSpaceError(`shelter ${s.id} appears twice`);
    ids.add(s.id);
  }
  const inUse = new Set(taken);
  if (inUse.size + shelters.length > SPACE) {
    throw new ShortCodeSpaceError(`${inUse.size + shelters.length} open shelters exceed the ${SPACE} four-digit short codes (2000–9999)`);
  }
  const out = new Map<string, string>();
  // Sorted by id so two shelters claiming the same old code resolve the same way every time.
  const sorted = [...shelters].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  for (const s of sorted) {
    if (s.shortCode !== null && VALID.test(s.shortCode) && !inUse.has(s.shortCode)) {
      out.set(s.id, s.shortCode);
      inUse.add(s.shortCode);
    }
  }
  for (const s of sorted) {
    if (out.has(s.id)) continue;
    let k = start(s.id);
    while (inUse.has(String(FIRST + k))) k = (k + 1) % SPACE;
    const code = String(FIRST + k);
    out.set(s.id, code);
    inUse.add(code);
  }
  return out;
}
