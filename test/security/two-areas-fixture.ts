import { Alert, CallRecord, FraudHold, Handset, Job, PhoneNumber, Shelter, VoiceMessage } from '../../provisioning/model/index.js';
import { apiCarrierInput, call, registerCarrier, type ApiServer } from '../support/api-server.js';

const AT = '2025-06-01T00:00:00.000Z';

/** One area's documents: an open and a closed shelter with everything that can belong to a shelter. */
function area(prefix: string, municipalityCode: string, address: string, areaCode: string, localBase: number, carrierId: string) {
  const open = `${prefix}-open`;
  const closed = `${prefix}-closed`;
  const e164 = (n: number) => `+81${areaCode.slice(1)}${String(localBase + n).padStart(10 - areaCode.length, '0')}`;
  const shelter = (id: string, desired: 'open' | 'closed') =>
    Shelter.parse({ id, name: `${prefix} ${desired}`, municipalityCode, address, lat: 35, lon: 137, areaCodes: [areaCode], desiredStatus: desired, actualStatus: desired, createdAt: AT, updatedAt: AT });
  const number = (n: number, o: Partial<PhoneNumber>) =>
    PhoneNumber.parse({ id: e164(n), e164: e164(n), kind: '0ABJ', areaCode, numberArea: areaCode, emergencyCapable: true, carrierId, state: 'in_service', lentAt: AT, updatedAt: AT, ...o });
  return {
    prefix,
    municipalityCode,
    shelters: { open, closed },
    docs: {
      shelters: [shelter(open, 'open'), shelter(closed, 'closed')],
      numbers: [
        number(1, { shelterId: open }),
        // In the pool, last held by this area's closed shelter (it may reclaim it).
        number(2, { state: 'aging', shelterId: null, previousShelterId: closed, agingUntil: '2025-09-01T00:00:00.000Z' }),
      ],
      handsets: [Handset.parse({ id: `${prefix}-hs`, shelterId: open, mac: '805ec0' + String(localBase % 1_000_000).padStart(6, '0'), vendor: 'yealink', deviceTokenHash: 'a'.repeat(64), status: 'active', createdAt: AT, updatedAt: AT })],
      jobs: [Job.parse({ id: `${prefix}-job`, kind: 'open_shelter', subject: { type: 'shelter', shelterId: open }, shelterId: open, status: 'failed', runAfter: AT, createdAt: AT, updatedAt: AT })],
      alerts: [Alert.parse({ id: `${prefix}-alert`, severity: 'critical', kind: 'shelter_no_line', message: `${prefix} has no working line`, shelterId: open, createdAt: AT })],
      calls: [CallRecord.parse({ id: `${prefix}-call`, callSid: `CA${prefix}`, shelterId: open, direction: 'inbound', from: '+819012345678', to: e164(1), status: 'completed', startedAt: AT })],
      voiceMessages: [VoiceMessage.parse({ id: `${prefix}-vm`, shelterId: open, from: '+819012345678', to: e164(1), recordingUrl: `https://example.invalid/${prefix}.wav`, createdAt: AT })],
      fraudHolds: [FraudHold.parse({ id: open, shelterId: open, restriction: { since: AT, e164: e164(1), reportIds: [], reason: 'credible reports' }, updatedAt: AT })],
    },
  };
}

export type Area = ReturnType<typeof area>;

/**
 * Two prefectures' shelters on one deployment, each with numbers, a handset, a job, an alert, a
 * call, a voice message and a fraud hold: 石川県七尾市 (home) and 静岡県静岡市葵区 (away, a ward of
 * a designated city); plus what every area shares: two carriers, a network-wide job, a carrier
 * alert, and a job about one number that belongs to no area.
 */
export async function seedTwoAreas(s: ApiServer) {
  const carriers = [await registerCarrier(s, apiCarrierInput('carrier-east')), await registerCarrier(s, apiCarrierInput('carrier-west'))];
  const home = area('home', '172022', '石川県七尾市袖ケ江町イ部25', '0767', 520_000, carriers[0]!.id);
  const away = area('away', '221015', '静岡県静岡市葵区追手町9-6', '054', 2_210_000, carriers[1]!.id);
  for (const a of [home, away]) {
    for (const [collection, docs] of Object.entries(a.docs)) await s.store.putMany(collection as never, docs as never);
  }
  const shared = {
    job: Job.parse({ id: 'network-job', kind: 'drift_repair', subject: { type: 'network' }, status: 'failed', runAfter: AT, createdAt: AT, updatedAt: AT }),
    numberJob: Job.parse({ id: 'number-job', kind: 'suspend_number', subject: { type: 'number', e164: away.docs.numbers[0]!.e164 }, status: 'failed', runAfter: AT, createdAt: AT, updatedAt: AT }),
    alert: Alert.parse({ id: 'carrier-alert', severity: 'critical', kind: 'carrier_down', message: 'carrier-east is down', carrierId: carriers[0]!.id, createdAt: AT }),
    /** A home line that served the away shelter before: home sees it, not where it was. */
    movedLine: PhoneNumber.parse({ ...home.docs.numbers[0]!, id: '+81767520009', e164: '+81767520009', previousShelterId: away.shelters.closed }),
  };
  await s.store.putMany('jobs', [shared.job, shared.numberJob]);
  await s.store.put('alerts', shared.alert);
  await s.store.put('numbers', shared.movedLine);
  return { home, away, shared, carriers };
}

/** Mints a coordinator or viewer token limited to the places named. */
export async function mintScoped(s: ApiServer, role: 'coordinator' | 'viewer', scope: { prefectures?: string[]; municipalities?: string[] }): Promise<string> {
  const r = await call(s, 'post', '/api/v1/tokens', { token: s.adminToken, json: { label: `${role} of ${JSON.stringify(scope)}`, role, scope } });
  if (r.status !== 201) throw new Error(`minting a scoped ${role} token failed: ${r.status} ${r.text}`);
  return r.body.token as string;
}

/**
 * Every id of what belongs to an area's shelters (shelters, their numbers, handsets, jobs, alerts,
 * calls, messages): none may reach another area's caller. A number in the shared pool is no area's.
 */
export function idsOf(a: Area): string[] {
  return Object.values(a.docs).flatMap((docs) => (docs as { id: string; shelterId?: string | null }[]).filter((d) => d.shelterId !== null).map((d) => d.id));
}
