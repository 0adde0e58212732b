import { z } from 'zod';
import { Id, Instant, MunicipalityCode } from './common.js';
import { CarrierCapacity, CarrierKind, CarrierStatus, Certifications, Contact, MaxCallSeconds } from './carrier.js';
import { CallControl } from './call-decision.js';
import { NumberState } from './phone-number.js';
import { Role } from './audit-event.js';
import { HandsetVendor } from './handset.js';
import { ContactName, ContactPhone, Shelter, ShelterNotes } from './shelter.js';
import { PrefectureCode, SpecialNumber, TranslatableSpecialNumber } from './dial-plan.js';

/**
 * Request bodies of the v1 API. Strict: an unknown field is an error, so a typo never passes
 * silently. The board imports these types too.
 */
export const Slug = z.string().regex(/^[a-z0-9][a-z0-9-]{1,39}$/, 'lower-case letters, digits and hyphens, 2–40 characters');

export const TwilioCredentialsInput = z.strictObject({
  accountSid: z.string().regex(/^AC[0-9a-f]{32}$/, 'expected a Twilio account SID (AC + 32 hex)'),
  authToken: z.string().min(16).max(128),
  apiBaseUrl: z.url().max(300).optional(),
});

export const RegisterCarrierInput = z
  .strictObject({
    id: Slug.optional(),
    name: z.string().min(1).max(200),
    kind: CarrierKind,
    certifications: Certifications,
    capacity: CarrierCapacity.optional(),
    contact: Contact.optional(),
    lendingChain: z.array(z.string().min(1).max(200)).max(20).optional(),
    twilio: TwilioCredentialsInput.optional(),
    /** Special numbers (171, #7119, …) the member's lines can dial; an admin may change them later. */
    specialNumbers: z.array(SpecialNumber).max(20).optional(),
    callControl: CallControl.optional().describe('api members: `json` (default) asks the call-decision API per call; `twiml` for Twilio-compatible platforms. A twilio member always takes TwiML.'),
    maxCallSeconds: MaxCallSeconds.optional(),
  })
  .refine((c) => (c.kind === 'twilio') === (c.twilio !== undefined), {
    message: 'a twilio carrier needs `twilio` credentials, and only a twilio carrier may have them',
    path: ['twilio'],
  })
  .refine((c) => c.kind === 'api' || c.callControl !== 'json', { message: 'a twilio carrier takes calls by TwiML only', path: ['callControl'] })
  // The refinement above, said in JSON Schema for the document.
  .meta({
    description: 'A twilio carrier needs `twilio` credentials, and only a twilio carrier may have them.',
    oneOf: [
      { properties: { kind: { const: 'twilio' } }, required: ['kind', 'twilio'] },
      { properties: { kind: { const: 'api' } }, not: { required: ['twilio'] } },
    ],
    examples: [{ id: 'kaga-cloud', name: 'Kaga Cloud Phone', kind: 'api', certifications: { etoc: { status: 'certified', id: 'ETOC-0001', validUntil: '2030-01-01T00:00:00.000Z' }, numberUsePlan: { id: 'NUP-0001', validUntil: '2030-01-01T00:00:00.000Z' } } }],
  });
export type RegisterCarrierInput = z.infer<typeof RegisterCarrierInput>;

export const UpdateCarrierInput = z.strictObject({
  name: z.string().min(1).max(200).optional(),
  certifications: Certifications.optional(),
  capacity: CarrierCapacity.optional(),
  contact: Contact.optional(),
  status: CarrierStatus.optional(),
  statusReason: z.string().max(500).optional(),
  lendingChain: z.array(z.string().min(1).max(200)).max(20).optional(),
  twilio: TwilioCredentialsInput.optional(),
  callControl: CallControl.optional(),
  maxCallSeconds: MaxCallSeconds.optional(),
  /** A coordinator marks a carrier down (or up again) by hand. */
  manualDown: z.boolean().optional(),
  healthReason: z.string().max(500).optional(),
})
  .refine((p) => Object.keys(p).length > 0, { message: 'send at least one field to change' })
  .meta({ minProperties: 1, description: 'At least one field. A coordinator may send only manualDown and healthReason.' });
export type UpdateCarrierInput = z.infer<typeof UpdateCarrierInput>;

/** An admin declares which special numbers a carrier's lines can dial (replaces the list; audited). */
export const SetCarrierSpecialNumbersInput = z.strictObject({
  specialNumbers: z.array(SpecialNumber).max(20).refine((l) => new Set(l).size === l.length, { message: 'list each special number once' }),
  reason: z.string().min(1).max(500).optional(),
}).meta({ examples: [{ specialNumbers: ['171', '188', '189', '#7119'], reason: 'member confirmed its 0AB-J lines reach these' }] });
export type SetCarrierSpecialNumbersInput = z.infer<typeof SetCarrierSpecialNumbersInput>;

/** Coordinators keep the 0570 prefixes shelter phones may not call (replaces the list; audited). */
export const NaviDialSettingsInput = z.strictObject({
  refusedPrefixes: z.array(z.string().min(4).max(20).describe('0570 and up to 6 more digits; hyphens and spaces are ignored')).max(500),
}).meta({ examples: [{ refusedPrefixes: ['0570-000'] }] });
export type NaviDialSettingsInput = z.infer<typeof NaviDialSettingsInput>;

/** A number as a caller writes it: national or E.164; the server normalises it. */
export const NumberText = z.string().min(1).max(40)
  .describe('a Japanese number, national (0767-52-0959, 050-1234-5678) or E.164 (+81767520959); hyphens, spaces and parentheses are ignored')
  .meta({ examples: ['0767-52-0959'] });
/** A number in a path: E.164 (+ as %2B) or national digits. */
export const E164Param = z.string().min(1).max(40)
  .describe('the number, E.164 (+81767520959, + written %2B) or national (0767520959)')
  .meta({ examples: ['+81767520959'] });

export const LendNumberRow = z.strictObject({
  number: NumberText,
  emergencyCapable: z.boolean().optional(),
});
export const LendNumbersInput = z.strictObject({
  numbers: z.array(LendNumberRow).min(1).max(10_000),
});
export type LendNumbersInput = z.infer<typeof LendNumbersInput>;

export const MintTokenInput = z.strictObject({
  label: z.string().min(1).max(200),
  role: Role,
  carrierId: Id.optional(),
  scope: z.strictObject({
    prefectures: z.array(z.string().trim().min(1).max(20)).max(47).optional().describe('each a JIS code (22) or a name (静岡県)'),
    municipalities: z.array(z.string().trim().min(1).max(40)).max(500).optional().describe('each a 6- or 5-digit 全国地方公共団体コード (221007, 22100) or a name, with its prefecture when two share it (静岡市, 東京都府中市); a designated city includes its wards'),
  }).optional().describe('limits a coordinator or viewer token to these places: it sees and acts on only their shelters (and their numbers, handsets, jobs, alerts, calls); omitted: everywhere'),
});

/** The fields of a shelter that open data (or a coordinator) supplies; status, short code and lines in use are ours. */
export const ShelterOpenData = Shelter.pick({
  id: true, commonId: true, name: true, kana: true, nameEn: true, municipalityCode: true, prefecture: true, municipality: true,
  district: true, address: true, lat: true, lon: true, capacity: true, capacityText: true, evacuees: true, facilityPhone: true, lines: true,
}).partial({ capacity: true, evacuees: true, lines: true });

export const ShelterInput = ShelterOpenData.strict();
export type ShelterInput = z.infer<typeof ShelterInput>;

/** What changes while a shelter runs: how many people are there, how many lines it wants. */
export const PatchShelterInput = z.strictObject({
  evacuees: z.number().int().nonnegative().nullable().optional(),
  lines: z.number().int().min(1).max(10).optional(),
}).refine((p) => p.evacuees !== undefined || p.lines !== undefined, { message: 'send evacuees or lines' })
  .meta({ minProperties: 1, description: 'At least one of evacuees and lines.' });

/** Who takes an alert on: a person's name; null (or empty) takes the assignment off. */
export const AssignAlertInput = z.strictObject({
  assignee: ContactName.nullable().meta({ examples: ['七尾市災害対策本部 山田'] }),
});
export type AssignAlertInput = z.infer<typeof AssignAlertInput>;

/** A coordinator edits the shelter's contact person and notes; null (or an empty string) clears a field. */
export const ShelterContactInput = z.strictObject({
  contactName: ContactName.nullable().optional().meta({ examples: ['七尾 花子（施設管理者）'] }),
  contactPhone: ContactPhone.nullable().optional().meta({ examples: ['090-1234-5678'] }),
  notes: ShelterNotes.nullable().optional().meta({ examples: ['発電機あり。夜間は体育館入口で受付。'] }),
}).refine((p) => p.contactName !== undefined || p.contactPhone !== undefined || p.notes !== undefined, { message: 'send contactName, contactPhone or notes' })
  .meta({ minProperties: 1, description: 'At least one of contactName, contactPhone and notes.' });
export type ShelterContactInput = z.infer<typeof ShelterContactInput>;

export const OpenShelterInput = z.strictObject({
  lines: z.number().int().min(1).max(10).optional(),
  evacuees: z.number().int().nonnegative().nullable().optional(),
  reason: z.string().max(500).optional(),
});
export const CloseShelterInput = z.strictObject({ reason: z.string().max(500).optional() });

const DESK_PHONES = HandsetVendor.options.filter((v) => v !== 'softphone');
export const RegisterHandsetInput = z.strictObject({
  mac: z.string().min(1).max(40).optional()
    .describe('the MAC address, 12 hex digits with or without separators (00:15:65:aa:bb:cc, 001565AABBCC); required for desk phones, ignored for a softphone')
    .meta({ examples: ['00:15:65:aa:bb:cc'] }),
  vendor: HandsetVendor,
  label: z.string().max(100).optional(),
}).meta({
  description: 'A desk phone (yealink, grandstream, polycom) needs `mac`; a softphone gets a generated identity.',
  if: { properties: { vendor: { enum: DESK_PHONES } }, required: ['vendor'] },
  then: { required: ['mac'] },
  examples: [{ vendor: 'yealink', mac: '00:15:65:aa:bb:cc', label: 'reception desk' }],
});

export const SuspensionInput = z.strictObject({
  number: NumberText,
  reason: z.string().min(1).max(2000),
  requestId: z.string().min(1).max(128).optional(),
  /**
   * Used for fraud: the handsets that called on the number in `window` (default: the 24 h before
   * the request) are revoked, and its shelter gets no new outbound line until an admin review.
   */
  fraud: z.boolean().optional(),
  window: z.strictObject({ from: z.iso.datetime({ offset: true }), to: z.iso.datetime({ offset: true }) }).optional(),
});
export const LiftSuspensionInput = z.strictObject({ reason: z.string().min(1).max(2000) });

export const WorkOrderResultInput = z.strictObject({
  status: z.enum(['done', 'failed']),
  detail: z.string().max(2000).optional(),
});

export const BulkOpenInput = z.strictObject({ ids: z.array(Id).min(1).max(5000), lines: z.number().int().min(1).max(10).optional(), reason: z.string().max(500).optional() });
export const CarrierHealthInput = z.strictObject({ down: z.boolean(), reason: z.string().min(1).max(500) });
export const SessionInput = z.strictObject({ token: z.string().min(16).max(256) });

/** The shelter CSV layouts the import reads, for the document (shelters/import/shelter-csv-layout.ts detects them). */
export const SHELTER_CSV_DESCRIPTION = [
  'text/csv, UTF-8 (with or without BOM) or Shift_JIS, up to 5 MB; the layout is detected from the header row:',
  '- 自治体標準 (municipal standard, 指定緊急避難場所・指定避難所データ): needs ID, 名称, 緯度, 経度 and one of 所在地_全国地方公共団体コード / 全国地方公共団体コード / 所在地_連結表記 / 住所; also reads 名称_カナ, 名称_英字, 所在地_都道府県, 所在地_市区町村, 電話番号, 想定収容人数.',
  '- GSI per municipality: NO,共通ID,施設・場所名,住所,洪水,崖崩れ、土石流及び地滑り,高潮,地震,津波,大規模な火事,内水氾濫,火山現象,指定避難所との住所同一,緯度,経度,備考.',
  '- GSI national merged file: the same with 都道府県名及び市町村名 after 共通ID (the 指定避難所 file has 指定緊急避難場所との住所同一, その他市町村長が必要と認める事項, 受入対象者 instead of the hazard columns: only the columns named above are read).',
  'Designated cities publish as one city: a shelter is placed in the ward its address names (the ward has its own area codes). A municipality the number-area table does not know is imported with a warning and no area code (050 lines only; in its prefecture when only that is known).',
  'Quoted fields may contain newlines. Each row is created, updated, unchanged or rejected with its reasons; a municipality code whose check digit is wrong rejects its row. `areas` counts the accepted rows per area code(s). An unknown header answers 400 with `expected` (the columns each layout needs).',
].join('\n');

export const ListQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(1000).optional(),
  cursor: z.string().max(500).optional(),
});
export const NumbersQuery = ListQuery.extend({
  state: NumberState.optional(),
  carrierId: Id.optional(),
  shelterId: Id.optional(),
});
export const SheltersQuery = ListQuery.extend({
  desiredStatus: z.enum(['open', 'closed']).optional(),
  municipalityCode: MunicipalityCode.optional(),
  /** Shelters whose lines fall short: fewer than wanted, none working, or none that can call 110/118/119. */
  service: z.enum(['degraded', 'no_line', 'no_emergency']).optional(),
});
export const AuditQuery = ListQuery.extend({
  format: z.enum(['json', 'csv']).optional(),
  action: z.string().max(100).regex(/^[a-z_]+(?:[.-][a-z_]+)*$/, 'an action code such as shelter.open').optional().meta({ examples: ['shelter.open'] }),
  actor: z.string().max(128).regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'an actor id (a token id, or system)').optional().describe('who: the id of the token that acted (GET /api/v1/tokens), or `system`'),
  shelterId: Id.optional().describe('events about this shelter, its numbers and its handsets'),
  from: Instant.optional().describe('at or after this instant'),
  to: Instant.optional().describe('at or before this instant'),
}).refine((q) => !q.from || !q.to || Date.parse(q.from) <= Date.parse(q.to), { message: 'from must not be after to', path: ['from'] });

/** Posters about to be printed: the server records what each one shows. */
/** Posters of the shelters named, or the phone directory of one municipality (every shelter open there). */
export const RecordPrintInput = z.union([
  z.strictObject({ shelterIds: z.array(Id).min(1).max(2000) }),
  z.strictObject({ municipalityCode: MunicipalityCode.describe('the municipality whose shelter phone directory is printed') }),
]);
export type RecordPrintInput = z.infer<typeof RecordPrintInput>;
export type OpenShelterInput = z.infer<typeof OpenShelterInput>;
export type CloseShelterInput = z.infer<typeof CloseShelterInput>;
export type BulkOpenInput = z.infer<typeof BulkOpenInput>;
/** Drill mode only: move the drill's calendar forward (e.g. to show aging end) and run maintenance on it. */
export const AdvanceDrillClockInput = z.strictObject({ advanceDays: z.number().positive().max(366) });
export type AdvanceDrillClockInput = z.infer<typeof AdvanceDrillClockInput>;
export type CarrierHealthInput = z.infer<typeof CarrierHealthInput>;
export type RegisterHandsetInput = z.infer<typeof RegisterHandsetInput>;
export type SuspensionInput = z.infer<typeof SuspensionInput>;

/** One row of the special-number translation table (admin): the regional centre's ordinary number, with its source. */
export const PutSpecialNumberTranslationInput = z.strictObject({
  service: TranslatableSpecialNumber,
  prefecture: PrefectureCode,
  number: NumberText,
  source: z.string().min(1).max(500).describe('where the number was read, e.g. the prefecture’s web page address'),
  sourceDate: z.iso.date().describe('the day it was read (YYYY-MM-DD)').meta({ examples: ['2026-11-30'] }),
  example: z.boolean().optional().describe('true for an illustrative drill row, not a real centre'),
}).meta({ examples: [{ service: '#7119', prefecture: '17', number: '076-222-0000', source: 'https://www.pref.example.jp/7119', sourceDate: '2026-11-30' }] });
export type PutSpecialNumberTranslationInput = z.infer<typeof PutSpecialNumberTranslationInput>;
