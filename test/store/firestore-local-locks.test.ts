import { describe, expect, it } from 'vitest';
import { LocalContentionError, LocalLocks } from '../../provisioning/store/firestore-local-locks.js';

describe('LocalLocks (one process, Firestore transactions)', () => {
  it('a second transaction is refused a document the first holds, and gets it once released', () => {
    const locks = new LocalLocks();
    const first = locks.begin();
    first.take('numbers/+81767520001');
    first.take('numbers/+81767520001'); // its own again is fine
    const second = locks.begin();
    expect(() => second.take('numbers/+81767520001')).toThrow(LocalContentionError);
    first.release();
    expect(() => second.take('numbers/+81767520001')).not.toThrow();
  });

  it('a read that returns after its attempt ended keeps nothing (it used to hold the document for good)', () => {
    const locks = new LocalLocks();
    const attempt = locks.begin();
    attempt.take('carriers/noto');
    // A sibling read failed: the attempt rolls back while this query is still in flight...
    attempt.release();
    // ...and its result arrives afterwards.
    expect(() => attempt.take('numbers/+81767520001')).toThrow(LocalContentionError);
    const next = locks.begin();
    expect(() => next.take('numbers/+81767520001')).not.toThrow();
    expect(() => next.take('carriers/noto')).not.toThrow();
  });

  it('idle() waits until the holding transaction ends', async () => {
    const locks = new LocalLocks();
    const attempt = locks.begin();
    attempt.take('shelters/CC1');
    let idle = false;
    const waiting = locks.idle('shelters/CC1').then(() => (idle = true));
    await Promise.resolve();
    expect(idle).toBe(false);
    attempt.release();
    await waiting;
    expect(idle).toBe(true);
  });
});
