import type { Actor, Shelter, ShelterInput } from '../model/index.js';
import type { Store, Transaction } from '../store/store.js';
import { appendAudit } from '../audit/audit-log.js';
import { forbidden, invalid, notFound } from '../errors.js';
import { inScope, pageInArea, type Scoped } from '../access/area-scope.js';
import { areaCodesForMunicipality, isValidMunicipalityCode } from '../numbers/number-areas.js';
import { MalformedCsvError, UnknownCsvLayoutError, parseShelterCsv } from './import/index.js';
import { publicHandset } from '../handsets/public-handset.js';
import { isLineOf, lineHealth, shelterService } from '../numbers/line-health.js';
import { bumpedAt } from '../store/versioned.js';

/** The open-data fields of a shelter; status, lines in use and short code belong to us. */
const DATA_FIELDS = ['commonId', 'name', 'kana', 'nameEn', 'municipalityCode', 'prefecture', 'municipality', 'district', 'address', 'lat', 'lon', 'capacity', 'capacityText', 'evacuees', 'facilityPhone', 'lines'] as const;

function merge(before: Shelter | null, input: ShelterInput, at: Date): Shelter {
  const stamp = at.toISOString();
  const base: Shelter = before ?? {
    id: input.id, version: -1, name: input.name, municipalityCode: input.municipalityCode, address: input.address,
    lat: null, lon: null, capacity: null, evacuees: null, areaCodes: [], desiredStatus: 'closed', actualStatus: 'closed',
    lines: 2, shortCode: null, currentJobId: null, service: null, replacementLines: [], lastPrint: null, noEmergencyLine: false, openedAt: null, closedAt: null, createdAt: stamp, updatedAt: stamp,
  };
  const next: Shelter = { ...base };
  for (const f of DATA_FIELDS) {
    if (input[f] !== undefined) (next as Record<string, unknown>)[f] = input[f];
  }
  next.areaCodes = areaCodesForMunicipality(next.municipalityCode);
  return next;
}

function changed(before: Shelter | null, next: Shelter): boolean {
  if (!before) return true;
  return DATA_FIELDS.some((f) => JSON.stringify(before[f]) !== JSON.stringify(next[f])) || JSON.stringify(before.areaCodes) !== JSON.stringify(next.areaCodes);
}

function upsertIn(tx: Transaction, before: Shelter | null, input: ShelterInput, ctx: { actor: Actor; at: Date; action: string }): { shelter: Shelter; status: 'created' | 'updated' | 'unchanged' } {
  const next = merge(before, input, ctx.at);
  if (!changed(before, next)) return { shelter: before!, status: 'unchanged' };
  next.version = (before?.version ?? -1) + 1;
  next.updatedAt = ctx.at.toISOString();
  tx.put('shelters', next);
  appendAudit(tx, {
    at: ctx.at, actor: ctx.actor, action: ctx.action, entity: { collection: 'shelters', id: next.id },
    before: before ? { name: before.name, address: before.address, capacity: before.capacity } : null,
    after: { name: next.name, address: next.address, capacity: next.capacity, areaCodes: next.areaCodes },
  });
  return { shelter: next, status: before ? 'updated' : 'created' };
}

function checkMunicipality(code: string): string[] {
  if (!isValidMunicipalityCode(code)) return [`municipality code ${code} fails its check digit`];
  return [];
}

/** Said the same whether the row or the shelter already stored under its id lies elsewhere. */
const OUTSIDE_AREA = 'outside the area this token is limited to';

export async function upsertShelter(store: Store, input: ShelterInput, ctx: Scoped & { actor: Actor; at: Date }) {
  const problems = checkMunicipality(input.municipalityCode);
  if (problems.length) throw invalid(problems[0]!, { fields: ['municipalityCode'] });
  if (!inScope(ctx, input)) throw forbidden(`shelter ${input.id} is ${OUTSIDE_AREA}`);
  const result = await store.transaction(async (tx) => {
    const before = await tx.get('shelters', input.id);
    // Writing it would move another area's shelter into this one.
    if (before && !inScope(ctx, before)) throw forbidden(`shelter ${input.id} is ${OUTSIDE_AREA}`);
    return upsertIn(tx, before, input, { ...ctx, action: 'shelter.upsert' });
  });
  const warnings = result.shelter.areaCodes.length ? [] : [`no number area is known for municipality ${input.municipalityCode}: only 050 numbers can be assigned`];
  return { ...result, warnings };
}

export type ImportRowReport =
  | { line: number; id: string; status: 'created' | 'updated' | 'unchanged'; warnings: string[]; municipalityCode: string; areaCodes: string[] }
  | { line: number; id?: string; status: 'rejected'; reasons: string[] };

const IMPORT_CHUNK = 100;

/** A file we cannot read at all is the caller's mistake (400), not ours. */
function readShelterCsv(csv: Buffer) {
  try {
    return parseShelterCsv(csv);
  } catch (err) {
    if (err instanceof UnknownCsvLayoutError) throw invalid(err.message, { expected: err.expected });
    if (err instanceof MalformedCsvError) throw invalid(err.message, err.line === undefined ? {} : { line: err.line });
    throw err;
  }
}

/** Imports open data (自治体標準 or GSI layouts); re-importing updates rows in place by their ID. A caller limited to an area imports only rows there. */
export async function importShelters(store: Store, csv: Buffer, ctx: Scoped & { actor: Actor; at: Date }) {
  const parsed = readShelterCsv(csv);
  const report: ImportRowReport[] = [];
  const good: { line: number; input: ShelterInput; warnings: string[] }[] = [];
  const seen = new Map<string, number>();
  for (const row of parsed.rows) {
    if (!row.ok) {
      report.push({ line: row.line, status: 'rejected', reasons: row.reasons });
      continue;
    }
    const input = row.shelter as ShelterInput;
    const problems = checkMunicipality(input.municipalityCode);
    const dup = seen.get(input.id);
    if (dup !== undefined) problems.push(`ID ${input.id} already appears on line ${dup}`);
    if (!inScope(ctx, input)) problems.push(`${input.prefecture ?? ''}${input.municipality ?? input.municipalityCode} is ${OUTSIDE_AREA}`);
    if (problems.length) {
      report.push({ line: row.line, id: input.id, status: 'rejected', reasons: problems });
      continue;
    }
    seen.set(input.id, row.line);
    good.push({ line: row.line, input, warnings: row.warnings });
  }
  for (let i = 0; i < good.length; i += IMPORT_CHUNK) {
    const chunk = good.slice(i, i + IMPORT_CHUNK);
    const done = await store.transaction(async (tx) => {
      const befores = await Promise.all(chunk.map((g) => tx.get('shelters', g.input.id)));
      return chunk.map((g, j): ImportRowReport => {
        const before = befores[j] ?? null;
        if (before && !inScope(ctx, before)) return { line: g.line, id: g.input.id, status: 'rejected', reasons: [`shelter ${g.input.id} is ${OUTSIDE_AREA}`] };
        const { shelter, status } = upsertIn(tx, before, g.input, { ...ctx, action: 'shelter.import' });
        // The parser already warned of a municipality without a number area, with the reason.
        return { line: g.line, id: shelter.id, status, warnings: g.warnings, municipalityCode: shelter.municipalityCode, areaCodes: shelter.areaCodes };
      });
    });
    report.push(...done);
  }
  report.sort((a, b) => a.line - b.line);
  const count = (s: string) => report.filter((r) => r.status === s).length;
  return {
    layout: parsed.layout,
    encoding: parsed.encoding,
    counts: { rows: report.length, created: count('created'), updated: count('updated'), unchanged: count('unchanged'), rejected: count('rejected') },
    areas: areasOf(report),
    rows: report,
  };
}

/** Accepted rows per number area, most first (ties by code); `[]` counts the rows with no area code, 050 only. */
function areasOf(report: ImportRowReport[]): { areaCodes: string[]; shelters: number }[] {
  const byArea = new Map<string, { areaCodes: string[]; shelters: number }>();
  for (const row of report) {
    if (row.status === 'rejected') continue;
    const key = row.areaCodes.join('|');
    const entry = byArea.get(key) ?? { areaCodes: row.areaCodes, shelters: 0 };
    entry.shelters += 1;
    byArea.set(key, entry);
  }
  // Ties in code order, 050 only last.
  const order = (a: { areaCodes: string[] }) => a.areaCodes.join('|') || '~';
  return [...byArea.values()].sort((a, b) => b.shelters - a.shelters || (order(a) < order(b) ? -1 : order(a) > order(b) ? 1 : 0));
}

export async function listShelters(store: Store, q: { desiredStatus?: 'open' | 'closed'; municipalityCode?: string; service?: 'degraded' | 'no_line' | 'no_emergency'; limit?: number; cursor?: string | null }, who: Scoped = {}) {
  const where: Record<string, string | boolean> = {};
  if (q.desiredStatus) where.desiredStatus = q.desiredStatus;
  // Service filters read what the carrier-health flow wrote: status for lines, the indexed flag for 110/118/119.
  if (q.service === 'degraded' || q.service === 'no_line') where.actualStatus = q.service;
  if (q.service === 'no_emergency') Object.assign(where, { desiredStatus: 'open', noEmergencyLine: true });
  if (q.municipalityCode) where.municipalityCode = q.municipalityCode;
  return pageInArea(store, who, 'shelters', { where, limit: q.limit, cursor: q.cursor ?? null });
}

/** One shelter with what the board shows beside it: numbers, handsets (no secrets), its job. */
export async function getShelterDetail(store: Store, id: string) {
  const shelter = await store.get('shelters', id);
  if (!shelter) throw notFound('shelter', id);
  const [numbers, handsets, job, carrierPage] = await Promise.all([
    store.query('numbers', { where: { shelterId: id }, limit: 50 }),
    store.query('handsets', { where: { shelterId: id }, limit: 200 }),
    shelter.currentJobId ? store.get('jobs', shelter.currentJobId) : Promise.resolve(null),
    store.query('carriers', { limit: 1000 }),
  ]);
  const carriers = new Map(carrierPage.items.map((c) => [c.id, c]));
  return {
    ...shelter,
    // Computed by the same function the carrier-health flow writes with, from what is true now.
    service: shelter.desiredStatus === 'open' ? shelterService(shelter, numbers.items, carriers, new Date(shelter.updatedAt)) : null,
    numbers: numbers.items.map((n) => ({ ...n, health: isLineOf(n, id) ? lineHealth(n, carriers.get(n.carrierId)) : null })),
    handsets: handsets.items.map(publicHandset),
    job: job ? jobProgress(job) : null,
  };
}

export function jobProgress(job: { id: string; kind: string; status: string; steps: { status: string }[]; errors: unknown[] }) {
  const done = job.steps.filter((s) => s.status === 'done' || s.status === 'skipped').length;
  return { id: job.id, kind: job.kind, status: job.status, stepsDone: done, stepsTotal: job.steps.length, errors: job.errors.length };
}

/** A coordinator (or the drill replay) updates the evacuee count or the lines wanted; open-data fields stay as imported. */
export async function patchShelter(store: Store, id: string, patch: { evacuees?: number | null; lines?: number }, ctx: { actor: Actor; at: Date }) {
  return store.transaction(async (tx) => {
    const before = await tx.get('shelters', id);
    if (!before) throw notFound('shelter', id);
    const next = bumpedAt(before, ctx.at, patch);
    tx.put('shelters', next);
    appendAudit(tx, {
      at: ctx.at, actor: ctx.actor, action: 'shelter.patch', entity: { collection: 'shelters', id },
      before: { evacuees: before.evacuees, lines: before.lines }, after: { evacuees: next.evacuees, lines: next.lines },
    });
    return next;
  });
}
