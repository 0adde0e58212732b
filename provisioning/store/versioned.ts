/** Every stored document carries the version a guarded write checks. */
type Versioned = { version: number };

/** The next version of a stored document: `changes` applied and `version` one up, so a write decided from the old one no longer lands. */
export function bumped<T extends Versioned>(doc: T, changes: Partial<T> = {}): T {
  return { ...doc, ...changes, version: doc.version + 1 };
}

/** The same, also stamped `updatedAt` (an ISO time, or the Date it names). */
export function bumpedAt<T extends Versioned & { updatedAt: string }>(doc: T, at: Date | string, changes: Partial<T> = {}): T {
  return { ...doc, ...changes, version: doc.version + 1, updatedAt: typeof at === 'string' ? at : at.toISOString() };
}

