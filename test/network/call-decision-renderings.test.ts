import { describe, expect, it } from 'vitest';
import { XMLParser } from 'fast-xml-parser';
import { InboundCallAnswer, OutboundCallAnswer } from '../../provisioning/model/index.js';
import {
  EMPTY_VIEW,
  decideInbound,
  decideOutbound,
  inboundWalk,
  type InboundDecision,
  type NetworkView,
  type OutboundDecision,
  type ViewNumber,
  type ViewShelter,
} from '../../provisioning/network/index.js';
import { renderInbound, renderOutbound } from '../../server/webhooks/render-twiml.js';
import { renderInboundJson, renderOutboundJson } from '../../server/webhooks/render-json.js';

const URLS = { publicUrl: 'https://line.example.jp', toneUrl: 'https://line.example.jp/twilio/tone.wav', whisperUrl: 'https://line.example.jp/twilio/voice/whisper' };
const JSON_URLS = { toneUrl: URLS.toneUrl, promptAudioUrl: (reason: string) => `https://line.example.jp/prompts/${reason}.wav` };
const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', parseTagValue: false, parseAttributeValue: false });
const twiml = (s: string) => JSON.stringify(xml.parse(s));
const names = (tw: string) => Object.keys((JSON.parse(tw) as { Response: Record<string, unknown> }).Response);

const num = (e164: string, carrierId: string, o: Partial<ViewNumber> = {}): ViewNumber => ({ e164, carrierId, kind: '0ABJ', emergencyCapable: true, state: 'in_service', shelterId: 's1', ...o });
const shelterOf = (o: Partial<ViewShelter> = {}): ViewShelter => ({
  id: 's1', name: '避難所', shortCode: '2345', prefecture: '17', open: true, numbers: [num('+81767520959', 'a'), num('+815031234567', 'b', { kind: '050', emergencyCapable: false })], ...o,
});
const caller = { handsetId: 'h1', shelterId: 's1', carrierId: 'a', username: 'u1', domain: 'a.sip.example.jp' };
const outView = (o: Partial<NetworkView> = {}): NetworkView => ({ ...EMPTY_VIEW, shelter: shelterOf(), caller, carrierId: 'a', ...o });
const target: ViewShelter = { id: 's2', name: '第二避難所', shortCode: '2346', prefecture: '17', open: true, numbers: [num('+81767520960', 'a', { shelterId: 's2' })] };
const out = (dialled: string, o: Partial<NetworkView> = {}, directoryNumber: string | null = null) =>
  decideOutbound({ from: 'sip:u1@a.sip.example.jp', to: `sip:${dialled}@a.sip.example.jp` }, outView(o), undefined, undefined, undefined, directoryNumber);
const withholding = { carriers: [{ id: 'a', healthy: true, specialNumbers: [], withholdsCallerId: true }] };

/** Every outbound decision kind the core makes, from the core itself. */
const OUTBOUND: Array<[string, OutboundDecision]> = [
  ['connect (domestic)', out('0312345678')],
  ['connect (domestic, 184: withheld)', out('1840312345678', withholding)],
  ['connect (short code)', out('2346', { shortCodeShelter: target })],
  ['emergency', out('110')],
  ['emergency (184110: withheld)', out('184110', withholding)],
  ['directory (relayed to the hotline)', out('9000000', {}, '+81767520000')],
  ['directory (no hotline: a JSON member is told so)', out('9000000')],
  ['emergency guidance', out('110', { shelter: shelterOf({ numbers: [num('+815031234567', 'a', { kind: '050', emergencyCapable: false })] }) })],
  ['refusal (premium)', out('09901234567')],
  ['refusal (closed shelter)', out('0312345678', { shelter: shelterOf({ open: false }) })],
  ['special (171 on a capable carrier\'s line)', out('171', { carriers: [{ id: 'a', healthy: true, specialNumbers: ['171'], withholdsCallerId: false }, { id: 'b', healthy: true, specialNumbers: [], withholdsCallerId: false }] })],
  ['special (#7119 translated by the table)', out('#7119', { translations: [{ service: '#7119', e164: '+81762220000', source: 'https://www.pref.example.jp/page', sourceDate: '2026-11-30', example: false }] })],
  ['special guidance (171, no carrier of the shelter reaches it)', out('171')],
];

const inCall = { from: '+819012345678', to: '+81767520959' };
const inView = (o: Partial<NetworkView> = {}): NetworkView => ({ ...EMPTY_VIEW, called: num('+81767520959', 'a'), shelter: shelterOf(), carrierId: 'a', ...o });
const walkOf = (v: NetworkView): InboundDecision[] => inboundWalk(decideInbound({ ...inCall, stage: 'new', dialStatus: null }, v), v, inCall);
const INBOUND: Array<[string, InboundDecision[]]> = [
  ['ring the handsets, then the other carrier, then voicemail', walkOf(inView({ handsets: [caller] }))],
  ['ring the other carrier (no handset here), then voicemail', walkOf(inView())],
  ['voicemail (no other carrier)', walkOf(inView({ shelter: shelterOf({ numbers: [num('+81767520959', 'a')] }) }))],
  ['intercept (suspended)', walkOf(inView({ called: num('+81767520959', 'a', { state: 'suspended' }) }))],
  ['intercept (closed)', walkOf(inView({ shelter: shelterOf({ open: false }) }))],
];

describe('one decision core, two renderings (TwiML for Twilio-compatible members, JSON for the rest)', () => {
  it('covers every outbound and inbound decision kind', () => {
    expect(OUTBOUND.map(([, d]) => d.step)).toEqual(['connect', 'connect', 'connect', 'emergency', 'emergency', 'directory', 'directory', 'emergency-guidance', 'refuse', 'refuse', 'special', 'special', 'special-guidance']);
    expect(new Set(OUTBOUND.map(([, d]) => d.step))).toEqual(new Set(['connect', 'special', 'special-guidance', 'emergency', 'emergency-guidance', 'directory', 'refuse']));
    expect(new Set(INBOUND.flatMap(([, w]) => w.map((d) => d.step)))).toEqual(new Set(['ring-handsets', 'ring-other-carrier', 'voicemail', 'intercept']));
  });

  for (const [name, d] of OUTBOUND) {
    it(`outbound ${name}: the JSON matches the contract and says what the TwiML does`, () => {
      const json = OutboundCallAnswer.parse(renderOutboundJson(d, JSON_URLS));
      const tw = twiml(renderOutbound(d, URLS));
      switch (d.step) {
        case 'directory':
          // TwiML runs the directory in the same call; JSON relays to the hotline, or says there is none.
          expect(names(tw)).toEqual(['Redirect']);
          expect(tw).toContain(`${URLS.publicUrl}/twilio/voice/directory`);
          if (d.dial) expect(json).toEqual({ action: 'directory', dial: d.dial, callerId: d.callerId, callerIdPresentation: 'sent', shelterId: d.shelterId, handsetId: d.handsetId });
          else expect(json).toMatchObject({ action: 'announce', kind: 'refusal', reason: 'directory-unavailable', sipResponse: { code: 403 } });
          break;
        case 'connect':
        case 'emergency':
          expect(json).toMatchObject({ action: d.step, dial: d.dial, callerId: d.callerId, callerIdPresentation: d.callerIdPresentation });
          expect(tw).toContain(d.dial);
          expect(tw).toContain(`"@callerId":"${d.callerId}"`);
          if (json.action === 'connect') {
            expect(json.identificationTone).toEqual({ caller: true, callee: true, url: URLS.toneUrl });
            expect(tw).toContain(URLS.toneUrl);
          }
          break;
        case 'special':
          expect(json).toMatchObject({ action: 'special', service: d.service, route: d.route.kind, dial: d.dial, callerId: d.callerId, callerIdPresentation: d.callerIdPresentation, identificationTone: { caller: true, callee: true, url: URLS.toneUrl } });
          expect(tw).toContain(d.dial);
          expect(tw).toContain(`"@callerId":"${d.callerId}"`);
          expect(tw).toContain(URLS.toneUrl);
          break;
        case 'special-guidance':
        case 'emergency-guidance':
        case 'refuse':
          expect(json.action).toBe('announce');
          if (json.action !== 'announce') return;
          expect(json.prompts.map((p) => p.text)).toEqual(d.messages.map((m) => m.text));
          expect(json.prompts[0]!.language).toBe('ja-JP');
          for (const m of d.messages) expect(tw).toContain(m.text);
          expect(tw).not.toContain('Dial');
          expect(json.audioUrl).toBe(`https://line.example.jp/prompts/${json.reason}.wav`);
          expect(json.sipResponse.code).toBe(d.step === 'refuse' ? 403 : 380);
          expect(json.kind).toBe({ refuse: 'refusal', 'emergency-guidance': 'emergency-guidance', 'special-guidance': 'special-guidance' }[d.step]);
          break;
      }
    });
  }

  for (const [name, walk] of INBOUND) {
    it(`inbound ${name}: the JSON nests the walk the TwiML takes step by step`, () => {
      const json = InboundCallAnswer.parse(renderInboundJson(walk, JSON_URLS));
      // The JSON, flattened along onNoAnswer, is the walk; each TwiML step renders the same step.
      const steps: InboundCallAnswer[] = [];
      for (let s: InboundCallAnswer | null = json; s; s = 'onNoAnswer' in s ? (s.onNoAnswer as InboundCallAnswer | null) : null) steps.push(s);
      const kinds = { 'ring-handsets': 'ring', 'ring-other-carrier': 'forward', voicemail: 'voicemail', intercept: 'announce', 'hang-up': 'hang-up' } as const;
      expect(steps.map((s) => s.action)).toEqual(walk.map((d) => kinds[d.step]));
      walk.forEach((d, i) => {
        const tw = twiml(renderInbound(d, URLS));
        const j = steps[i]!;
        if (d.step === 'ring-handsets' && j.action === 'ring') {
          expect(j.targets.map((t) => t.sipUri)).toEqual(d.targets.map((t) => t.sipUri));
          for (const t of d.targets) expect(tw).toContain(t.sipUri);
          expect(j.timeoutSeconds).toBe(d.timeoutSeconds);
        } else if (d.step === 'ring-other-carrier' && j.action === 'forward') {
          expect(j).toMatchObject({ dial: d.dial, callerId: d.callerId, timeoutSeconds: d.timeoutSeconds });
          expect(tw).toContain(d.dial);
        } else if (d.step === 'voicemail' && j.action === 'voicemail') {
          expect(j.maxLengthSeconds).toBe(d.maxLengthSeconds);
          for (const p of d.prompts) expect(tw).toContain(p.text);
          expect(j.prompts.map((p) => p.text)).toEqual(d.prompts.map((p) => p.text));
        } else if (d.step === 'intercept' && j.action === 'announce') {
          expect(j).toMatchObject({ kind: 'intercept', reason: d.reason });
          for (const m of d.messages) expect(tw).toContain(m.text);
        } else {
          throw new Error(`step ${d.step} rendered as ${j.action}`);
        }
      });
    });
  }

  it('refuses to render an empty walk rather than answer nothing', () => {
    expect(() => renderInboundJson([], JSON_URLS)).toThrow(RangeError);
  });
});
