import { createHash } from 'node:crypto';
import type { SimulatorControl } from './twilio-simulator/remote-simulator.js';
import { ApiError, type ApiClient } from './api-client.js';

/** One simulated member carrier of the drill, and the numbers it lends. */
export interface DrillCarrierSpec {
  id: string;
  name: string;
  kind: 'twilio' | 'api';
  numbers: string[];
  capacity?: { requestsPerSecond: number; concurrency: number };
}

export interface DrillCarrier extends DrillCarrierSpec {
  /** Simulator account, for twilio-kind carriers. */
  account?: { sid: string; authToken: string };
  /** Bearer token of the carrier (api-kind members use it to pull their work orders). */
  token?: string;
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');
const range = (count: number, make: (i: number) => string) => Array.from({ length: count }, (_, i) => make(i));

/**
 * Three members as in January 2024: two on Twilio (0767 Nanao-area lines, and 0767 + 0768 Wajima-area
 * lines) and one on its own platform lending 050 numbers; every shelter can get two carriers.
 */
export function defaultDrillCarriers(perCarrier = 40): DrillCarrierSpec[] {
  const half = Math.floor(perCarrier / 2);
  return [
    { id: 'noto-cloud', name: 'Noto Cloud (simulated Twilio member)', kind: 'twilio', numbers: range(perCarrier, (i) => `+81767520${pad(100 + i, 3)}`) },
    {
      id: 'hokuriku-voice', name: 'Hokuriku Voice (simulated Twilio member)', kind: 'twilio',
      numbers: [...range(half, (i) => `+81767530${pad(100 + i, 3)}`), ...range(perCarrier - half, (i) => `+81768220${pad(100 + i, 3)}`)],
    },
    { id: 'ip-phone-net', name: 'IP Phone Net (simulated api member)', kind: 'api', numbers: range(perCarrier, (i) => `+8150312${pad(i, 5)}`) },
  ];
}

/** The same account SID and token on every start, so a restarted drill finds its carriers as it left them. */
export function simulatorAccountFor(carrierId: string): { sid: string; authToken: string } {
  const h = createHash('sha256').update(`shelter-line-drill:${carrierId}`).digest('hex');
  return { sid: `AC${h.slice(0, 32)}`, authToken: h.slice(32, 64) };
}

const CERTIFIED = {
  numberUsePlan: { id: 'MIC-DRILL-0001', validUntil: '2035-03-31T00:00:00.000Z' },
  etoc: { status: 'certified' as const, id: 'ETOC-DRILL', validUntil: '2035-03-31T00:00:00.000Z' },
};

/**
 * Makes the simulator accounts and registers/updates the carriers through the API; running it
 * again on the same data dir only points the twilio carriers at the new simulator URL.
 */
export async function ensureDrillCarriers(api: ApiClient, sim: SimulatorControl, simUrl: string, specs: DrillCarrierSpec[]): Promise<DrillCarrier[]> {
  const out: DrillCarrier[] = [];
  for (const spec of specs) {
    const carrier: DrillCarrier = { ...spec };
    const twilio = spec.kind === 'twilio' ? { ...simulatorAccountFor(spec.id) } : undefined;
    if (twilio) {
      await sim.createAccount({ sid: twilio.sid, authToken: twilio.authToken, friendlyName: spec.name });
      await sim.seedNumbers(twilio.sid, spec.numbers);
      carrier.account = twilio;
    }
    const credentials = twilio ? { accountSid: twilio.sid, authToken: twilio.authToken, apiBaseUrl: simUrl } : undefined;
    const existing = await api.call('GET', `/api/v1/carriers/${spec.id}`, undefined, { ok: [200, 404] });
    if (existing.status === 404) {
      const { body } = await api.call<{ token: string }>('POST', '/api/v1/carriers', {
        id: spec.id, name: spec.name, kind: spec.kind, certifications: CERTIFIED,
        ...(spec.capacity ? { capacity: spec.capacity } : { capacity: { requestsPerSecond: 20, concurrency: 8 } }),
        lendingChain: [`${spec.name} → Shelter Line (JUSA drill)`],
        ...(credentials ? { twilio: credentials } : {}),
      });
      carrier.token = body.token;
    } else {
      if (credentials) await api.call('PATCH', `/api/v1/carriers/${spec.id}`, { twilio: credentials });
      const { body } = await api.call<{ token: string }>('POST', '/api/v1/tokens', { label: `${spec.id} drill member`, role: 'carrier', carrierId: spec.id });
      carrier.token = body.token;
    }
    const lent = await api.call<{ rejected: number; outcomes: Array<{ status: string; reasons?: string[]; input: string }> }>(
      'POST', `/api/v1/carriers/${spec.id}/numbers`, { numbers: spec.numbers.map((number) => ({ number, emergencyCapable: !number.startsWith('+8150') })) },
    );
    const rejected = lent.body.outcomes.filter((o) => o.status === 'rejected');
    if (rejected.length) throw new ApiError(422, 'POST', `/api/v1/carriers/${spec.id}/numbers`, rejected.slice(0, 3));
    out.push(carrier);
  }
  return out;
}
