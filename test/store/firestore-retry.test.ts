import { describe, expect, it } from 'vitest';
import { LocalContentionError, LocalLocks } from '../../provisioning/store/firestore/local-locks.js';
import { isContention } from '../../provisioning/store/firestore/firestore-store.js';

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

describe('which Firestore errors run a transaction again', () => {
  const grpc = (code: number, message: string) => Object.assign(new Error(message), { code });

  it('contention, an unavailable server, and a transaction Firestore closed under a parallel read', () => {
    expect(isContention(grpc(10, '10 ABORTED: Transaction lock timeout.'))).toBe(true);
    expect(isContention(grpc(14, '14 UNAVAILABLE: No connection established'))).toBe(true);
    // Seen under load with three instances: one read of an attempt was aborted, its sibling found the transaction gone.
    expect(isContention(grpc(3, '3 INVALID_ARGUMENT: Transaction is invalid or closed.'))).toBe(true);
    expect(isContention(grpc(3, '3 INVALID_ARGUMENT: The referenced transaction has expired or is no longer valid.'))).toBe(true);
    expect(isContention(new LocalContentionError('carriers/noto'))).toBe(true);
  });

  it('not a real bad request, nor an error without a gRPC code', () => {
    expect(isContention(grpc(3, '3 INVALID_ARGUMENT: Property array contains an invalid nested entity.'))).toBe(false);
    expect(isContention(grpc(7, '7 PERMISSION_DENIED: Missing or insufficient permissions.'))).toBe(false);
    expect(isContention(new Error('Transaction is invalid or closed'))).toBe(false);
    expect(isContention(null)).toBe(false);
  });
});
