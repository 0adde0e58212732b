import type { Handset, PhoneNumber, Shelter } from '../model/index.js';
import type { Page, Reader } from '../store/store.js';
import { allDocuments } from '../store/paging.js';
import { dialledReaches, parseShortCode, prefectureOf } from '../numbers/short-code-scheme.js';
import { DIAL_PLAN_SETTINGS_ID } from '../model/index.js';
import { classifyDialled, splitPresentationPrefix } from './classify-dialled.js';
import { EMPTY_VIEW, type NetworkView, type SipEndpoint, type ViewNumber, type ViewShelter } from './network-view.js';

export interface NetworkLookup {
  /** The number a call came in on (inbound, directory, recorded, status). */
  calledE164?: string;
  /** The SIP user and domain of a calling handset (outbound). */
  sipUsername?: string;
  sipDomain?: string;
  /** A short code dialled or keyed in, in either form (4 digits or 9 + prefecture + code). */
  shortCode?: string;
  /** What a handset dialled (184/186 included): a special or 0570 number, or 184, loads the dial-plan parts the decision reads. */
  dialled?: string;
}

const PAGE = 500;

function toViewNumber(n: PhoneNumber, replacementLines: readonly string[] = []): ViewNumber {
  return { e164: n.e164, carrierId: n.carrierId, kind: n.kind, emergencyCapable: n.emergencyCapable, state: n.state, shelterId: n.shelterId, replacement: replacementLines.includes(n.e164) };
}

function activeEndpoints(h: Handset): SipEndpoint[] {
  if (h.status !== 'active') return [];
  return h.credentials
    .filter((c) => c.state === 'active')
    .map((c) => ({ handsetId: h.id, shelterId: h.shelterId, carrierId: c.carrierId, username: c.username, domain: c.domain.toLowerCase() }));
}

async function viewShelter(store: Reader, shelter: Shelter): Promise<ViewShelter> {
  const [numbers, hold] = await Promise.all([
    allDocuments(store, 'numbers', { where: { shelterId: shelter.id }, limit: PAGE }),
    store.get('fraudHolds', shelter.id),
  ]);
  // A fraud suspension's refusal outranks a reports restriction: it is lifted only by an admin.
  const outboundHold = hold?.refusal ? 'suspension' : hold?.restriction ? 'reports' : null;
  return { id: shelter.id, name: shelter.name, shortCode: shelter.shortCode, prefecture: prefectureOf(shelter.municipalityCode), open: shelter.desiredStatus === 'open', numbers: numbers.map((n) => toViewNumber(n, shelter.replacementLines)), outboundHold };
}

async function findCaller(store: Reader, username: string, domain: string): Promise<SipEndpoint | null> {
  // One indexed lookup: every handset carries its SIP user name at the top level.
  const page: Page<Handset> = await store.query('handsets', { where: { sipUsername: username, status: 'active' }, limit: 5 });
  for (const h of page.items) {
    const hit = activeEndpoints(h).find((e) => e.username === username && e.domain === domain.toLowerCase());
    if (hit) return hit;
  }
  return null;
}

/** The open shelter a dialled code names: at most one holder per prefecture, so one small query. */
async function shelterByShortCode(store: Reader, digits: string, callerPrefecture: string | null): Promise<{ shelter: ViewShelter | null; unique: boolean }> {
  const dialled = parseShortCode(digits);
  if (!dialled) return { shelter: null, unique: false };
  const page = await store.query('shelters', { where: { shortCode: dialled.code, desiredStatus: 'open' }, limit: 100 });
  const unique = page.items.length === 1;
  const shelter = page.items.find((s) => dialledReaches(dialled, { shortCode: s.shortCode, prefecture: prefectureOf(s.municipalityCode) }, callerPrefecture, unique));
  return { shelter: shelter ? await viewShelter(store, shelter) : null, unique };
}

/** The carriers of a shelter's lines and its prefecture's translation rows: what a special number's route (or a withheld number) depends on. */
async function carrierParts(store: Reader, shelter: ViewShelter): Promise<Pick<NetworkView, 'carriers' | 'translations'>> {
  const ids = [...new Set(shelter.numbers.map((n) => n.carrierId))].sort();
  const carriers = await Promise.all(ids.map((id) => store.get('carriers', id)));
  const rows = await store.query('specialNumberTranslations', { where: { prefecture: shelter.prefecture }, limit: 50 });
  return {
    carriers: carriers.flatMap((c) => (c ? [{
      id: c.id, healthy: c.health !== 'down' && !c.manualDown && c.status !== 'withdrawn', specialNumbers: c.specialNumbers ?? [],
      withholdsCallerId: c.kind === 'api' && (c.callControl ?? 'json') === 'json',
    }] : [])),
    translations: rows.items.map((r) => ({ service: r.service, e164: r.e164, source: r.source, sourceDate: r.sourceDate, example: r.example })),
  };
}

/** Reads from the store everything a routing decision may look at, and nothing more. */
export async function loadNetworkView(store: Reader, lookup: NetworkLookup): Promise<NetworkView> {
  const view: NetworkView = { ...EMPTY_VIEW, handsets: [], carriers: [], translations: [], naviDialRefusedPrefixes: [] };
  let shelterId: string | null = null;

  if (lookup.calledE164) {
    const number = await store.get('numbers', lookup.calledE164);
    if (number) {
      view.called = toViewNumber(number);
      view.carrierId = number.carrierId;
      shelterId = number.shelterId;
    }
  }
  if (lookup.sipUsername && lookup.sipDomain) {
    view.caller = await findCaller(store, lookup.sipUsername, lookup.sipDomain);
    if (view.caller) {
      view.carrierId = view.caller.carrierId;
      shelterId ??= view.caller.shelterId;
    }
  }
  if (shelterId) {
    const shelter = await store.get('shelters', shelterId);
    if (shelter) {
      view.shelter = await viewShelter(store, shelter);
      const handsets = await allDocuments(store, 'handsets', { where: { shelterId }, limit: PAGE });
      view.handsets = handsets.flatMap(activeEndpoints);
    }
  }
  const split = lookup.dialled !== undefined ? splitPresentationPrefix(lookup.dialled) : null;
  const dialled = split ? classifyDialled(split.number) : null;
  const special = dialled?.kind === 'special' || (dialled?.kind === 'short-code' && dialled.orService !== undefined);
  if (view.shelter && (special || split?.presentation === 'withheld')) Object.assign(view, await carrierParts(store, view.shelter));
  if (dialled?.kind === 'navi-dial') view.naviDialRefusedPrefixes = (await store.get('dialPlanSettings', DIAL_PLAN_SETTINGS_ID))?.naviDialRefusedPrefixes ?? [];
  if (lookup.shortCode) {
    const found = await shelterByShortCode(store, lookup.shortCode, view.shelter?.prefecture ?? null);
    view.shortCodeShelter = found.shelter;
    view.shortCodeUnique = found.unique;
  }
  return view;
}
