import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { callRoutingOf, type Config } from './config.js';
import type { AppDeps } from './app-deps.js';
import { createApp } from './app.js';
import { openStore } from './open-store.js';
import { SecretBox } from '../provisioning/platform/secrets.js';
import { systemClock, type Clock } from '../provisioning/platform/clock.js';
import { newId } from '../provisioning/platform/ids.js';
import { bootstrapAdmin } from '../provisioning/access/tokens.js';
import type { Store } from '../provisioning/store/store.js';
import type { EngineDeps } from '../provisioning/reconcile/engine-deps.js';
import { webhookUrls } from '../provisioning/carriers/webhook-urls.js';
import type { Random } from '../provisioning/platform/random.js';
import { DEFAULT_RETRY, type RetryPolicy } from '../provisioning/reconcile/retry.js';
import { createWorker, DEFAULT_MAINTENANCE_EVERY_MS } from '../provisioning/reconcile/worker.js';
import type { LeftLeased } from '../provisioning/jobs/job-queue.js';
import { settlesWithin, timeLimit } from '../provisioning/platform/time-limit.js';
import { createCarrierDirectory } from '../provisioning/carriers/carrier-directory.js';
import { carrierAdapterFactory } from '../provisioning/carriers/adapter-factory.js';
import { carrierHealthChanged } from '../provisioning/shelters/carrier-health.js';
import { probePolicy } from '../provisioning/carriers/carrier-probe.js';
import { raiseAlert } from '../provisioning/alerts/alerts.js';
import { message } from '../provisioning/model/index.js';
import { SYSTEM_ACTOR } from '../provisioning/audit/audit-log.js';
import { surfaceRouters } from './routes/surface-routes.js';
import { reportPolicy } from './routes/report-routes.js';
import { attachWsHub, type WsHub } from './ws/ws-hub.js';
import { boardAuthenticator } from './ws/board-auth.js';
import { createBoardRouter, DEFAULT_BOARD_DIST } from './board/board-router.js';
import { existsSync } from 'node:fs';
import { createServerOps } from './ops/server-ops.js';
import { SECURITY_HEADERS } from './http/security-headers.js';

export interface RunningServer {
  url: string;
  server: Server;
  deps: AppDeps;
  hub: WsHub | null;
  generatedAdminToken: string | null;
  /**
   * Stops the engine and the server, then closes the store. With `graceMs`, jobs still running
   * after it are handed back to the queue for the other instances (SIGTERM on Cloud Run), within
   * `handBackMs` when given; `storeCloseMs` bounds the store's close.
   */
  close(opts?: CloseOptions): Promise<Closed>;
}

/** A SIGTERM shutdown passes SHUTDOWN_BUDGET; without `graceMs` the server waits for every running job. */
export interface CloseOptions {
  graceMs?: number;
  handBackMs?: number;
  /** Giving this instance's share of each member's limit back (slots not given back run out with their lease). */
  slotsBackMs?: number;
  storeCloseMs?: number;
  onStep?: (step: ShutdownStep) => void;
}

export interface Closed {
  releasedJobs: number;
  /** Jobs it could not hand back: each keeps its lease until it runs out, then another instance takes it over. */
  leftLeased: LeftLeased[];
  /** False when the store's close outlasted `storeCloseMs`: requests still in flight are cut off by the exit. */
  storeClosed: boolean;
}

/** What a closing server is waiting on, in order: a shutdown that overruns names the one it was in. */
export type ShutdownStep = 'stopping the worker' | 'closing the live board' | 'closing connections' | 'closing the store';

export interface StartOptions {
  config: Config;
  logger: Logger;
  version: string;
  clock?: Clock;
  store?: Store;
  /** Start the job worker (default true); tests may drive it with `deps.worker.drain()`. */
  runWorker?: boolean;
  workerConcurrency?: number;
  retry?: RetryPolicy;
  /** Jitter and shuffles of the engine; seeded in tests so a run repeats exactly. */
  random?: Random;
  leaseMs?: number;
  workOrderDeadlineMs?: number;
  workOrderPollMs?: number;
  /** How often the maintenance job (certifications, health probes, aged numbers, drift) is scheduled. */
  maintenanceEveryMs?: number;
  /** Drill mode: the drill's calendar (it is also `clock`), moved forward by POST /api/v1/drill/clock. */
  drillClock?: { advance(ms: number): void };
  /** Attach the board's WebSocket hub at /ws (default true). */
  wsHub?: boolean;
}

/** The answer while the server is still starting (only reachable with PORT=0): not ready, try again. */
function answerStarting(_req: IncomingMessage, res: ServerResponse): void {
  res.writeHead(503, { ...SECURITY_HEADERS, 'content-type': 'application/problem+json', 'retry-after': '1', 'cache-control': 'no-store' });
  res.end(JSON.stringify({ type: 'about:blank', title: 'Starting', status: 503, detail: 'the server is starting: the store and the engine are not up yet' }));
}

/** Wires store, secrets, clock, carriers, the reconcilers and the HTTP app, then listens. Used by main, drill mode and tests. */
export async function startServer(opts: StartOptions): Promise<RunningServer> {
  const server: Server = createServer();
  // Idle keep-alive sockets outlive any client's or load balancer's reuse window: with Node's 5 s, a
  // client reusing a socket the server was closing got ECONNRESET (seen in the suite at load 20).
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  // Until the app is attached a request is answered at once (503, retry), never left hanging.
  server.on('request', answerStarting);
  const listen = () => new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.config.PORT, opts.config.HOST, () => {
      server.off('error', reject);
      resolve();
    });
  });
  // A fixed port is listened on only once the store and the engine are up (below). PORT=0 (tests,
  // drills) must bind first: the public URL carriers call back comes from the port it was given.
  if (opts.config.PORT === 0) await listen();
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : opts.config.PORT;
  const url = `http://${opts.config.HOST}:${port}`;
  if (!opts.config.ORCH_PUBLIC_URL) opts.config.publicUrl = url;
  const store = opts.store ?? (await openStore(opts.config));
  const clock = opts.clock ?? systemClock;
  const secrets = new SecretBox(opts.config.secretKey);
  const logger = opts.logger;
  let hub: WsHub | null = null;
  const ops = createServerOps({ store, wsClients: () => hub?.clientCount() ?? 0 });
  const owner = newId('worker');
  const directory = createCarrierDirectory({
    budget: { owner },
    onCall: (carrierId, ok, seconds) => ops.metrics.observeCarrierCall(carrierId, ok, seconds),
    store,
    clock,
    factory: carrierAdapterFactory({
      store, clock, secrets, deploymentId: opts.config.deploymentId,
      ...(opts.workOrderDeadlineMs ? { workOrderDeadlineMs: opts.workOrderDeadlineMs } : {}),
      ...(opts.workOrderPollMs ? { workOrderPollMs: opts.workOrderPollMs } : {}),
      onWorkOrderExpired: async (o) => {
        const carrier = (await store.get('carriers', o.carrierId))?.name ?? o.carrierId; // named: a viewer's board has no carriers to look it up
        await raiseAlert(store, clock.now(), { severity: 'warning', kind: 'work_order_expired', carrierId: o.carrierId, text: message('alert.work_order_expired', { carrier, order: o.id, action: o.action }) });
      },
    }),
    onHealth: async (carrierId, health, detail, cause) => {
      logger.warn({ carrierId, health, detail }, 'carrier health changed');
      await carrierHealthChanged(store, carrierId, health, { at: clock.now(), actor: SYSTEM_ACTOR, reason: detail, cause });
    },
  });
  const engine: EngineDeps = {
    store, secrets, clock, random: opts.random ?? Math.random, carriers: directory, urls: webhookUrls(opts.config.publicUrl),
    agingDays: opts.config.ORCH_AGING_DAYS, etocGraceDays: opts.config.ORCH_ETOC_GRACE_DAYS,
    retry: opts.retry ?? DEFAULT_RETRY, owner, leaseMs: opts.leaseMs ?? 30_000, logger,
    probe: probePolicy(opts.config.ORCH_CARRIER_PROBE_MS),
  };
  const worker = createWorker(engine, {
    concurrency: opts.workerConcurrency ?? 32,
    maintenanceEveryMs: opts.maintenanceEveryMs ?? DEFAULT_MAINTENANCE_EVERY_MS,
  });
  const deps: AppDeps = { config: opts.config, store, secrets, clock, logger, version: opts.version, engine, worker, ops, ...(opts.drillClock ? { drillClock: opts.drillClock } : {}) };
  const generatedAdminToken = await bootstrapAdmin(store, opts.config.ORCH_ADMIN_TOKEN, clock.now());

  const authTokenForAccount = async (accountSid: string) => {
    const { items } = await store.query('carriers', { limit: 1000 });
    const c = items.find((x) => x.twilio?.accountSid === accountSid);
    return c?.twilio ? secrets.open(c.twilio.authTokenEncrypted) : null;
  };
  const carrierForAccount = async (accountSid: string) => {
    const { items } = await store.query('carriers', { limit: 1000 });
    const c = items.find((x) => x.twilio?.accountSid === accountSid);
    return c ? { carrierId: c.id, apiBaseUrl: c.twilio?.apiBaseUrl ?? null } : null;
  };
  const webhookLogger = { info: (o: object, m?: string) => logger.info(o, m), warn: (o: object, m?: string) => logger.warn(o, m), error: (o: object, m?: string) => logger.error(o, m) };
  const app = createApp(deps, {
    routers: [
      ...surfaceRouters({
        twilioWebhooks: {
          store, publicUrl: opts.config.publicUrl, authTokenForAccount, carrierForAccount, now: () => clock.now(), logger: webhookLogger,
          ...(opts.config.ORCH_TONE_URL ? { toneUrl: opts.config.ORCH_TONE_URL } : {}),
          tonePolicy: callRoutingOf(opts.config).tonePolicy,
          handsetRingSeconds: callRoutingOf(opts.config).handsetRingSeconds,
        },
        handsetFiles: deps,
        reportWindow: { store, clock, logger, policy: reportPolicy(opts.config), perHour: opts.config.ORCH_REPORTS_PER_HOUR },
      }),
      // The built board, when there is one (npm start / drill build it first).
      ...(existsSync(DEFAULT_BOARD_DIST) ? [createBoardRouter(DEFAULT_BOARD_DIST)] : []),
    ],
  });
  server.off('request', answerStarting);
  server.on('request', app);
  hub = opts.wsHub === false ? null : attachWsHub(server, { store, authenticate: boardAuthenticator(deps), logger, clock, etocGraceDays: opts.config.ORCH_ETOC_GRACE_DAYS });
  if (opts.runWorker !== false) worker.start();
  // Tests that drive the worker by hand still count as an engine that is up.
  ops.markEngineUp(true);
  if (!server.listening) await listen();
  return {
    url,
    server,
    deps,
    hub,
    generatedAdminToken,
    close: async ({ graceMs, handBackMs, slotsBackMs, storeCloseMs, onStep }: CloseOptions = {}) => {
      ops.markEngineUp(false);
      onStep?.('stopping the worker');
      const { released, leftLeased } = await worker.stop(graceMs === undefined ? {} : { graceMs, ...(handBackMs === undefined ? {} : { handBackMs }) });
      if (released) logger.info({ released }, 'handed running jobs back to the queue');
      if (leftLeased.length > 0) logger.warn({ leftLeased }, 'jobs left to their lease: another instance takes each over when it runs out');
      // Its share of each member's limit goes to the other instances now, not when the leases run out.
      const slotsBack = directory.close().catch((err: unknown) => logger.warn({ error: String(err) }, 'could not give the carrier slots back'));
      const slotsLimit = slotsBackMs === undefined ? null : timeLimit(slotsBackMs);
      if (!(slotsLimit ? await settlesWithin(slotsBack, slotsLimit).finally(() => slotsLimit.cancel()) : (await slotsBack, true))) logger.warn({ ms: slotsBackMs }, 'carrier slots not given back in time: they run out with their lease');
      onStep?.('closing the live board');
      await hub?.close();
      onStep?.('closing connections');
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      onStep?.('closing the store');
      // A hand-back write that waits on a held document keeps Firestore's close waiting as long.
      const limit = storeCloseMs === undefined ? null : timeLimit(storeCloseMs);
      const storeClosed = limit ? await settlesWithin(store.close(), limit).finally(() => limit.cancel()) : (await store.close(), true);
      if (!storeClosed) logger.warn({ ms: storeCloseMs }, 'the store did not close in time: requests still in flight are cut off by the exit');
      return { releasedJobs: released, leftLeased, storeClosed };
    },
  };
}
