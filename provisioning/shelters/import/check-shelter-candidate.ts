import {
  findMunicipalityInAddress,
  municipalityByCode,
  validateMunicipalityCode,
  type MunicipalityArea,
} from '../../numbers/number-areas.js';
import { parseCapacity } from './parse-capacity.js';
import { parseCoordinate } from './parse-coordinate.js';
import type { ShelterCandidate } from './shelter-candidate.js';
import { ShelterInput } from './shelter-input.js';

export type CandidateCheck =
  | { ok: true; shelter: ShelterInput; warnings: string[] }
  | { ok: false; reasons: string[] };

export interface CheckOptions {
  /** For a per-municipality GSI file whose addresses omit the city. */
  municipalityCode?: string;
}

type AreaLookup = { area: MunicipalityArea | null; reasons: string[]; warnings: string[] };

function lookUpMunicipality(c: ShelterCandidate, options: CheckOptions): AreaLookup {
  const fromAddress = c.address ? findMunicipalityInAddress(c.address) : null;
  if (c.municipalityCode) {
    const code = c.municipalityCode.normalize('NFKC');
    const check = validateMunicipalityCode(code);
    if (!check.ok) return { area: null, reasons: [check.reason], warnings: [] };
    const area = municipalityByCode(code);
    if (!area) return { area: null, reasons: [`municipality ${code} is not in the number-area data`], warnings: [] };
    const warnings =
      fromAddress && fromAddress.code !== area.code
        ? [`address names ${fromAddress.municipality} (${fromAddress.code}) but the code is ${area.code}; using the code`]
        : [];
    return { area, reasons: [], warnings };
  }
  if (c.municipalityText) {
    const area = findMunicipalityInAddress(c.municipalityText);
    if (area) return { area, reasons: [], warnings: [] };
    return { area: null, reasons: [`unknown municipality "${c.municipalityText}"`], warnings: [] };
  }
  if (fromAddress) return { area: fromAddress, reasons: [], warnings: [] };
  if (options.municipalityCode) {
    const area = municipalityByCode(options.municipalityCode);
    if (area) return { area, reasons: [], warnings: [] };
  }
  return {
    area: null,
    reasons: [c.address ? `cannot tell the municipality from the address "${c.address}"` : 'address and municipality are missing'],
    warnings: [],
  };
}

/** Checks one row: what is wrong becomes reasons, what is odd but usable becomes warnings. */
export function checkShelterCandidate(c: ShelterCandidate, options: CheckOptions = {}): CandidateCheck {
  const reasons: string[] = [];
  const warnings: string[] = [];
  if (!c.id) reasons.push(`${c.idColumn} is missing`);
  if (!c.name) reasons.push(`${c.nameColumn} is missing`);
  const lat = parseCoordinate(c.lat, 'lat', '緯度');
  const lon = parseCoordinate(c.lon, 'lon', '経度');
  if (!lat.ok) reasons.push(lat.reason);
  if (!lon.ok) reasons.push(lon.reason);
  const looked = lookUpMunicipality(c, options);
  reasons.push(...looked.reasons);
  warnings.push(...looked.warnings);
  if (reasons.length > 0 || !lat.ok || !lon.ok || !looked.area) return { ok: false, reasons };

  const area = looked.area;
  if (lat.value === null || lon.value === null) warnings.push('緯度/経度 missing: the shelter has no map position');
  if (area.partial && area.areaCodes.length > 1) {
    warnings.push(`${area.municipality} spans several number areas (${area.areaCodes.join(', ')}): the street address decides`);
  }
  const parsed = ShelterInput.safeParse({
    id: c.id,
    commonId: c.commonId,
    name: c.name,
    kana: c.kana,
    nameEn: c.nameEn,
    municipalityCode: area.code,
    prefecture: c.prefecture ?? area.prefecture,
    municipality: c.municipality ?? area.municipality,
    district: c.district,
    address: c.address,
    lat: lat.value,
    lon: lon.value,
    capacity: parseCapacity(c.capacityText),
    capacityText: c.capacityText,
    facilityPhone: c.facilityPhone,
    areaCodes: area.areaCodes,
  });
  if (!parsed.success) {
    return { ok: false, reasons: parsed.error.issues.map((i) => `${i.path.join('.') || 'row'}: ${i.message}`) };
  }
  return { ok: true, shelter: parsed.data, warnings };
}
