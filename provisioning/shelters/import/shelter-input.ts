import { z } from 'zod';
import { Shelter } from '../../model/shelter.js';
import { ShelterOpenData } from '../../model/api.js';

/** An imported row: the open-data fields every shelter input has, plus the number area derived from its municipality. */
export const ShelterInput = ShelterOpenData.extend({ areaCodes: Shelter.shape.areaCodes });
export type ShelterInput = z.infer<typeof ShelterInput>;

export type ShelterImportRow =
  | { line: number; ok: true; shelter: ShelterInput; warnings: string[] }
  | { line: number; ok: false; reasons: string[]; raw?: Record<string, string> };
