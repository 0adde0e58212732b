import { z } from 'zod';
import { Shelter } from '../../model/shelter.js';

/** The fields of a Shelter that open data supplies; the rest is ours (status, lines, short code). */
export const ShelterInput = Shelter.pick({
  id: true,
  commonId: true,
  name: true,
  kana: true,
  nameEn: true,
  municipalityCode: true,
  prefecture: true,
  municipality: true,
  district: true,
  address: true,
  lat: true,
  lon: true,
  capacity: true,
  capacityText: true,
  facilityPhone: true,
  areaCodes: true,
});
export type ShelterInput = z.infer<typeof ShelterInput>;

export type ShelterImportRow =
  | { line: number; ok: true; shelter: ShelterInput; warnings: string[] }
  | { line: number; ok: false; reasons: string[]; raw?: Record<string, string> };
