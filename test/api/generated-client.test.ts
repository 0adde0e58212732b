import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, startApiServer, type ApiServer } from '../support/api-server.js';
import { ContractChecker, type OpenApiDoc, type OpenApiOperation } from '../support/api-contract.js';
import { createTwilioSimulator } from '../../server/drill/twilio-simulator/index.js';

/**
 * A client written only from /api/v1/openapi.json, as a carrier engineer would generate one:
 * each request is built from the document's examples; the only things it knows besides the
 * document are its own token and the ids earlier answers gave it (path `{id}`s and the
 * shelter ids of a bulk opening). Webhooks (/twilio) and handset files (/p) are called by
 * Twilio and phones, not by API clients, and have their own suites.
 */

// Creates before reads before state changes, so every id a path needs was answered earlier.
const ORDER = [
  'get /healthz', 'get /api/v1/openapi.json',
  'post /api/v1/session', 'get /api/v1/session',
  // The list first: the token minted next is then the one its DELETE revokes, never the admin's own.
  'get /api/v1/tokens', 'post /api/v1/tokens', 'delete /api/v1/tokens/{id}',
  'post /api/v1/carriers', 'get /api/v1/carriers', 'get /api/v1/carriers/{id}', 'patch /api/v1/carriers/{id}',
  'put /api/v1/carriers/{id}/special-numbers',
  'get /api/v1/dial-plan/translations', 'put /api/v1/dial-plan/translations', 'get /api/v1/dial-plan/navi-dial', 'put /api/v1/dial-plan/navi-dial',
  'post /api/v1/carriers/{id}/numbers', 'post /api/v1/carriers/{id}/preflight', 'get /api/v1/numbers',
  'post /api/v1/shelters/import', 'post /api/v1/shelters', 'get /api/v1/shelters', 'get /api/v1/exports/shelters.csv', 'get /api/v1/shelters/{id}', 'patch /api/v1/shelters/{id}',
  'patch /api/v1/shelters/{id}/contact', 'post /api/v1/shelters/{id}/check-ins',
  'post /api/v1/shelters/{id}/open', 'post /api/v1/shelters/open-bulk',
  'get /api/v1/jobs', 'get /api/v1/jobs/{id}',
  'get /api/v1/carriers/{id}/work-orders', 'post /api/v1/work-orders/{id}/result',
  'post /api/v1/shelters/{id}/handsets', 'post /api/v1/shelters/{id}/test-calls', 'post /api/v1/prints',
  'post /api/v1/carriers/{id}/health', 'get /api/v1/alerts', 'put /api/v1/alerts/{id}/assignee', 'post /api/v1/alerts/{id}/ack',
  'post /api/v1/suspensions', 'get /api/v1/suspensions', 'post /api/v1/suspensions/{e164}/lift',
  'post /api/v1/call-decisions/outbound', 'post /api/v1/call-decisions/inbound', 'post /api/v1/call-events',
  'post /api/v1/shelters/{id}/close', 'post /api/v1/jobs/{id}/retry',
  'delete /api/v1/carriers/{id}/numbers/{e164}', 'delete /api/v1/dial-plan/translations/{id}',
  'get /api/v1/reports', 'get /api/v1/reports/{id}', 'get /api/v1/reports/export', 'post /api/v1/reports/{id}/triage', 'post /api/v1/reports/{id}/suspension',
  'get /api/v1/fraud-holds', 'post /api/v1/shelters/{id}/outbound-restriction/review', 'post /api/v1/shelters/{id}/line-refusal/review',
  'get /api/v1/audit', 'delete /api/v1/session',
  // Last: it moves the (drill) calendar forward.
  'post /api/v1/drill/clock',
];

/** The collection a path's `{param}` names: the literal segment before it (`/carriers/{id}` → carriers). */
function collectionOf(path: string, param: string): string {
  const segments = path.split('/');
  const i = segments.indexOf(`{${param}}`);
  return param === 'e164' ? 'numbers' : segments[i - 1]!;
}

let s: ApiServer;
let doc: OpenApiDoc;
// A preflight checks a Twilio member's account: the client registers one, on a simulated Twilio.
const twilio = createTwilioSimulator();
let twilioServer: Awaited<ReturnType<typeof twilio.listen>>;
beforeAll(async () => {
  s = await startApiServer({ drill: true }); // a drill, so the drill-only operation is served too
  doc = (await call(s, 'get', '/api/v1/openapi.json')).body;
  twilioServer = await twilio.listen();
});
afterAll(async () => {
  await s?.close();
  await twilioServer?.close();
});

describe('a client generated from the OpenAPI document', () => {
  it('gets every API operation accepted, and every answer matches the document', async () => {
    const checker = new ContractChecker(doc);
    const apiOps = Object.entries(doc.paths)
      .filter(([path]) => path.startsWith('/api/') || path === '/healthz')
      .flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m} ${path}`));
    // A new operation must be placed in ORDER, or this test does not know when its ids exist.
    expect([...ORDER].sort()).toEqual([...apiOps].sort());

    const known: Record<string, string> = {};
    const remember = (collection: string, id: unknown) => {
      if (typeof id === 'string') known[collection] = id;
    };
    let accepted = 0;
    let valid = 0;
    const refused: string[] = [];

    for (const key of ORDER) {
      const [method, path] = key.split(' ') as [string, string];
      const op: OpenApiOperation = doc.paths[path]![method]!;
      if (key === 'post /api/v1/jobs/{id}/retry') {
        // Only a failed or cancelled job can be retried: ask the list for one, by the status filter it documents.
        const page = (await call(s, 'get', '/api/v1/jobs?status=cancelled', { token: s.adminToken })).body;
        const failed = page.items.length ? page : (await call(s, 'get', '/api/v1/jobs?status=failed', { token: s.adminToken })).body;
        remember('jobs', failed.items[0]?.id);
      }

      // Reports come from the public window (/report), not the API: send its documented example first.
      if (key === 'get /api/v1/reports') {
        const example = doc.paths['/report']!.post!.requestBody!.content['application/json']!.example;
        expect((await call(s, 'post', '/report', { json: example })).status).toBe(201);
      }
      // Work orders exist once the engine has run the opening: the list's documented `wait` long-polls until one arrives.
      if (key === 'get /api/v1/carriers/{id}/work-orders') s.deps.worker.start();
      const query = key === 'get /api/v1/carriers/{id}/work-orders' ? '?wait=25' : '';
      let ids = known;
      if (key === 'post /api/v1/carriers/{id}/preflight') {
        // The documented member is an api one (its work orders are its preflight): register a Twilio member as the document says.
        const { callControl: _json, ...example } = doc.paths['/api/v1/carriers']!.post!.requestBody!.content['application/json']!.example as Record<string, unknown>;
        const account = twilio.createAccount();
        const twilioMember = { ...example, id: 'twilio-member', kind: 'twilio', twilio: { accountSid: account.sid, authToken: account.authToken, apiBaseUrl: twilioServer.url } };
        expect((await call(s, 'post', '/api/v1/carriers', { token: s.adminToken, json: twilioMember })).status).toBe(201);
        ids = { ...known, carriers: 'twilio-member' };
      }
      const url = path.replace(/\{(\w+)\}/g, (_m, name: string) => {
        const param = op.parameters?.find((p) => p.in === 'path' && p.name === name);
        return encodeURIComponent(ids[collectionOf(path, name)] ?? String(param?.example));
      });
      const content = op.requestBody?.content ?? {};
      // The call-decision API is the member platform's: the client calls it with the carrier's own token.
      const memberCall = path.startsWith('/api/v1/call-');
      if (memberCall && !known.carrierToken) {
        known.carrierToken = (await call(s, 'post', '/api/v1/tokens', { token: s.adminToken, json: { label: 'member platform', role: 'carrier', carrierId: known.carriers } })).body.token;
      }
      let opts: Parameters<typeof call>[3] = { token: memberCall ? known.carrierToken : s.adminToken };
      if (content['application/json']) {
        const body = structuredClone(content['application/json'].example) as Record<string, unknown>;
        if ('token' in body) body.token = s.adminToken;
        if ('ids' in body && known.shelters) body.ids = [known.shelters];
        if ('shelterIds' in body && known.shelters) body.shelterIds = [known.shelters];
        // A member asks about a number it lends, and reports on the call it asked about.
        if (path === '/api/v1/call-decisions/inbound' && known.numbers) body.to = known.numbers;
        if (memberCall) body.callId = 'generated-client-call-1';
        opts = { ...opts, json: body };
      } else if (content['text/csv']) {
        opts = { ...opts, body: String(content['text/csv'].example), contentType: 'text/csv' };
      }

      const res = await call(s, method, url + query, opts).catch((err: Error) => ({ status: -1, text: err.message, body: undefined, headers: new Headers() }));
      if (key === 'get /api/v1/carriers/{id}/work-orders') await s.deps.worker.stop();
      if (res.status >= 200 && res.status < 300) accepted++;
      else refused.push(`${key} → ${res.status} ${res.text.slice(0, 200)}`);
      if (res.status !== -1 && checker.check(method, url, res.status, res.headers.get('content-type'), res.text).length === 0) valid++;

      const b = res.body;
      if (b && typeof b === 'object') {
        if (Array.isArray(b.items) && b.items[0]) remember(path.split('/').filter((x) => x && !x.startsWith('{')).pop()!, b.items[0].e164 ?? b.items[0].id);
        if (method === 'post' && !path.includes('{')) remember(path.split('/').pop()!, b.id);
        remember('carriers', b.carrier?.id);
        remember('shelters', b.shelter?.id);
        // A report carries the number it is about: its own id is what its paths take.
        if (key === 'get /api/v1/reports') remember('reports', b.items?.[0]?.id);
      }
    }

    console.log(`generated client: ${apiOps.length} operations, ${accepted} accepted, ${valid} answers valid against the document`);
    expect(refused).toEqual([]);
    expect(accepted).toBe(apiOps.length);
    expect(valid).toBe(apiOps.length);
  });
});
