import { carrierAdapterFactory } from '../../provisioning/carriers/adapter-factory.js';
import { createCarrierDirectory } from '../../provisioning/carriers/carrier-directory.js';
import { Carrier } from '../../provisioning/model/index.js';
import { systemClock } from '../../provisioning/platform/clock.js';
import { SecretBox } from '../../provisioning/platform/secrets.js';
import { createTwilioSimulator } from '../../server/drill/twilio-simulator/index.js';
import { round } from './bench-support.js';
import { openTempSqliteStore, removeTempSqliteStore } from '../support/temp-sqlite-store.js';

export default async function bench(): Promise<{ achieved: number; share429: number }> {
  // The best this machine does against the account: a member that declared exactly N.
  const honest = await run(N);
  const over = await run(3 * N);
  const achieved = over.perSecond / honest.perSecond;
  console.log(`throttle: an account taking ${N} at once, its member declared ${3 * N}: ${round(over.perSecond)} answered/s against ${round(honest.perSecond)}/s when it declares ${N} (achieved ${round(achieved)} of the real limit; aim ≥ 0.9); 429s ${round(over.share429 * 100)} % of ${over.requests} requests (aim ≤ 1 %); learnt limit ${over.learnt} at once; at the account ${round(over.meanInFlight)} in flight on average, ${over.most} at most`);
  return { achieved, share429: over.share429 };
}

/**
 * One Twilio member that declared three times the concurrency its account really takes: the
 * simulator answers 429 past N requests at once; the deployment must learn N from the 429s.
 * Aim: achieved concurrency ≥ 0.9·N, 429s ≤ 1 % of requests.
 */
const N = 4;
const LATENCY_MS = 40;
const SECONDS = Number(process.env.SL_THROTTLE_SECONDS ?? 30);
const CALLERS = 24;

/** One run: a carrier declaring `declared` requests at once against an account taking N; answered requests a second, 429 share, mean in flight at the account. */
async function run(declared: number): Promise<{ perSecond: number; share429: number; meanInFlight: number; learnt: number | undefined; most: number; requests: number }> {
  const store = openTempSqliteStore();
  const sim = createTwilioSimulator({ latencyMs: LATENCY_MS, concurrencyLimit: N });
  const server = await sim.listen();
  try {
    const acct = sim.createAccount();
    sim.seedNumbers(acct.sid, ['+81767520959']);
    const secrets = new SecretBox(Buffer.alloc(32, 7));
    const at = new Date().toISOString();
    await store.put('carriers', Carrier.parse({
      id: 'declared-3n', name: 'declared 3N', kind: 'twilio', capacity: { concurrency: declared, requestsPerSecond: (declared * 1000) / LATENCY_MS },
      certifications: { numberUsePlan: null, etoc: { status: 'certified' } },
      twilio: { accountSid: acct.sid, authTokenEncrypted: secrets.seal(acct.authToken), apiBaseUrl: server.url }, createdAt: at, updatedAt: at,
    }));
    const directory = createCarrierDirectory({ store, clock: systemClock, factory: carrierAdapterFactory({ store, clock: systemClock, secrets }) });
    const carrier = await directory.get('declared-3n');
    const until = performance.now() + SECONDS * 1000;
    let samples = 0;
    let inFlight = 0;
    const sampler = setInterval(() => {
      samples++;
      inFlight += sim.concurrency(acct.sid).inFlight;
    }, 5);
    await Promise.all(Array.from({ length: CALLERS }, async () => {
      while (performance.now() < until) await carrier.discoverNumbers();
    }));
    clearInterval(sampler);
    const log = sim.requestLog(acct.sid);
    const refused = log.filter((r) => r.status === 429).length;
    const result = { perSecond: log.filter((r) => r.status === 200).length / SECONDS, share429: refused / log.length, meanInFlight: inFlight / Math.max(1, samples), learnt: directory.budgets.view('declared-3n')?.concurrency, most: sim.concurrency(acct.sid).most, requests: log.length };
    await directory.close();
    return result;
  } finally {
    await server.close();
    await removeTempSqliteStore(store);
  }
}
