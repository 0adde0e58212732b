/** Thrown inside an attempt when another transaction of this process holds a document it needs. */
export class LocalContentionError extends Error {
  constructor(readonly path: string) {
    super(`document ${path} is held by another transaction of this process`);
    this.name = 'LocalContentionError';
  }
}

interface Holder {
  owner: symbol;
  released: Promise<void>;
}

/**
 * Which documents this process's running transactions touch. Firestore (and its emulator, which
 * then stalls for seconds on a lock timeout) deadlocks when two transactions read one document and
 * both write it; refusing the second one locally lets it retry at once instead. Other processes
 * are still kept apart by Firestore's own locks.
 */
export class LocalLocks {
  private readonly held = new Map<string, Holder>();

  /** A holder for one transaction attempt; `release()` when the attempt has committed or rolled back. */
  begin(): { take(path: string): void; release(): void } {
    const owner = Symbol('attempt');
    let done!: () => void;
    const released = new Promise<void>((resolve) => (done = resolve));
    const mine: string[] = [];
    let ended = false;
    return {
      take: (path) => {
        // A read that returns after its attempt ended (a sibling read failed first) must not keep
        // the document: nothing would ever release it, and this process could not touch it again.
        if (ended) throw new LocalContentionError(path);
        const holder = this.held.get(path);
        if (holder?.owner === owner) return;
        if (holder) throw new LocalContentionError(path);
        this.held.set(path, { owner, released });
        mine.push(path);
      },
      release: () => {
        ended = true;
        for (const path of mine) if (this.held.get(path)?.owner === owner) this.held.delete(path);
        done();
      },
    };
  }

  /** Waits until no transaction of this process holds the document: a plain write to it would stall. */
  async idle(path: string): Promise<void> {
    for (let holder = this.held.get(path); holder; holder = this.held.get(path)) await holder.released;
  }
}
