import { describe, expect, it } from 'vitest';
import {
  EMPTY_VIEW,
  classifyDialled,
  decideDirectory,
  decideInbound,
  decideOutbound,
  decideRecorded,
  type NetworkView,
  type ViewNumber,
  type ViewShelter,
} from '../../provisioning/network/index.js';

const num = (e164: string, carrierId: string, o: Partial<ViewNumber> = {}): ViewNumber => ({
  e164, carrierId, kind: '0ABJ', emergencyCapable: true, state: 'in_service', shelterId: 's1', ...o,
});
const shelter = (o: Partial<ViewShelter> = {}): ViewShelter => ({
  id: 's1', name: '避難所', shortCode: '2345', prefecture: '17', open: true, numbers: [num('+81767520959', 'a'), num('+815031234567', 'b', { kind: '050', emergencyCapable: false })], ...o,
});
const view = (o: Partial<NetworkView> = {}): NetworkView => ({ ...EMPTY_VIEW, called: shelter().numbers[0]!, shelter: shelter(), carrierId: 'a', ...o });

describe('inbound decisions', () => {
  it('never rings handsets of another shelter', () => {
    const d = decideInbound({ from: '+819012345678', to: '+81767520959', stage: 'new', dialStatus: null }, view({
      handsets: [
        { handsetId: 'h1', shelterId: 's1', carrierId: 'a', username: 'u1', domain: 'a.sip.twilio.com' },
        { handsetId: 'h9', shelterId: 's9', carrierId: 'a', username: 'u9', domain: 'a.sip.twilio.com' },
      ],
    }));
    expect(d).toMatchObject({ step: 'ring-handsets', targets: [{ handsetId: 'h1', sipUri: 'sip:u1@a.sip.twilio.com' }] });
  });

  it('treats an in-service number of a closed shelter as not in service', () => {
    const d = decideInbound({ from: '+819012345678', to: '+81767520959', stage: 'new', dialStatus: null }, view({ shelter: shelter({ open: false }) }));
    expect(d).toMatchObject({ step: 'intercept', reason: 'not-in-service' });
  });

  it('treats a number we do not know as not in service', () => {
    expect(decideInbound({ from: 'x', to: '+81311112222', stage: 'new', dialStatus: null }, EMPTY_VIEW)).toMatchObject({ step: 'intercept', reason: 'not-in-service' });
  });

  it('does not forward to an other-carrier number that is out of service', () => {
    const s = shelter({ numbers: [num('+81767520959', 'a'), num('+815031234567', 'b', { state: 'suspended' })] });
    const d = decideInbound({ from: '+819012345678', to: '+81767520959', stage: 'after-handsets', dialStatus: 'no-answer' }, view({ shelter: s }));
    expect(d.step).toBe('voicemail');
  });
});

describe('recorded messages', () => {
  it('are discarded when the called number has no shelter', () => {
    expect(decideRecorded({ from: 'x', to: '+81767520002', recordingUrl: 'https://r', recordingSid: null, durationSeconds: 5 }, EMPTY_VIEW).step).toBe('discard');
  });
});

describe('outbound decisions', () => {
  const caller = { handsetId: 'h1', shelterId: 's1', carrierId: 'a', username: 'u1', domain: 'a.sip.twilio.com' };
  const from = 'sip:u1@a.sip.twilio.com';

  it('shows the shelter\'s own line as caller ID, not a replacement line a failover added on the same carrier', () => {
    // The replacement sorts first by number: before, it became the caller ID once the original worked again.
    const s = shelter({ numbers: [num('+81767520100', 'a', { replacement: true }), num('+81767520959', 'a'), num('+815031234567', 'b', { kind: '050', emergencyCapable: false })] });
    const d = decideOutbound({ from, to: 'sip:0312345678@a.sip.twilio.com' }, view({ caller, shelter: s }));
    expect(d).toMatchObject({ step: 'connect', callerId: '+81767520959' });
  });

  it('places 110 from an emergency-capable line of the caller\'s carrier even when its caller ID line cannot', () => {
    const s = shelter({ numbers: [num('+815031234567', 'a', { kind: '050', emergencyCapable: false }), num('+81767520100', 'a', { replacement: true })] });
    expect(decideOutbound({ from, to: 'sip:0312345678@a.sip.twilio.com' }, view({ caller, shelter: s }))).toMatchObject({ callerId: '+815031234567' });
    expect(decideOutbound({ from, to: 'sip:110@a.sip.twilio.com' }, view({ caller, shelter: s }))).toMatchObject({ step: 'emergency', callerId: '+81767520100' });
  });

  it('refuses a handset whose shelter has closed', () => {
    const d = decideOutbound({ from, to: 'sip:0312345678@a.sip.twilio.com' }, view({ caller, shelter: shelter({ open: false }) }));
    expect(d).toMatchObject({ step: 'refuse', reason: 'shelter-closed' });
  });

  it('refuses when the shelter has no number on the handset’s carrier to use as caller ID', () => {
    const d = decideOutbound({ from, to: 'sip:0312345678@a.sip.twilio.com' }, view({ caller, shelter: shelter({ numbers: [num('+815031234567', 'b')] }) }));
    expect(d).toMatchObject({ step: 'refuse', reason: 'no-line' });
  });

  it('refuses a caller whose SIP address does not match the credential found', () => {
    const d = decideOutbound({ from: 'sip:someone-else@a.sip.twilio.com', to: 'sip:0312345678@a.sip.twilio.com' }, view({ caller }));
    expect(d).toMatchObject({ step: 'refuse', reason: 'unknown-handset' });
  });

  it('puts the tone for both parties in the decision (other renderings read it there), and nothing on an emergency call', () => {
    expect(decideOutbound({ from, to: 'sip:0312345678@a.sip.twilio.com' }, view({ caller }))).toMatchObject({ step: 'connect', identificationTone: { caller: true, callee: true } });
    expect(decideOutbound({ from, to: 'sip:0312345678@a.sip.twilio.com' }, view({ caller }), { ok: true }, { outbound: false, inbound: true })).toMatchObject({ identificationTone: { caller: false, callee: false } });
    expect(decideOutbound({ from, to: 'sip:110@a.sip.twilio.com' }, view({ caller }))).not.toHaveProperty('identificationTone');
  });

  it.each(['reports', 'suspension'] as const)('holds a shelter (%s) to emergency numbers and short codes', (hold) => {
    const target = shelter({ id: 's2', shortCode: '3456', numbers: [num('+81767520001', 'a', { shelterId: 's2' })] });
    const held = view({ caller, shelter: shelter({ outboundHold: hold }), shortCodeShelter: target });
    expect(decideOutbound({ from, to: 'sip:0312345678@a.sip.twilio.com' }, held)).toMatchObject({ step: 'refuse', reason: 'outbound-restricted' });
    expect(decideOutbound({ from, to: 'sip:3456@a.sip.twilio.com' }, held)).toMatchObject({ step: 'connect', purpose: 'short-code', dial: '+81767520001' });
    expect(decideOutbound({ from, to: 'sip:119@a.sip.twilio.com' }, held)).toMatchObject({ step: 'emergency', dial: '119' });
  });

  it('never takes a 0-leading 4-digit number for a short code', () => {
    expect(classifyDialled('0312')).toEqual({ kind: 'refused', reason: 'invalid' });
    expect(classifyDialled('2345')).toEqual({ kind: 'short-code', code: '2345', prefecture: null });
    expect(classifyDialled('9272345')).toEqual({ kind: 'short-code', code: '2345', prefecture: '27' });
  });

  it('ignores visual separators and refuses letters', () => {
    expect(classifyDialled('(090) 1234-5678')).toEqual({ kind: 'domestic', e164: '+819012345678', type: 'mobile' });
    expect(classifyDialled('0312abcd')).toEqual({ kind: 'refused', reason: 'invalid' });
    expect(classifyDialled('')).toEqual({ kind: 'refused', reason: 'invalid' });
  });
});

describe('short codes across prefectures', () => {
  const caller = { handsetId: 'h1', shelterId: 's1', carrierId: 'a', username: 'u1', domain: 'a.sip.twilio.com' };
  const osaka = shelter({ id: 'o1', shortCode: '2345', prefecture: '27', numbers: [num('+81661234567', 'a', { shelterId: 'o1' })] });
  const call = (digits: string) => ({ from: 'sip:u1@a.sip.twilio.com', to: `sip:${digits}@a.sip.twilio.com` });

  it("reaches another prefecture's shelter with the long form 9 + prefecture + code", () => {
    const d = decideOutbound(call('9272345'), view({ caller, shortCodeShelter: osaka }));
    expect(d).toMatchObject({ step: 'connect', purpose: 'short-code', dial: '+81661234567', targetShelterId: 'o1' });
  });

  it("does not let 4 digits reach another prefecture's shelter that holds the same code", () => {
    const d = decideOutbound(call('2345'), view({ caller, shortCodeShelter: osaka }));
    expect(d).toMatchObject({ step: 'refuse', reason: 'unknown-short-code' });
  });

  it("reaches the own prefecture's shelter with 4 digits", () => {
    const nanao = shelter({ id: 'n2', prefecture: '17', numbers: [num('+81767529999', 'a', { shelterId: 'n2' })] });
    expect(decideOutbound(call('2345'), view({ caller, shortCodeShelter: nanao }))).toMatchObject({ step: 'connect', targetShelterId: 'n2' });
  });

  it('the national directory takes 4 digits only when one prefecture holds them, the long form always', () => {
    const ambiguous = decideDirectory({ from: 'x', to: 'y', digits: '2345' }, { ...EMPTY_VIEW, shortCodeShelter: osaka, shortCodeUnique: false }, 1);
    expect(ambiguous).toMatchObject({ step: 'ask', attempt: 2 });
    const unique = decideDirectory({ from: 'x', to: 'y', digits: '2345' }, { ...EMPTY_VIEW, shortCodeShelter: osaka, shortCodeUnique: true }, 1);
    expect(unique).toMatchObject({ step: 'connect', shelterId: 'o1' });
    const long = decideDirectory({ from: 'x', to: 'y', digits: '9272345' }, { ...EMPTY_VIEW, shortCodeShelter: osaka, shortCodeUnique: false }, 1);
    expect(long).toMatchObject({ step: 'connect', shelterId: 'o1' });
  });
});

describe('directory decisions', () => {
  it('refuses a negative attempt count with a clear error', () => {
    expect(() => decideDirectory({ from: 'x', to: 'y', digits: null }, EMPTY_VIEW, -1)).toThrow(/attempt must be a non-negative integer/);
  });

  it('does not connect a code that names a shelter with no line in service', () => {
    const target = shelter({ numbers: [num('+81767520959', 'a', { state: 'releasing' })] });
    const d = decideDirectory({ from: 'x', to: 'y', digits: '2345' }, { ...EMPTY_VIEW, shortCodeShelter: target }, 1);
    expect(d).toMatchObject({ step: 'ask', attempt: 2 });
  });
});
