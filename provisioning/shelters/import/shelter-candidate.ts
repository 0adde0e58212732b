/** One CSV row read by column name, before any checking; every layout reads into this. */
export interface ShelterCandidate {
  id: string;
  /** Name of the ID column in this layout, for reasons the author recognises. */
  idColumn: string;
  commonId?: string;
  name: string;
  nameColumn: string;
  kana?: string;
  nameEn?: string;
  /** The code as written, when the layout has a column for it. */
  municipalityCode?: string;
  /** Text naming the municipality (GSI national 都道府県名及び市町村名). */
  municipalityText?: string;
  prefecture?: string;
  municipality?: string;
  district?: string;
  address: string;
  lat: string;
  lon: string;
  capacityText?: string;
  facilityPhone?: string;
}

/** '' becomes undefined so optional fields stay absent rather than blank. */
export function present(value: string): string | undefined {
  return value === '' ? undefined : value;
}
