import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { carrierAdapterFactory } from '../../provisioning/carriers/adapter-factory.js';
import { createCarrierDirectory, type CarrierDirectory } from '../../provisioning/carriers/carrier-directory.js';
import { systemClock } from '../../provisioning/platform/clock.js';
import { SecretBox } from '../../provisioning/platform/secrets.js';
import { FirestoreStore } from '../../provisioning/store/firestore/firestore-store.js';
import { createTwilioSimulator, type TwilioSimulator } from '../../server/drill/twilio-simulator/index.js';
import { SKIP_LINE, resetFirestore, useEmulator } from '../support/firestore-emulator.js';
import { SECRET_KEY_HEX } from '../support/api-server.js';
import { carrier } from '../support/model-fixtures.js';

const emulatorHost = inject('firestoreEmulatorHost');
if (emulatorHost) useEmulator(emulatorHost);
else console.warn(`*** ${SKIP_LINE} (one member limit across three instances: skipped) ***`);

/**
 * Three orchestrator instances, each with its own Firestore client and its own carrier directory
 * (budget owner), sending work to one Twilio member whose account takes N requests at once. Before
 * the shared budget each instance kept its own limiter, so three sent three times the agreed level.
 */
describe.skipIf(!emulatorHost)('one limit per member account across three instances on Firestore', () => {
  const projectId = `limit-${randomUUID()}`;
  const N = 4;
  const secrets = new SecretBox(Buffer.from(SECRET_KEY_HEX, 'hex'));
  let sim: TwilioSimulator;
  let close: () => Promise<void>;
  let sid: string;
  const stores: FirestoreStore[] = [];
  const directories: CarrierDirectory[] = [];

  beforeAll(async () => {
    // 40 ms an answer: requests of different instances overlap on the account even on a busy machine.
    sim = createTwilioSimulator({ latencyMs: 40, concurrencyLimit: N });
    const server = await sim.listen();
    close = server.close;
    const acct = sim.createAccount();
    sid = acct.sid;
    sim.seedNumbers(sid, ['+81767520959']);
    for (let i = 0; i < 3; i++) stores.push(new FirestoreStore({ projectId }));
    // The member declared what its account takes: N at once.
    await stores[0]!.put('carriers', carrier('kaga', { kind: 'twilio', capacity: { requestsPerSecond: 1000, concurrency: N }, twilio: { accountSid: sid, authTokenEncrypted: secrets.seal(acct.authToken), apiBaseUrl: server.url } }));
    for (const store of stores) directories.push(createCarrierDirectory({ store, clock: systemClock, factory: carrierAdapterFactory({ store, clock: systemClock, secrets }) }));
  });
  afterAll(async () => {
    for (const d of directories) await d.close();
    for (const s of stores) await s.close();
    await close?.();
    if (emulatorHost) await resetFirestore(projectId);
  });

  it(`never has more than N requests at the account at once from all instances together, and under 1 % 429s`, async () => {
    const perInstance = 100;
    const answered = [0, 0, 0];
    // Eight callers per instance, 24 in all: six times what the account takes, all wanting to send at once.
    await Promise.all(directories.map(async (directory, i) => {
      const kaga = await directory.get('kaga');
      let left = perInstance;
      await Promise.all(Array.from({ length: 8 }, async () => {
        while (left-- > 0) {
          await kaga.discoverNumbers();
          answered[i]!++;
        }
      }));
    }));
    const log = sim.requestLog(sid);
    const refused = log.filter((r) => r.status === 429).length;
    expect(answered).toEqual([perInstance, perInstance, perInstance]);
    expect(log.filter((r) => r.status === 200)).toHaveLength(3 * perInstance);
    // What the clients sent, refused requests included: with one limiter per instance this was 3N.
    const seen = sim.concurrency(sid);
    console.log(`[shared limit] ${log.length} requests from 3 instances, at most ${seen.mostArrived} at the account at once (N = ${N}), ${refused} got 429`);
    expect(seen.mostArrived).toBeLessThanOrEqual(N);
    expect(refused / log.length).toBeLessThan(0.01);
  });
});
