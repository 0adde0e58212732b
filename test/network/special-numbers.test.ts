import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  EMPTY_VIEW,
  REFUSALS,
  SPECIAL_GUIDANCE,
  classifyDialled,
  decideOutbound,
  normaliseDialled,
  type NetworkView,
  type OutboundDecision,
  type Say,
  type ViewCarrier,
  type ViewNumber,
  type ViewShelter,
  type ViewTranslation,
} from '../../provisioning/network/index.js';
import { parseShortCode } from '../../provisioning/numbers/short-code-scheme.js';
import { SpecialNumber } from '../../provisioning/model/index.js';

// 御祓中 in Ishikawa (17): a 0AB-J line on carrier a, an 050 line on carrier b; its handset calls through b.
const A_LINE = '+81767520959';
const B_LINE = '+815031234567';
const num = (e164: string, carrierId: string, o: Partial<ViewNumber> = {}): ViewNumber => ({ e164, carrierId, kind: '0ABJ', emergencyCapable: true, state: 'in_service', shelterId: 's1', ...o });
const shelter = (o: Partial<ViewShelter> = {}): ViewShelter => ({
  id: 's1', name: '避難所', shortCode: '2345', prefecture: '17', open: true,
  numbers: [num(A_LINE, 'a'), num(B_LINE, 'b', { kind: '050', emergencyCapable: false })], ...o,
});
const caller = { handsetId: 'h1', shelterId: 's1', carrierId: 'b', username: 'u1', domain: 'b.sip.twilio.com' };
const carrier = (id: string, specialNumbers: SpecialNumber[], healthy = true): ViewCarrier => ({ id, healthy, specialNumbers, withholdsCallerId: false });
const NONE_CAPABLE = [carrier('a', []), carrier('b', [])];
const ALL = SpecialNumber.options;
const A_CAPABLE = [carrier('a', [...ALL]), carrier('b', [])];
const TABLE: ViewTranslation[] = (['#7119', '#8000', '#9110'] as const).map((service, i) => ({ service, e164: `+8176222000${i}`, source: 'https://www.pref.example.jp/page', sourceDate: '2026-11-30', example: false }));

const view = (o: Partial<NetworkView> = {}): NetworkView => ({ ...EMPTY_VIEW, shelter: shelter(), caller, carrierId: 'b', carriers: NONE_CAPABLE, ...o });
const dial = (to: string, v: NetworkView = view(), naviDial: Parameters<typeof decideOutbound>[4] = { ok: true }) =>
  decideOutbound({ from: 'sip:u1@b.sip.twilio.com', to: `sip:${encodeURIComponent(to)}@b.sip.twilio.com` }, v, { ok: true }, undefined, naviDial);

/** Every sentence of a decision a caller would hear. */
const spoken = (d: OutboundDecision): Say[] => ('messages' in d ? d.messages : []);
const GENERIC = [REFUSALS['not-allowed'], REFUSALS.invalid].flat().map((s) => s.text);

describe('the numbers evacuees dial (issue 18 table)', () => {
  describe.each([
    ['171', '171'],
    ['１８８', '188'],
    ['189#', '189'],
  ] as const)('%s', (dialled, service) => {
    it('leaves on a line of a capable, healthy carrier, with that line as caller ID', () => {
      expect(dial(dialled, view({ carriers: A_CAPABLE }))).toMatchObject({ step: 'special', service, route: { kind: 'capable-line', carrierId: 'a' }, dial: service, callerId: A_LINE, identificationTone: { caller: true, callee: true } });
    });
    it('plays its own guidance, Japanese then English, when no carrier of the shelter can reach it (no table for it)', () => {
      const d = dial(dialled, view({ translations: TABLE }));
      expect(d).toMatchObject({ step: 'special-guidance', service, messages: SPECIAL_GUIDANCE[service] });
      expect(spoken(d).map((s) => s.language)).toEqual(['ja-JP', 'en-US']);
    });
  });

  describe.each([
    ['#7119', 0],
    ['#8000', 1],
    ['#9110', 2],
  ] as const)('%s', (service, row) => {
    it('leaves on a capable line first, even with a table entry', () => {
      expect(dial(service, view({ carriers: A_CAPABLE, translations: TABLE }))).toMatchObject({ step: 'special', route: { kind: 'capable-line', carrierId: 'a' }, dial: service, callerId: A_LINE });
    });
    it('is translated to the prefecture’s ordinary number, as a domestic call on the handset’s own line, when no carrier can reach it', () => {
      expect(dial(service, view({ translations: TABLE }))).toMatchObject({
        step: 'special', service, route: { kind: 'translated', source: 'https://www.pref.example.jp/page', sourceDate: '2026-11-30' }, dial: TABLE[row]!.e164, callerId: B_LINE, identificationTone: { caller: true, callee: true },
      });
    });
    it('plays its own guidance with neither a capable carrier nor a table entry', () => {
      expect(dial(service)).toMatchObject({ step: 'special-guidance', service, messages: SPECIAL_GUIDANCE[service] });
    });
    it('is recognised in its full-width ＃ form', () => {
      const wide = service.replace('#', '＃').replace(/\d/g, (d) => String.fromCharCode(0xff10 + Number(d)));
      expect(dial(wide, view({ translations: TABLE }))).toMatchObject({ step: 'special', service, dial: TABLE[row]!.e164 });
      expect(dial(wide)).toMatchObject({ step: 'special-guidance', service });
    });
  });

  it('#7119 guidance says 119 is always available from an emergency-capable line', () => {
    const [ja, en] = SPECIAL_GUIDANCE['#7119'];
    expect(ja!.text).toContain('119番');
    expect(ja!.text).toContain('緊急通報ができる電話');
    expect(en!.text).toMatch(/119 can always be called from a phone that can make emergency calls/);
  });

  it('171 guidance explains the special public phone, a mobile, record/listen and web171', () => {
    const [ja, en] = SPECIAL_GUIDANCE['171'];
    for (const word of ['特設公衆電話', '携帯電話', '録音は1', '再生は2', 'ウェブイチナナイチ']) expect(ja!.text).toContain(word);
    expect(en!.text).toMatch(/special public phone.*mobile phone.*press 1 to record or 2 to listen.*web171/s);
  });

  it('does not use a capable carrier that is down, nor a capable carrier’s line that is not in service', () => {
    expect(dial('171', view({ carriers: [carrier('a', ['171'], false), carrier('b', [])] })).step).toBe('special-guidance');
    const s = shelter({ numbers: [num(A_LINE, 'a', { state: 'suspended' }), num(B_LINE, 'b', { kind: '050', emergencyCapable: false })] });
    expect(dial('171', view({ shelter: s, carriers: A_CAPABLE })).step).toBe('special-guidance');
  });

  it('prefers a capable line on the handset’s own carrier', () => {
    const both = [carrier('a', ['188']), carrier('b', ['188'])];
    expect(dial('188', view({ carriers: both }))).toMatchObject({ step: 'special', callerId: B_LINE, route: { carrierId: 'b' } });
  });

  it('over the usage limit still tells the caller where else to reach the service', () => {
    const d = decideOutbound({ from: 'sip:u1@b.sip.twilio.com', to: 'sip:171@b.sip.twilio.com' }, view({ carriers: A_CAPABLE }), { ok: false, limit: 'handset-calls-per-hour', detail: '40 of 40' });
    expect(d.step).toBe('special-guidance');
    expect(spoken(d)[0]!.text).toContain('上限');
    expect(spoken(d)[0]!.text).toContain('特設公衆電話');
  });

  describe('0570 (ナビダイヤル)', () => {
    it('is connected on the handset’s line as a navi-dial call', () => {
      expect(dial('0570-064-556')).toMatchObject({ step: 'connect', purpose: 'navi-dial', dial: '+81570064556', callerId: B_LINE, identificationTone: { caller: true, callee: true } });
    });
    it('is refused, saying why, when a coordinator refused its prefix', () => {
      const d = dial('0570064556', view({ naviDialRefusedPrefixes: ['057006'] }));
      expect(d).toMatchObject({ step: 'refuse', reason: 'navi-dial-refused' });
      expect(spoken(d)[0]!.text).toContain('0570');
      expect(dial('0570100100', view({ naviDialRefusedPrefixes: ['057006'] })).step).toBe('connect');
    });
    it('is refused once the handset used today’s 0570 minutes, while other numbers still connect', () => {
      const over = { ok: false, limit: 'handset-navi-dial-minutes-per-day', detail: '60 of 60' } as const;
      expect(dial('0570064556', view(), over)).toMatchObject({ step: 'refuse', reason: 'navi-dial-limit' });
      expect(dial('0312345678', view(), over)).toMatchObject({ step: 'connect', purpose: 'domestic' });
    });
    it('an incomplete 0570 number is invalid, not connected', () => {
      expect(classifyDialled('05701234')).toEqual({ kind: 'refused', reason: 'invalid' });
    });
  });

  it.each([
    ['0990123456', 'premium'],
    ['0180123456', 'information-service'],
    ['00330312345678', 'carrier-prefix'],
    ['01012125551234', 'international'],
    ['+12125551234', 'international'],
    ['＋１２１２５５５１２３４', 'international'],
  ])('%s stays refused (%s)', (digits, reason) => {
    expect(dial(digits, view({ carriers: A_CAPABLE, translations: TABLE }))).toMatchObject({ step: 'refuse', reason });
  });

  describe('emergency calls stay first and unchanged', () => {
    it.each(['110', '118', '119', '１１９', '１１０#'])('%s connects on an emergency-capable line of the handset’s carrier', (digits) => {
      const v = view({ caller: { ...caller, carrierId: 'a', domain: 'a.sip.twilio.com' }, carrierId: 'a', carriers: A_CAPABLE });
      const d = decideOutbound({ from: 'sip:u1@a.sip.twilio.com', to: `sip:${encodeURIComponent(digits)}@a.sip.twilio.com` }, v);
      expect(d).toMatchObject({ step: 'emergency', callerId: A_LINE });
    });
    it('full-width １１９ from a line that cannot make emergency calls gets the emergency guidance, not "invalid number"', () => {
      expect(dial('１１９')).toMatchObject({ step: 'emergency-guidance', service: '119' });
    });
  });
});

describe('normalisation before classification', () => {
  it.each([
    ['１１９', '119'],
    ['＃７１１９', '#7119'],
    ['%237119', '#7119'],
    ['#7119#', '#7119'],
    ['171#', '171'],
    ['０７６７－５２－０９５９', '0767520959'],
    ['0767 52 0959', '0767520959'],
    ['(0767)52-0959', '0767520959'],
    ['０５７０ー０６４ー５５６', '0570064556'],
    ['＊８６', '*86'],
    ['０３・１２３４・５６７８', '0312345678'],
  ])('%s → %s', (raw, plain) => {
    expect(normaliseDialled(raw)).toBe(plain);
  });

  it('a full-width domestic number is dialled like its ASCII form', () => {
    expect(classifyDialled('０３－１２３４－５６７８')).toEqual({ kind: 'domestic', e164: '+81312345678', type: 'fixed' });
  });

  it('an unknown # number gets its own explanation, not a generic refusal', () => {
    const d = dial('#8139');
    expect(d).toMatchObject({ step: 'special-guidance', service: null });
    expect(spoken(d).map((s) => s.text)).not.toEqual(expect.arrayContaining(GENERIC));
  });
});

describe('special numbers and short codes never mistaken for each other', () => {
  it('#7119 and #8000 are services; 7119 and 8000 are short codes of the caller’s prefecture, else those services; 9110 is #9110', () => {
    expect(classifyDialled('#7119')).toEqual({ kind: 'special', service: '#7119' });
    expect(classifyDialled('7119')).toEqual({ kind: 'short-code', code: '7119', prefecture: null, orService: '#7119' });
    expect(classifyDialled('#8000')).toEqual({ kind: 'special', service: '#8000' });
    expect(classifyDialled('８０００')).toEqual({ kind: 'short-code', code: '8000', prefecture: null, orService: '#8000' });
    expect(classifyDialled('9110')).toEqual({ kind: 'special', service: '#9110' });
    expect(classifyDialled('9172345')).toEqual({ kind: 'short-code', code: '2345', prefecture: '17' });
    expect(classifyDialled('９１７２３４５')).toEqual({ kind: 'short-code', code: '2345', prefecture: '17' });
  });

  it('no special number in any written form is a short code, and no short code is a special number', () => {
    const wide = (s: string) => s.replace('#', '＃').replace(/\d/g, (d) => String.fromCharCode(0xff10 + Number(d)));
    for (const service of ALL) {
      for (const form of [service, wide(service), `${service}#`, encodeURIComponent(service)]) {
        expect(classifyDialled(form), form).toEqual({ kind: 'special', service });
        expect(parseShortCode(normaliseDialled(form)), form).toBeNull();
      }
    }
    fc.assert(
      fc.property(fc.integer({ min: 2000, max: 8999 }), fc.constantFrom('', '01', '17', '27', '47'), (code, pref) => {
        const digits = pref ? `9${pref}${code}` : String(code);
        const c = classifyDialled(digits);
        expect(c.kind).toBe('short-code');
      }),
    );
  });
});

describe('no generic refusal is ever spoken for 171, 188, 189 or a # service number', () => {
  it('whatever the carriers, table, limits or written form', () => {
    const forms = fc.constantFrom(...ALL, '＃７１１９', '＃８０００', '＃９１１０', '１７１', '１８８', '１８９', '#7119#', '171#', '#1234', '#9999');
    const carriers = fc.constantFrom(NONE_CAPABLE, A_CAPABLE, [carrier('a', ['171'], false)], [carrier('b', ['#7119', '188'])], []);
    const tables = fc.constantFrom([], TABLE, TABLE.slice(0, 1));
    const allowance = fc.constantFrom({ ok: true } as const, { ok: false, limit: 'shelter-concurrent', detail: '10 of 10' } as const);
    const lines = fc.constantFrom(shelter().numbers, [num(A_LINE, 'a')], [num(B_LINE, 'b', { kind: '050', emergencyCapable: false })]);
    fc.assert(
      fc.property(forms, carriers, tables, allowance, lines, (form, cs, table, allow, numbers) => {
        const d = decideOutbound({ from: 'sip:u1@b.sip.twilio.com', to: `sip:${encodeURIComponent(form)}@b.sip.twilio.com` }, view({ shelter: shelter({ numbers }), carriers: cs, translations: table }), allow);
        expect(['special', 'special-guidance']).toContain(d.step);
        for (const line of spoken(d)) for (const generic of GENERIC) expect(line.text).not.toContain(generic);
      }),
      { numRuns: 300, seed: 18 },
    );
  });
});

describe('the poster’s small print', () => {
  it('says what the special numbers and 0570 do, with the same 0570 minutes the dial plan counts', async () => {
    const { translate } = await import('../../client/src/lib/i18n.js');
    const { DEFAULT_NAVI_DIAL_MINUTES_PER_HANDSET_PER_DAY: minutes } = await import('../../provisioning/compliance/abuse-limits.js');
    const ja = translate('ja', 'posterSpecial');
    const en = translate('en', 'posterSpecial');
    for (const n of ['171', '188', '189', '#7119', '#8000', '#9110', '0570', '0990', '0180']) {
      expect(ja).toContain(n);
      expect(en).toContain(n);
    }
    // Carrier prefixes (00XY) in words: the board shows no code a caller cannot read (issue 32).
    expect(ja).toContain('00 で始まる事業者番号');
    expect(en).toContain('carrier-prefix (00…)');
    expect(ja).toContain(`1日${minutes}分`);
    expect(en).toContain(`${minutes} minutes a day`);
  });

  it('names each service as the README’s dial plan does, and says the # services may reach the prefecture’s ordinary number', async () => {
    const { readFileSync } = await import('node:fs');
    const { translate } = await import('../../client/src/lib/i18n.js');
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const plan = readme.slice(readme.indexOf('### Dial plan'), readme.indexOf('None of 171, 188, 189'));
    const ja = translate('ja', 'posterSpecial');
    const en = translate('en', 'posterSpecial');
    for (const service of ['171', '188', '189', '#7119', '#8000', '#9110']) {
      const name = new RegExp(`(?:^\\| |, )${service} ([^ ,|]+)`, 'm').exec(plan)?.[1];
      expect(name, service).toBeDefined();
      expect(ja).toContain(`${service}（${name}）`);
      expect(en).toMatch(new RegExp(`${service} \\([a-z’' ]+\\)`));
    }
    expect(ja).toContain('県の一般の番号');
    expect(en).toContain('prefecture’s ordinary number');
    expect(ja.indexOf('日本語と英語')).toBeGreaterThan(0);
  });
});
