import { z } from 'zod';
import { Id, Instant, MunicipalityCode } from './common.js';

export const ShelterDesiredStatus = z.enum(['open', 'closed']);
export const ShelterActualStatus = z.enum(['closed', 'opening', 'open', 'degraded', 'closing', 'error']);
export type ShelterActualStatus = z.infer<typeof ShelterActualStatus>;

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
  openedAt: Instant.nullable().default(null),
  closedAt: Instant.nullable().default(null),
  createdAt: Instant,
  updatedAt: Instant,
});
export type Shelter = z.infer<typeof Shelter>;
