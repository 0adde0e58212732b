import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseOpenShelterSnapshot, type OpenShelterRow, type OpenShelterSnapshot } from '../../provisioning/shelters/import/index.js';
import type { Page, Shelter } from '../../provisioning/model/index.js';
import { pagesOf } from '../../provisioning/store/paging.js';
import type { ApiClient } from './api-client.js';

const NANAO = '172022';
const DAY_MS = 86_400_000;

export interface SnapshotApplied {
  index: number;
  file: string;
  takenAt: string;
  /** Shelters open in this snapshot (and so desired open now). */
  open: Set<string>;
  opened: string[];
  closed: string[];
  created: string[];
}

export interface ReplayOptions {
  api: ApiClient;
  historyDir: string;
  /** Simulated days per real second; 0 (or Infinity) = as fast as the jobs complete. */
  speed: number;
  /** Moves the orchestrator's clock to each snapshot's moment (aging follows the calendar). */
  moveClockTo?: (at: Date) => void;
  /** Waits until the jobs of the snapshot just applied are done (at max speed, before the next one). */
  settle: () => Promise<void>;
  /** Only snapshots taken before this many days after the first one. */
  days?: number;
  onSnapshot?: (s: SnapshotApplied) => Promise<void> | void;
  signal?: AbortSignal;
}

/** The snapshot files of a history folder in time order (their names carry the time). */
export function listSnapshotFiles(historyDir: string): string[] {
  return readdirSync(historyDir).filter((f) => /^open_shelter_.+\.csv$/.test(f)).sort().map((f) => join(historyDir, f));
}

export function readSnapshot(file: string): OpenShelterSnapshot {
  return parseOpenShelterSnapshot(readFileSync(file), file);
}

async function listAllShelters(api: ApiClient): Promise<Map<string, Shelter>> {
  const all = new Map<string, Shelter>();
  const pages = pagesOf(async (cursor) => {
    const q = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
    return (await api.call<Page<Shelter>>('GET', `/api/v1/shelters?limit=1000${q}`)).body;
  });
  for await (const items of pages) for (const s of items) all.set(s.id, s);
  return all;
}

/** A snapshot row the reference list lacks (NEW001…) becomes a shelter from what the row says. */
function shelterInputFromRow(row: OpenShelterRow, known?: Shelter) {
  return {
    id: row.id,
    name: row.name,
    municipalityCode: row.municipalityCode ?? known?.municipalityCode ?? NANAO,
    address: row.address ?? known?.address ?? '',
    lat: row.lat ?? known?.lat ?? null,
    lon: row.lon ?? known?.lon ?? null,
    ...(row.kana ? { kana: row.kana } : {}),
    ...(row.nameEn ? { nameEn: row.nameEn } : {}),
    ...(row.district ? { district: row.district } : {}),
    ...(row.capacity !== null ? { capacity: row.capacity } : {}),
    evacuees: row.evacuees,
  };
}

/**
 * Replays a city's open-shelter snapshots against the orchestrator's API: before each snapshot,
 * shelters it lists that are not open are opened, open ones it omits are closed, counts updated.
 */
export async function replayTimeline(opts: ReplayOptions): Promise<{ snapshots: number; seconds: number }> {
  const { api } = opts;
  const started = performance.now();
  const files = listSnapshotFiles(opts.historyDir);
  if (files.length === 0) throw new Error(`no open_shelter_*.csv snapshots in ${opts.historyDir}`);
  const known = await listAllShelters(api);
  const openNow = new Set([...known.values()].filter((s) => s.desiredStatus === 'open').map((s) => s.id));
  const evacuees = new Map([...known.values()].map((s) => [s.id, s.evacuees ?? null]));
  let first: number | null = null;
  let previous: number | null = null;
  let applied = 0;
  for (const [index, file] of files.entries()) {
    if (opts.signal?.aborted) break;
    const snap = readSnapshot(file);
    const at = Date.parse(snap.takenAt);
    first ??= at;
    if (opts.days !== undefined && at - first >= opts.days * DAY_MS) break;
    if (previous !== null && opts.speed > 0 && Number.isFinite(opts.speed)) {
      await new Promise((r) => setTimeout(r, ((at - previous!) / DAY_MS / opts.speed) * 1000));
    }
    previous = at;
    opts.moveClockTo?.(new Date(at));

    const wanted = new Map(snap.rows.map((r) => [r.id, r]));
    const created: string[] = [];
    const opened: string[] = [];
    const closed: string[] = [];
    for (const row of wanted.values()) {
      const before = known.get(row.id);
      if (!before) {
        const { body } = await api.call<{ shelter: Shelter }>('POST', '/api/v1/shelters', shelterInputFromRow(row));
        known.set(row.id, body.shelter);
        created.push(row.id);
      }
      if (!openNow.has(row.id)) {
        await api.call('POST', `/api/v1/shelters/${row.id}/open`, { evacuees: row.evacuees, reason: `open in the ${snap.takenAt} snapshot` });
        openNow.add(row.id);
        opened.push(row.id);
      } else if (row.evacuees !== (evacuees.get(row.id) ?? null)) {
        // Only the count changes: the reference list's name and address stay as imported.
        await api.call('PATCH', `/api/v1/shelters/${row.id}`, { evacuees: row.evacuees });
      }
      evacuees.set(row.id, row.evacuees);
    }
    for (const id of [...openNow]) {
      if (wanted.has(id)) continue;
      await api.call('POST', `/api/v1/shelters/${id}/close`, { reason: `not open in the ${snap.takenAt} snapshot` });
      openNow.delete(id);
      closed.push(id);
    }
    if (!(opts.speed > 0 && Number.isFinite(opts.speed))) await opts.settle();
    applied++;
    await opts.onSnapshot?.({ index, file, takenAt: snap.takenAt, open: new Set(wanted.keys()), opened, closed, created });
  }
  return { snapshots: applied, seconds: (performance.now() - started) / 1000 };
}
