import { z } from 'zod';
import { E164, Id, Instant, MunicipalityCode } from './common.js';

export const ShelterDesiredStatus = z.enum(['open', 'closed']);
/** `degraded` (一部障害): fewer working lines than wanted but at least one; `no_line` (回線なし): none works. */
export const ShelterActualStatus = z.enum(['closed', 'opening', 'open', 'degraded', 'no_line', 'closing', 'error']);
export type ShelterActualStatus = z.infer<typeof ShelterActualStatus>;

/** A line of an open shelter: `working` only when its carrier is up and its routing is confirmed. */
export const LineHealth = z.enum(['working', 'down', 'suspended']);
export type LineHealth = z.infer<typeof LineHealth>;

export const ServiceLine = z.object({
  e164: E164,
  carrierId: Id,
  health: LineHealth,
  emergencyCapable: z.boolean(),
  /** Allocated while another line of the shelter was down; kept after recovery by design. */
  replacement: z.boolean(),
});
export type ServiceLine = z.infer<typeof ServiceLine>;

/** What a shelter's lines can do right now; every surface (board, posters, handsets) reads this. */
export const ShelterService = z.object({
  workingLines: z.number().int().nonnegative(),
  wantedLines: z.number().int().nonnegative(),
  /** A working line can place 110/118/119. */
  emergencyCapable: z.boolean(),
  /** The number to publish first: the best working line (the area's 0AB-J before 050). */
  publishedNumber: E164.nullable(),
  lines: z.array(ServiceLine),
  computedAt: Instant,
});
export type ShelterService = z.infer<typeof ShelterService>;

/** What the last printed poster showed, and whether the lines have changed since (reprint). */
export const PosterPrint = z.object({
  printedAt: Instant,
  printedBy: z.string().max(200),
  /** Working numbers in printed order, the published one first. */
  numbers: z.array(E164),
  emergencyCapable: z.boolean(),
  outOfDate: z.boolean(),
});
export type PosterPrint = z.infer<typeof PosterPrint>;

/** A coordinator's "checked in with the shelter now": when (the server's clock) and who. */
export const ShelterCheckIn = z.object({
  at: Instant,
  by: z.string().max(200),
});
export type ShelterCheckIn = z.infer<typeof ShelterCheckIn>;

/** No control characters (a line break is fine in notes): what a person typed, not what a script injected. */
const PLAIN_LINE = /^[^\p{Cc}]*$/u;
const PLAIN_TEXT = /^(?:[^\p{Cc}]|[\r\n])*$/u;
export const ContactName = z.string().trim().max(100).regex(PLAIN_LINE, 'a name is one line without control characters').meta({ examples: ['七尾 花子（施設管理者）'] });
/** A phone number as staff write it (0767-52-0100, 090 1234 5678, +81…): digits, spaces, hyphens, parentheses, a leading +. */
export const ContactPhone = z.string().trim().max(40).regex(/^\+?[0-9 ()\-‐－ー]*$/, 'a phone number has only digits, spaces, hyphens, parentheses and a leading +').meta({ examples: ['090-1234-5678'] });
export const ShelterNotes = z.string().max(2000).regex(PLAIN_TEXT, 'notes are text without control characters (line breaks are fine)').meta({ examples: ['発電機あり。夜間は体育館入口で受付。'] });

/**
 * What the last test call found, from what the carriers said: handsets that rang (or were answered),
 * handsets it did not reach (not registered, carrier down, no word from the carrier, refused), and
 * carriers that cannot place one. A call the carrier only accepted never counts as reached.
 */
export const TestCallSummary = z.object({
  at: Instant,
  by: z.string().max(200),
  reached: z.number().int().nonnegative().default(0),
  notReached: z.number().int().nonnegative().default(0),
  unsupported: z.number().int().nonnegative(),
});
export type TestCallSummary = z.infer<typeof TestCallSummary>;

export const Shelter = z.object({
  /** The open-data ID (自治体標準 `ID`, or GSI `共通ID` when that is all there is). */
  id: Id,
  version: z.number().int().nonnegative().default(0),
  /** GSI 共通ID, when known, so a GSI re-import updates the same row. */
  commonId: z.string().max(64).optional(),
  name: z.string().min(1).max(200),
  kana: z.string().max(200).optional(),
  nameEn: z.string().max(200).optional(),
  municipalityCode: MunicipalityCode,
  prefecture: z.string().max(20).optional(),
  municipality: z.string().max(60).optional(),
  district: z.string().max(100).optional(),
  address: z.string().max(300),
  lat: z.number().min(-90).max(90).nullable(),
  lon: z.number().min(-180).max(180).nullable(),
  /** Persons the site holds, as a number when the open data states one. */
  capacity: z.number().int().nonnegative().nullable().default(null),
  capacityText: z.string().max(300).optional(),
  evacuees: z.number().int().nonnegative().nullable().default(null),
  /** The area codes of the shelter's number area, derived from its municipality. */
  areaCodes: z.array(z.string()).default([]),
  /** An existing landline of the facility (from open data), for reference only. */
  facilityPhone: z.string().max(40).optional(),
  desiredStatus: ShelterDesiredStatus.default('closed'),
  actualStatus: ShelterActualStatus.default('closed'),
  /** Lines wanted while open. */
  lines: z.number().int().min(1).max(10).default(2),
  /** 4-digit network short code while open (kept across re-openings when free). */
  shortCode: z.string().regex(/^\d{4}$/).nullable().default(null),
  currentJobId: Id.nullable().default(null),
  /** Derived from its lines and their carriers' health (numbers/line-health.ts); null while closed. */
  service: ShelterService.nullable().default(null),
  /** Lines allocated to replace lines on a failed carrier: they stay until the shelter closes. */
  replacementLines: z.array(E164).default([]),
  lastPrint: PosterPrint.nullable().default(null),
  /** This shelter's row in the last printed phone directory of its municipality (optional: documents from before it still read). */
  lastDirectoryPrint: PosterPrint.nullable().optional(),
  /** The shelter's contact person on site, kept by coordinators (audited); optional so documents written before it still read. */
  contactName: ContactName.nullable().optional(),
  contactPhone: ContactPhone.nullable().optional(),
  notes: ShelterNotes.nullable().optional(),
  lastCheckIn: ShelterCheckIn.nullable().optional(),
  lastTestCall: TestCallSummary.nullable().optional(),
  /** Indexed copy of `!service.emergencyCapable` for open shelters, so the list can filter on it. */
  noEmergencyLine: z.boolean().default(false),
  openedAt: Instant.nullable().default(null),
  closedAt: Instant.nullable().default(null),
  createdAt: Instant,
  updatedAt: Instant,
});
export type Shelter = z.infer<typeof Shelter>;
