import { describe, expect, it } from 'vitest';
import { EMPTY_VIEW, REFUSALS, SPECIAL_GUIDANCE, decideInbound, decideOutbound, inboundWalk, type NetworkView, type ViewCarrier, type ViewNumber, type ViewShelter } from '../../provisioning/network/index.js';

/**
 * The holes a telephony engineer found in the dial plan (issue 30): prefixes Japanese phones use
 * (184 / 186), a shelter's own code, the directory code, 7119 / 8000 without `#`, and who a
 * forwarded call shows as its caller.
 */

// A shelter in Ishikawa (17): a 0AB-J line on Twilio member a, an 050 line on member b (its own platform, call-decision API).
const A_LINE = '+81767520959';
const B_LINE = '+815031234567';
const num = (e164: string, carrierId: string, o: Partial<ViewNumber> = {}): ViewNumber => ({ e164, carrierId, kind: '0ABJ', emergencyCapable: true, state: 'in_service', shelterId: 's1', ...o });
const shelter = (o: Partial<ViewShelter> = {}): ViewShelter => ({
  id: 's1', name: '避難所', shortCode: '2345', prefecture: '17', open: true, numbers: [num(A_LINE, 'a'), num(B_LINE, 'b', { kind: '050', emergencyCapable: false })], ...o,
});
const carriers: ViewCarrier[] = [
  { id: 'a', healthy: true, specialNumbers: [], withholdsCallerId: false },
  { id: 'b', healthy: true, specialNumbers: [], withholdsCallerId: true },
];
const onA = { handsetId: 'h1', shelterId: 's1', carrierId: 'a', username: 'u1', domain: 'a.sip.twilio.com' };
const onB = { handsetId: 'h2', shelterId: 's1', carrierId: 'b', username: 'u2', domain: 'b.sip.example.jp' };
const view = (caller: typeof onA, o: Partial<NetworkView> = {}): NetworkView => ({ ...EMPTY_VIEW, shelter: shelter(), caller, carrierId: caller.carrierId, carriers, ...o });
const dial = (caller: typeof onA, digits: string, o: Partial<NetworkView> = {}, directoryNumber: string | null = null) =>
  decideOutbound({ from: `sip:${caller.username}@${caller.domain}`, to: `sip:${encodeURIComponent(digits)}@${caller.domain}` }, view(caller, o), { ok: true }, undefined, { ok: true }, directoryNumber);

describe('184 and 186 before a number (withhold / send the caller ID for this call, as Japanese carriers do)', () => {
  it('184 + a number connects it with the shelter line withheld; 186 + a number and the bare number send it', () => {
    expect(dial(onB, '1840312345678')).toMatchObject({ step: 'connect', purpose: 'domestic', dial: '+81312345678', callerId: B_LINE, callerIdPresentation: 'withheld' });
    expect(dial(onB, '1860312345678')).toMatchObject({ step: 'connect', dial: '+81312345678', callerId: B_LINE, callerIdPresentation: 'sent' });
    expect(dial(onB, '0312345678')).toMatchObject({ step: 'connect', dial: '+81312345678', callerIdPresentation: 'sent' });
    expect(dial(onB, '１８４ ０９０-１２３４-５６７８')).toMatchObject({ step: 'connect', dial: '+819012345678', callerIdPresentation: 'withheld' });
  });

  it('184110 and 184119 still reach the emergency centre (withheld where the line can), 186119 sends the number', () => {
    expect(dial(onA, '184110')).toMatchObject({ step: 'emergency', dial: '110', callerId: A_LINE });
    expect(dial(onA, '184119')).toMatchObject({ step: 'emergency', dial: '119', callerId: A_LINE });
    expect(dial(onA, '186119')).toMatchObject({ step: 'emergency', dial: '119', callerId: A_LINE, callerIdPresentation: 'sent' });
    // Member a's platform (TwiML) cannot withhold: the call goes through with the shelter line rather than not at all.
    expect(dial(onA, '184110')).toMatchObject({ callerIdPresentation: 'sent' });
    const bIsAreaLine = shelter({ numbers: [num(A_LINE, 'a'), num('+81767530100', 'b')] });
    expect(dial(onB, '184110', { shelter: bIsAreaLine })).toMatchObject({ step: 'emergency', dial: '110', callerId: '+81767530100', callerIdPresentation: 'withheld' });
    // From a line that cannot place emergency calls: the same guidance as 110 without the prefix.
    expect(dial(onB, '184118')).toMatchObject({ step: 'emergency-guidance', service: '118' });
  });

  it('184 + a number on a line that cannot withhold is refused with a spoken reason, never sent with the number', () => {
    const d = dial(onA, '1840312345678');
    expect(d).toMatchObject({ step: 'refuse', reason: 'withhold-unavailable' });
    if (d.step === 'refuse') expect(d.messages[0]!.text).toContain('184');
    expect(dial(onA, '1860312345678')).toMatchObject({ step: 'connect', callerIdPresentation: 'sent' });
  });

  it('184 or 186 before a short code, 0570 or a special number keep what follows', () => {
    const target: ViewShelter = { id: 's2', name: '第二', shortCode: '3456', prefecture: '17', open: true, numbers: [num('+815031230000', 'b', { shelterId: 's2', kind: '050' })] };
    expect(dial(onB, '1843456', { shortCodeShelter: target })).toMatchObject({ step: 'connect', purpose: 'short-code', targetShelterId: 's2', callerIdPresentation: 'withheld' });
    expect(dial(onB, '1840570123456')).toMatchObject({ step: 'connect', purpose: 'navi-dial', callerIdPresentation: 'withheld' });
    expect(dial(onB, '186#7119')).toMatchObject({ step: 'special-guidance', service: '#7119' });
  });
});

describe('codes a shelter phone dials', () => {
  it('refuses a shelter\'s own short code with a spoken reason, in both forms', () => {
    const self = shelter();
    for (const digits of ['2345', '9172345']) {
      const d = dial(onB, digits, { shortCodeShelter: self });
      expect(d, digits).toMatchObject({ step: 'refuse', reason: 'own-short-code' });
      if (d.step === 'refuse') expect(d.messages.map((m) => m.language)).toEqual(['ja-JP', 'en-US']);
    }
  });

  it('reaches the directory line with 9000000 on every member: in the call (TwiML) or by relaying to the hotline', () => {
    expect(dial(onA, '9000000')).toMatchObject({ step: 'directory', callerId: A_LINE, dial: null });
    expect(dial(onB, '9000000', {}, '+81767520000')).toMatchObject({ step: 'directory', callerId: B_LINE, dial: '+81767520000', callerIdPresentation: 'sent' });
    // A held shelter still reaches other shelters, and the directory only connects shelters.
    expect(dial(onB, '9000000', { shelter: shelter({ outboundHold: 'reports' }) }, '+81767520000')).toMatchObject({ step: 'directory' });
  });

  it('answers 7119 and 8000 without # as #7119 and #8000, unless a shelter of the caller\'s prefecture holds the code', () => {
    for (const [digits, service] of [['7119', '#7119'], ['8000', '#8000'], ['9110', '#9110']] as const) {
      expect(dial(onB, digits), digits).toMatchObject({ step: 'special-guidance', service, messages: SPECIAL_GUIDANCE[service] });
    }
    const translated = { translations: [{ service: '#7119' as const, e164: '+81762220000', source: 'https://www.pref.example.jp/page', sourceDate: '2026-11-30', example: false }] };
    expect(dial(onB, '7119', translated)).toMatchObject({ step: 'special', service: '#7119', route: { kind: 'translated' }, dial: '+81762220000', callerId: B_LINE });
    const holder: ViewShelter = { id: 's7', name: '7119の避難所', shortCode: '7119', prefecture: '17', open: true, numbers: [num('+815031237119', 'b', { shelterId: 's7', kind: '050' })] };
    expect(dial(onB, '7119', { shortCodeShelter: holder })).toMatchObject({ step: 'connect', purpose: 'short-code', targetShelterId: 's7' });
    // Never "no shelter has that short code" for these.
    expect(JSON.stringify(dial(onB, '8000'))).not.toContain(REFUSALS['unknown-short-code'][1]!.text);
  });
});

describe('who a forwarded inbound call shows as its caller', () => {
  const inView = (o: Partial<NetworkView> = {}): NetworkView => ({ ...EMPTY_VIEW, called: num(B_LINE, 'b', { kind: '050', emergencyCapable: false }), shelter: shelter(), carrierId: 'b', ...o });
  const call = { from: '+819012345678', to: B_LINE, stage: 'new' as const, dialStatus: null };

  it('forwards to the shelter\'s other line with the outside caller\'s number, so its phones show who calls', () => {
    const walk = inboundWalk(decideInbound(call, inView()), inView(), call);
    expect(walk[0]).toMatchObject({ step: 'ring-other-carrier', dial: A_LINE, callerId: '+819012345678' });
    expect(decideInbound({ ...call, from: '09012345678' }, inView())).toMatchObject({ step: 'ring-other-carrier', callerId: '+819012345678' });
  });

  it('keeps a withheld caller withheld behind the number called', () => {
    for (const from of ['', 'anonymous', '+266696687']) expect(decideInbound({ ...call, from }, inView()), from).toMatchObject({ step: 'ring-other-carrier', callerId: B_LINE });
  });

  it('never sends a forwarded call back: the other line rings its handsets, then voicemail', () => {
    const handsets = [{ handsetId: 'h2', shelterId: 's1', carrierId: 'b', username: 'u2', domain: 'b.sip.example.jp' }];
    const walk = inboundWalk(decideInbound({ ...call, forwarded: true }, inView({ handsets })), inView({ handsets }), { ...call, forwarded: true });
    expect(walk.map((d) => d.step)).toEqual(['ring-handsets', 'voicemail']);
    expect(walk[0]).toMatchObject({ identificationTone: { caller: false } });
  });
});
