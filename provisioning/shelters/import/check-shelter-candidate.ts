import {
  designatedCityOf,
  findMunicipalityInAddress,
  findPrefecture,
  findPrefectureInAddress,
  hasWards,
  municipalityByCode,
  validateMunicipalityCode,
  type MunicipalityArea,
  type Prefecture,
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

/** Where a row puts its shelter: a municipality of the table, or a code the table lacks (no area code: 050 lines only). */
interface Placement {
  code: string;
  prefecture?: string;
  municipality?: string;
  areaCodes: string[];
  partial: boolean;
  /** A row of the table: its name is the one to show (the ward, where the row named only the city). */
  inTable: boolean;
}

type AreaLookup = { place: Placement | null; reasons: string[]; warnings: string[] };

const placed = (area: MunicipalityArea, warnings: string[] = []): AreaLookup => ({ place: { ...area, inTable: true }, reasons: [], warnings });
const refused = (reason: string): AreaLookup => ({ place: null, reasons: [reason], warnings: [] });

/** A place the number-area table does not know is imported all the same: it can have 050 lines, never 0AB-J. */
function unknownToTable(place: Omit<Placement, 'areaCodes' | 'partial' | 'inTable'>, what: string): AreaLookup {
  return { place: { ...place, areaCodes: [], partial: false, inTable: false }, reasons: [], warnings: [`${what} is not in the number-area table: only 050 numbers can be assigned, so no line can call 110/118/119`] };
}

/** In a prefecture, its municipality unknown: the prefecture's own code keeps it in that prefecture (short codes, area scopes). */
function inPrefectureOnly(prefecture: Prefecture, municipality: string | undefined, what: string): AreaLookup {
  return unknownToTable({ code: prefecture.governmentCode, prefecture: prefecture.name, municipality }, what);
}

/**
 * A designated city publishes as one city (大阪市) and names the ward only in the address; the
 * table gives each ward its own area codes (大阪市北区 06, not the city's 06|072), so the ward wins.
 */
function narrowedByAddress(area: MunicipalityArea, fromAddress: MunicipalityArea | null): AreaLookup {
  if (!fromAddress || fromAddress.code === area.code) {
    if (!hasWards(area.code)) return placed(area);
    return placed(area, [`the address names no ward of ${area.municipality} in the number-area table: placed in the city (${area.areaCodes.join(', ')})`]);
  }
  if (designatedCityOf(fromAddress.code) === area.code) return placed(fromAddress);
  return placed(area, [`address names ${fromAddress.municipality} (${fromAddress.code}) but the row names ${area.municipality} (${area.code}); using ${area.municipality}`]);
}

function lookUpMunicipality(c: ShelterCandidate, options: CheckOptions): AreaLookup {
  const fromAddress = c.address ? findMunicipalityInAddress(c.address) : null;
  if (c.municipalityCode) {
    const code = c.municipalityCode.normalize('NFKC');
    const check = validateMunicipalityCode(code);
    if (!check.ok) return refused(check.reason);
    const area = municipalityByCode(code);
    if (area) return narrowedByAddress(area, fromAddress);
    const prefecture = findPrefecture(code.slice(0, 2));
    return unknownToTable({ code, prefecture: c.prefecture ?? prefecture?.name, municipality: c.municipality }, `municipality ${code}`);
  }
  if (c.municipalityText) {
    const area = findMunicipalityInAddress(c.municipalityText);
    if (area) return narrowedByAddress(area, fromAddress);
    const what = `municipality "${c.municipalityText}"`;
    if (fromAddress) return placed(fromAddress, [`${what} is not in the number-area table; placed by its address in ${fromAddress.municipality} (${fromAddress.code})`]);
    const prefecture = findPrefectureInAddress(c.municipalityText) ?? findPrefectureInAddress(c.address);
    if (prefecture) return inPrefectureOnly(prefecture, c.municipalityText.normalize('NFKC').replace(prefecture.name, '') || undefined, what);
    return refused(`unknown municipality "${c.municipalityText}": neither it nor the address names a place in Japan we know`);
  }
  if (fromAddress) return placed(fromAddress);
  if (options.municipalityCode) {
    const area = municipalityByCode(options.municipalityCode);
    if (area) return placed(area);
  }
  const prefecture = c.address ? findPrefectureInAddress(c.address) : null;
  if (prefecture) return inPrefectureOnly(prefecture, undefined, `the municipality of "${c.address}"`);
  return refused(c.address ? `cannot tell the municipality from the address "${c.address}"` : 'address and municipality are missing');
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
  if (reasons.length > 0 || !lat.ok || !lon.ok || !looked.place) return { ok: false, reasons };

  const area = looked.place;
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
    municipality: area.inTable ? area.municipality : (c.municipality ?? area.municipality),
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
