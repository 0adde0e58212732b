import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CarrierError } from '../../../provisioning/carriers/carrier.js';
import { DOMAIN_SPEC, ROUTING, startHarness, type Harness } from './harness.js';

/**
 * A gateway in front of the simulator (outside our control, like a corporate proxy or a CDN): it
 * passes requests through, except those `intercept` answers itself.
 */
async function gateway(upstream: string, intercept: (req: IncomingMessage, res: ServerResponse) => boolean) {
  const server = createServer((req, res) => {
    if (intercept(req, res)) return;
    const up = request(upstream + req.url, { method: req.method, headers: req.headers }, (r) => {
      res.writeHead(r.statusCode ?? 502, r.headers);
      r.pipe(res);
    });
    req.pipe(up);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise<void>((r) => { server.close(() => r()); server.closeAllConnections(); }) };
}

let h: Harness;
let gw: Awaited<ReturnType<typeof gateway>> | null = null;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await gw?.close();
  gw = null;
  await h.close();
});

async function failure(p: Promise<unknown>): Promise<CarrierError> {
  const e = await p.then(() => null, (err: unknown) => err);
  expect(e).toBeInstanceOf(CarrierError);
  return e as CarrierError;
}

describe("only Twilio's own error body is Twilio's answer", () => {
  it('a gateway\'s HTML 404 on a delete is a retryable transport failure, never "already deleted"', async () => {
    const carrier = h.carrier();
    await carrier.ensureSipDomain(DOMAIN_SPEC);
    await carrier.ensureCredential({ shelterId: 'sh_001', username: 'h001a', password: 'Noto2024Shelter' });
    gw = await gateway(h.url, (req, res) => {
      if (req.method !== 'DELETE') return false;
      res.writeHead(404, { 'content-type': 'text/html' }).end('<html><body><h1>404 Not Found</h1>nginx</body></html>');
      return true;
    });
    const behind = h.carrier({ apiBaseUrl: gw.url });
    const e = await failure(behind.deleteShelterCredentials('sh_001'));
    expect(e).toMatchObject({ retryable: true, status: 404, code: 'not-twilio' });
    expect(e.message).toMatch(/not Twilio's error body.*text\/html.*404 Not Found/s);
    // Nothing was deleted, and nothing claims it was.
    expect(h.sim.snapshot(h.account.sid).credential_lists.map((l) => l.friendly_name)).toEqual(['shelter-sh_001']);
  });

  it('a JSON error in another shape is described by what it says, not "undefined"', async () => {
    h.sim.seedNumbers(h.account.sid, ['+81767520959']);
    gw = await gateway(h.url, (req, res) => {
      if (req.method !== 'POST') return false;
      res.writeHead(422, { 'content-type': 'application/problem+json' }).end(JSON.stringify({ type: 'https://stoplight.io/prism/errors#UNPROCESSABLE_ENTITY', title: 'Invalid request', status: 422, detail: 'VoiceUrl must match format "uri"' }));
      return true;
    });
    const e = await failure(h.carrier({ apiBaseUrl: gw.url }).routeNumber('+81767520959', ROUTING));
    expect(e.message).not.toMatch(/undefined/);
    expect(e.message).toMatch(/422/);
    expect(e.message).toMatch(/VoiceUrl must match format/);
    expect(e).toMatchObject({ retryable: true, status: 422, code: 'not-twilio' });
  });

  it("Twilio's own 404 (20404) on a delete is still \"already gone\"", async () => {
    const carrier = h.carrier();
    await carrier.ensureSipDomain(DOMAIN_SPEC);
    await carrier.ensureCredential({ shelterId: 'sh_001', username: 'h001a', password: 'Noto2024Shelter' });
    await h.carrier().deleteShelterCredentials('sh_001');
    // The first adapter still holds the list's SID: its delete meets Twilio's 20404 and counts it as done.
    await expect(carrier.deleteShelterCredentials('sh_001')).resolves.toBeUndefined();
  });

  it("a 429 carries Twilio's code and the Retry-After it was given", async () => {
    h.sim.seedNumbers(h.account.sid, ['+81767520959']);
    gw = await gateway(h.url, (_req, res) => {
      res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '2' }).end(JSON.stringify({ code: 20429, message: 'Too Many Requests', more_info: 'https://www.twilio.com/docs/errors/20429', status: 429 }));
      return true;
    });
    const e = await failure(h.carrier({ apiBaseUrl: gw.url }).discoverNumbers());
    expect(e).toMatchObject({ retryable: true, status: 429, code: 20429, retryAfterMs: 2000 });
  });
});
