import { Handset, PhoneNumber, Shelter } from '../../provisioning/model/index.js';
import type { Store } from '../../provisioning/store/store.js';

const AT = '2024-01-08T00:00:00.000Z';
const DOMAIN_A = 'shelter-line-a.sip.twilio.com';
const DOMAIN_B = 'shelter-line-b.sip.twilio.com';
const HASH = 'a'.repeat(64);

function shelter(id: string, name: string, shortCode: string | null, open = true): Shelter {
  return Shelter.parse({
    id, name, municipalityCode: '172022', address: '石川県七尾市', lat: 37.04, lon: 136.96,
    desiredStatus: open ? 'open' : 'closed', actualStatus: open ? 'open' : 'closed', shortCode, createdAt: AT, updatedAt: AT,
  });
}

function number(e164: string, carrierId: string, shelterId: string | null, o: Partial<PhoneNumber> = {}): PhoneNumber {
  const fixed = e164.startsWith('+817');
  return PhoneNumber.parse({
    id: e164, e164, kind: fixed ? '0ABJ' : '050', areaCode: fixed ? '0767' : null, numberArea: fixed ? '0767' : null,
    emergencyCapable: fixed, carrierId, state: 'in_service', shelterId, lentAt: AT, updatedAt: AT, ...o,
  });
}

type Cred = { carrierId: string; username: string; domain: string; state?: 'pending' | 'active' };
function handset(id: string, shelterId: string, mac: string, creds: Cred[], status: 'active' | 'revoked' = 'active'): Handset {
  return Handset.parse({
    id, shelterId, mac, vendor: 'yealink', deviceTokenHash: HASH, status, sipUsername: creds[0]?.username ?? null, createdAt: AT, updatedAt: AT,
    credentials: creds.map((c, i) => ({ ...c, role: i === 0 ? 'primary' : 'backup', passwordEncrypted: 'sealed', state: c.state ?? 'active' })),
  });
}

const A = 'carrier-a';
const B = 'carrier-b';

/** Nanao shelters on two member carriers, each set up to exercise one rule of the dial plan. */
export const FIXTURE = {
  carriers: { a: A, b: B },
  domains: { a: DOMAIN_A, b: DOMAIN_B },
  /** 御祓中: a 0AB-J line on A, a 050 line on B, handsets on both. */
  misogi: { id: 'shelter-misogi', shortCode: '2345', a: '+81767520959', b: '+815031234567' },
  /** 徳田小: one line on A, no handsets. */
  tokuda: { id: 'shelter-tokuda', shortCode: '3456', a: '+81767520001' },
  /** 和倉: only a 050 line (cannot call 110/118/119). */
  wakura: { id: 'shelter-wakura', shortCode: '4567', b: '+815031230003' },
  /** 石崎: lines on A and B, but its only handset is registered on B. */
  ishizaki: { id: 'shelter-ishizaki', shortCode: '5678', a: '+81767520004', b: '+815031230004' },
  aging: '+81767520002',
  suspended: '+81767520003',
  hotline: '+81120123456',
  users: {
    /** On A and B. */
    both: 'h000000000001',
    onlyA: 'h000000000002',
    revoked: 'h000000000003',
    pending: 'h000000000004',
    wakura: 'h000000000005',
    ishizaki: 'h000000000006',
  },
  shelters: [] as Shelter[],
  numbers: [] as PhoneNumber[],
  handsets: [] as Handset[],
};
export type Fixture = typeof FIXTURE;

const F = FIXTURE;
F.shelters = [
  shelter(F.misogi.id, '七尾市立御祓中学校', F.misogi.shortCode),
  shelter(F.tokuda.id, '七尾市立徳田小学校', F.tokuda.shortCode),
  shelter(F.wakura.id, '和倉公民館', F.wakura.shortCode),
  shelter(F.ishizaki.id, '石崎公民館', F.ishizaki.shortCode),
  shelter('shelter-closed', '閉鎖した避難所', null, false),
];
F.numbers = [
  number(F.misogi.a, A, F.misogi.id),
  number(F.misogi.b, B, F.misogi.id),
  number(F.tokuda.a, A, F.tokuda.id),
  number(F.wakura.b, B, F.wakura.id),
  number(F.ishizaki.a, A, F.ishizaki.id),
  number(F.ishizaki.b, B, F.ishizaki.id),
  number(F.aging, A, null, { state: 'aging', previousShelterId: 'shelter-closed', agingUntil: '2024-04-01T00:00:00.000Z' }),
  number(F.suspended, A, F.misogi.id, { state: 'suspended' }),
];
F.handsets = [
  handset('hs-1', F.misogi.id, '805ec0000001', [
    { carrierId: A, username: F.users.both, domain: DOMAIN_A },
    { carrierId: B, username: F.users.both, domain: DOMAIN_B },
  ]),
  handset('hs-2', F.misogi.id, '805ec0000002', [{ carrierId: A, username: F.users.onlyA, domain: DOMAIN_A }]),
  handset('hs-3', F.misogi.id, '805ec0000003', [{ carrierId: A, username: F.users.revoked, domain: DOMAIN_A }], 'revoked'),
  handset('hs-4', F.misogi.id, '805ec0000004', [{ carrierId: A, username: F.users.pending, domain: DOMAIN_A, state: 'pending' }]),
  handset('hs-5', F.wakura.id, '805ec0000005', [{ carrierId: B, username: F.users.wakura, domain: DOMAIN_B }]),
  handset('hs-6', F.ishizaki.id, '805ec0000006', [{ carrierId: B, username: F.users.ishizaki, domain: DOMAIN_B }]),
];

export async function seedNetwork(store: Store, fx: Fixture): Promise<void> {
  await store.putMany('shelters', fx.shelters);
  await store.putMany('numbers', fx.numbers);
  await store.putMany('handsets', fx.handsets);
}
