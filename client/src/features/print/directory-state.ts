import type { Shelter } from '../../../../provisioning/model/index.js';

/** A municipality's printed phone directory: when it was last printed, and whether the copy on the wall still tells the truth. */
export interface DirectoryState {
  code: string;
  name: string;
  printedAt: string;
  outOfDate: boolean;
}

/**
 * Pure: each municipality's last printed directory (the latest print any of its shelters records).
 * It is out of date when a row it printed changed (a number stopped working, a shelter closed) or a
 * shelter opened there that it does not list.
 */
type Row = Pick<Shelter, 'municipalityCode' | 'municipality' | 'desiredStatus' | 'lastDirectoryPrint'>;

export function directoryStates(shelters: Iterable<Row>): DirectoryState[] {
  const byCode = new Map<string, Row[]>();
  for (const s of shelters) {
    const list = byCode.get(s.municipalityCode);
    if (list) list.push(s);
    else byCode.set(s.municipalityCode, [s]);
  }
  const states: DirectoryState[] = [];
  for (const [code, list] of byCode) {
    const printedAt = list.reduce<string | null>((latest, s) => (s.lastDirectoryPrint && (!latest || s.lastDirectoryPrint.printedAt > latest) ? s.lastDirectoryPrint.printedAt : latest), null);
    if (!printedAt) continue;
    const outOfDate = list.some((s) => (s.lastDirectoryPrint?.printedAt === printedAt ? s.lastDirectoryPrint.outOfDate : s.desiredStatus === 'open'));
    states.push({ code, name: list.find((s) => s.municipality)?.municipality ?? code, printedAt, outOfDate });
  }
  return states;
}
