import express from 'express';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createTwilioSimulator, type TwilioSimulator } from '../../server/drill/twilio-simulator/index.js';
import { createTwilioCarrier } from '../../provisioning/carriers/twilio/index.js';
import { SqliteStore } from '../../provisioning/store/sqlite/sqlite-store.js';
import { ManualClock } from '../../provisioning/platform/clock.js';
import { createTwilioWebhookRouter } from '../../server/webhooks/index.js';
import type { TwilioWebhookDeps } from '../../server/webhooks/twilio-webhook-routes.js';
import { seedNetwork, FIXTURE, type Fixture } from './network-fixture.js';
import { openTempSqliteStore, removeTempSqliteStore } from './temp-sqlite-store.js';

export interface NetworkHarness {
  sim: TwilioSimulator;
  store: SqliteStore;
  clock: ManualClock;
  /** ORCH_PUBLIC_URL: the proxy in front of the app; Twilio only ever sees this. */
  publicUrl: string;
  /** Where the app itself listens (what its Host header says behind the proxy). */
  appUrl: string;
  accounts: { a: { sid: string; authToken: string }; b: { sid: string; authToken: string } };
  fx: Fixture;
  close(): Promise<void>;
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function stop(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

/** A reverse proxy on loopback that rewrites Host, as a load balancer in front of the app does. */
function reverseProxy(upstreamPort: number): Server {
  return createServer((req, res) => {
    const up = request(
      {
        host: '127.0.0.1',
        port: upstreamPort,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: `127.0.0.1:${upstreamPort}`, 'x-forwarded-host': req.headers.host ?? '', 'x-forwarded-proto': 'http' },
      },
      (upRes) => {
        res.writeHead(upRes.statusCode ?? 502, upRes.headers);
        upRes.pipe(res);
      },
    );
    up.on('error', () => res.writeHead(502).end());
    req.pipe(up);
  });
}

/**
 * The network end to end: the Twilio simulator (two member accounts, their numbers routed by the
 * real Twilio adapter), a reverse proxy, and our webhook router over a real SqliteStore.
 */
export async function startNetwork(opts: Pick<TwilioWebhookDeps, 'tonePolicy' | 'toneUrl'> = {}): Promise<NetworkHarness> {
  const store = openTempSqliteStore();
  const clock = new ManualClock('2024-01-09T01:00:00.000Z');
  const sim = createTwilioSimulator();
  const simServer = await sim.listen();
  const a = sim.createAccount({ friendlyName: 'carrier A' });
  const b = sim.createAccount({ friendlyName: 'carrier B' });
  const tokens = new Map([
    [a.sid, a.authToken],
    [b.sid, b.authToken],
  ]);

  const appServer = createServer();
  const appUrl = await listen(appServer);
  const proxy = reverseProxy((appServer.address() as AddressInfo).port);
  const publicUrl = await listen(proxy);
  const app = express();
  const fx = FIXTURE;
  const members = new Map([
    [a.sid, { carrierId: fx.carriers.a, apiBaseUrl: simServer.url }],
    [b.sid, { carrierId: fx.carriers.b, apiBaseUrl: simServer.url }],
  ]);
  app.use(
    createTwilioWebhookRouter({
      store, publicUrl, now: () => clock.now(),
      authTokenForAccount: async (sid) => tokens.get(sid) ?? null,
      carrierForAccount: async (sid) => members.get(sid) ?? null,
      ...opts,
    }),
  );
  appServer.on('request', app);

  await seedNetwork(store, fx);
  const routing = (path: string) => ({ voiceUrl: `${publicUrl}${path}`, voiceFallbackUrl: `${publicUrl}${path}`, statusCallback: `${publicUrl}/twilio/status` });
  for (const [acct, carrierId, domainLabel] of [
    [a, fx.carriers.a, 'shelter-line-a'],
    [b, fx.carriers.b, 'shelter-line-b'],
  ] as const) {
    const carrier = createTwilioCarrier({ carrierId, accountSid: acct.sid, authToken: acct.authToken, apiBaseUrl: simServer.url, sipDomainName: domainLabel });
    const numbers = fx.numbers.filter((n) => n.carrierId === carrierId).map((n) => n.e164);
    const hotline = carrierId === fx.carriers.a ? [fx.hotline] : [];
    sim.seedNumbers(acct.sid, [...numbers, ...hotline]);
    for (const e164 of numbers) await carrier.routeNumber(e164, routing('/twilio/voice/inbound'));
    for (const e164 of hotline) await carrier.routeNumber(e164, routing('/twilio/voice/directory'));
    await carrier.ensureSipDomain(routing('/twilio/voice/outbound'));
    for (const h of fx.handsets) {
      for (const c of h.credentials.filter((c) => c.carrierId === carrierId)) {
        await carrier.ensureCredential({ shelterId: h.shelterId, username: c.username, password: 'Drill-password-1' });
      }
    }
  }

  return {
    sim,
    store,
    clock,
    publicUrl,
    appUrl,
    accounts: { a, b },
    fx,
    async close() {
      await Promise.all([stop(proxy), stop(appServer), simServer.close()]);
      await removeTempSqliteStore(store);
    },
  };
}
