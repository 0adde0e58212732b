import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { pino } from 'pino';
import { WebSocket } from 'ws';
import type { Page } from 'playwright-core';
import { loadConfig } from '../../server/config.js';
import { startServer } from '../../server/start-server.js';
import { mintToken } from '../../provisioning/access/tokens.js';
import { shelterService } from '../../provisioning/numbers/line-health.js';
import { raiseAlert } from '../../provisioning/alerts/alerts.js';
import { message, type Carrier, type Handset, type Job, type PhoneNumber, type Shelter } from '../../provisioning/model/index.js';
import type { Store } from '../../provisioning/store/store.js';
import { buildBoard } from '../support/build-board.js';
import { CHROMIUM, launchChromium, signInOnBoard } from '../support/browser.js';
import { round } from './bench-support.js';

/** The real file: every 指定避難所 of the 12 Nankai prefectures (GSI; see its README for the credit line). */
const SHELTERS_CSV = process.env.BENCH_BOARD_SHELTERS_CSV ?? fileURLToPath(new URL('../../../shared/data/shelters/nankai-designated-shelters.csv', import.meta.url));
/** Shelters open in the event (a Nankai Trough opening: most designated shelters), two lines each. */
const OPEN = Number(process.env.BENCH_BOARD_OPEN ?? 20_000);
const CARRIERS = 12;
const VIEWPORTS = [
  { name: 'desktop', width: 1280, height: 900 },
  { name: 'phone', width: 390, height: 844 },
] as const;
const AIM_READY_MS = 2000;
const AIM_KEYSTROKE_MS = 100;
/** Typed into the shelters search one character at a time, then deleted: 静岡市葵区's schools, as a coordinator would look them up. */
const QUERY = '葵区 小学校';
const at = '2024-01-09T09:00:00.000Z';
const pad = (n: number, w: number) => String(n).padStart(w, '0');
/** A data dir to keep between runs: the first run imports and stages there, later ones measure the same event again. */
const KEEP_DIR = process.env.BENCH_BOARD_DATA_DIR;

interface Event { shelters: number; located: number; open: number; numbers: number; spare: number; handsets: number; jobs: number; alerts: number; carriers: number; openShelterId: string; municipalityCode: string }

/** An event in progress, written straight into the store: open shelters with their lines, spare numbers, handsets, recent jobs, alerts. */
async function stageEvent(store: Store, imported: Shelter[]): Promise<Event> {
  const carriers: Carrier[] = Array.from({ length: CARRIERS }, (_, i) => ({
    id: `nankai-${pad(i + 1, 2)}`, version: 0, name: `南海クラウド ${i + 1}`, kind: 'api', certifications: { numberUsePlan: null, etoc: { status: 'certified' } },
    capacity: { requestsPerSecond: 50, concurrency: 16 }, status: 'active', health: 'up', manualDown: false, lendingChain: [], createdAt: at, updatedAt: at,
  }));
  await store.putMany('carriers', carriers);
  const byCarrier = new Map(carriers.map((c) => [c.id, c]));
  let serial = 0;
  const taken = new Set<string>();
  const number = (shelter: Shelter | null, area: string | null, carrierId: string, confirmed: boolean): PhoneNumber => {
    let e164: string;
    do {
      serial += 1;
      const national = area ? `${area}${pad(serial % 10 ** (10 - area.length), 10 - area.length)}` : `050${pad(10_000_000 + serial, 8)}`;
      e164 = `+81${national.slice(1)}`;
    } while (taken.has(e164));
    taken.add(e164);
    return {
      id: e164, version: 1, e164, kind: area ? '0ABJ' : '050', areaCode: area, numberArea: area, emergencyCapable: !!area, carrierId,
      state: shelter ? 'in_service' : 'available', shelterId: shelter?.id ?? null, previousShelterId: null, agingUntil: null,
      reasons: shelter ? [`${area ? `0AB-J ${area}` : '050'} for ${shelter.name}`] : [], why: shelter ? [area ? { code: 'reason.area_emergency', params: { area } } : { code: 'reason.least_loaded', params: { lines: 1 } }] : [],
      routingConfirmedAt: shelter && confirmed ? at : null, lentAt: at, updatedAt: at,
    } as PhoneNumber;
  };
  const opened = imported.slice(0, Math.min(OPEN, imported.length));
  const shelters: Shelter[] = [];
  const numbers: PhoneNumber[] = [];
  const handsets: Handset[] = [];
  const jobs: Job[] = [];
  opened.forEach((s, i) => {
    // One in fifty has a line down (一部障害), one in two hundred none (回線なし).
    const down = i % 200 === 7 ? 2 : i % 50 === 3 ? 1 : 0;
    const lines = [number(s, s.areaCodes[0] ?? null, carriers[i % CARRIERS]!.id, down < 2), number(s, null, carriers[(i + 1) % CARRIERS]!.id, down < 1)];
    numbers.push(...lines);
    const service = shelterService(s, lines, byCarrier, new Date(at));
    const jobId = i < 300 ? `job_bench_${pad(i, 6)}` : null;
    if (jobId) {
      jobs.push({
        id: jobId, version: 3, kind: 'open_shelter', subject: { type: 'shelter', shelterId: s.id }, shelterId: s.id, carrierId: null, supersedes: null, status: 'succeeded', priority: 50,
        steps: ['allocate', 'sip-domain', 'route 1', 'route 2'].map((name) => ({ name, status: 'done', attempts: 1, lastError: null, startedAt: at, finishedAt: at })),
        attempts: 1, errors: [], lease: null, runAfter: at, createdAt: at, updatedAt: at, finishedAt: at,
      });
    }
    shelters.push({
      ...s, version: s.version + 1, desiredStatus: 'open', actualStatus: service.workingLines >= s.lines ? 'open' : service.workingLines > 0 ? 'degraded' : 'no_line',
      shortCode: String(2000 + (i % 7000)), currentJobId: jobId, service, noEmergencyLine: !service.emergencyCapable, openedAt: at, updatedAt: at,
      evacuees: (i * 37) % 400,
    });
    if (i % 4 === 0) {
      handsets.push({
        id: `hs_bench_${pad(i, 6)}`, version: 1, shelterId: s.id, mac: `0015${pad(i, 8)}`, vendor: 'yealink', label: '受付電話', deviceTokenHash: 'a'.repeat(64), status: 'active',
        sipUsername: `u${i}`, credentials: [], lastSeenAt: at, configVersion: 'v1', fetchedConfigVersion: 'v1', lastSeenFrom: '127.0.0.1', createdAt: at, updatedAt: at,
      });
    }
  });
  // Spare numbers in every carrier's pool: a tenth of the lines in service.
  for (let i = 0; i < numbers.length / 10; i++) numbers.push(number(null, null, carriers[i % CARRIERS]!.id, false));
  const chunk = async <T>(docs: T[], put: (d: T[]) => Promise<void>) => {
    for (let i = 0; i < docs.length; i += 2000) await put(docs.slice(i, i + 2000));
  };
  await chunk(shelters, (d) => store.putMany('shelters', d));
  await chunk(numbers, (d) => store.putMany('numbers', d));
  await chunk(handsets, (d) => store.putMany('handsets', d));
  await chunk(jobs, (d) => store.putMany('jobs', d));
  const troubled = shelters.filter((s) => s.actualStatus === 'no_line').slice(0, 100);
  for (const s of troubled) await raiseAlert(store, new Date(at), { severity: 'critical', kind: 'shelter_no_line', shelterId: s.id, text: message('alert.shelter_no_line', { shelter: s.name }) });
  return {
    shelters: imported.length, located: imported.filter((s) => s.lat !== null && s.lon !== null).length, open: shelters.length, numbers: numbers.length,
    spare: numbers.filter((n) => n.state === 'available').length, handsets: handsets.length, jobs: jobs.length, alerts: troubled.length, carriers: CARRIERS,
    openShelterId: shelters[0]!.id, municipalityCode: shelters[0]!.municipalityCode,
  };
}

/** A board's snapshot over the socket, as a script sees it: its JSON size, the bytes on the wire (deflated), and how long it took. */
async function snapshotFigures(wsUrl: string, token: string): Promise<{ bytes: number; wireBytes: number; ms: number }> {
  const started = performance.now();
  const ws = new WebSocket(wsUrl, { headers: { Authorization: `Bearer ${token}` } });
  return new Promise((resolve, reject) => {
    ws.once('message', (data: Buffer) => {
      const wireBytes = (ws as unknown as { _socket: { bytesRead: number } })._socket.bytesRead;
      resolve({ bytes: data.length, wireBytes, ms: performance.now() - started });
      ws.close();
    });
    ws.once('error', reject);
  });
}

interface View { name: string; path: string; link?: string }
interface ReadyArg { view: string; total: number; open: number; numbers: number; carriers: number }

/**
 * Whether a view is ready: its content drawn from the whole data (not a spinner, not a first page
 * of it); notes the first frame it holds in (page clock). One function, sent to the page as it is.
 */
function isReady(a: ReadyArg): boolean {
  // No helper functions in here: the page runs this source as it is, without the bundler's helpers.
  let ok: boolean;
  if (a.view === 'overview') ok = document.querySelector('[data-stat="shelters-open"] .stat')?.textContent === String(a.open) && !!document.querySelector('svg[data-view] .dot');
  else if (a.view === 'map') ok = !!document.querySelector('svg[data-view] .dot') && !!document.querySelector('svg[data-view] text[data-label-for]');
  else if (a.view === 'shelters') ok = !!document.querySelector('table.shelters tbody tr[data-shelter-id] a') && !!document.querySelector('.toolbar span[aria-live]')?.textContent?.startsWith(`${a.total} `);
  else if (a.view === 'shelter') ok = !!document.querySelector('article[data-shelter-id] li[data-number]') && !!document.querySelector('[data-reason]');
  else if (a.view === 'carriers') ok = document.querySelectorAll('li[data-carrier-id]').length === a.carriers;
  else if (a.view === 'numbers') ok = !!document.querySelector('main tbody tr') && document.querySelector('main .toolbar .muted')?.textContent === String(a.numbers);
  else if (a.view === 'jobs') ok = !!document.querySelector('tr[data-job-id]');
  else if (a.view === 'audit') ok = !!document.querySelector('td[data-action]') && ((document.querySelector('select[name="shelterId"]') as HTMLSelectElement | null)?.options.length ?? 0) > 1;
  else if (a.view === 'poster') ok = /\d/.test(document.querySelector('[data-testid="poster-number"]')?.textContent ?? '');
  else if (a.view === 'directory') ok = !!document.querySelector('tr[data-directory-row]');
  else throw new Error(`no readiness for ${a.view}`);
  const w = window as unknown as { __readyAt?: number };
  if (ok) w.__readyAt ??= performance.now();
  return ok;
}

function views(ev: Event): View[] {
  return [
    { name: 'overview', path: '', link: '/' },
    { name: 'map', path: 'map', link: '/map' },
    { name: 'shelters', path: 'shelters', link: '/shelters' },
    { name: 'shelter', path: `shelters/${encodeURIComponent(ev.openShelterId)}` },
    { name: 'carriers', path: 'carriers', link: '/carriers' },
    { name: 'numbers', path: 'numbers', link: '/numbers' },
    { name: 'jobs', path: 'jobs', link: '/jobs' },
    { name: 'audit', path: 'audit', link: '/audit' },
    { name: 'poster', path: `print/poster/${encodeURIComponent(ev.openShelterId)}` },
    { name: 'directory', path: `print/directory/${ev.municipalityCode}` },
  ];
}

const domNodes = (page: Page) => page.evaluate(() => document.getElementsByTagName('*').length);

type Counts = Omit<ReadyArg, 'view'>;

/** Milliseconds from the navigation's start to the first frame where the view is ready, measured by the page's own clock. */
async function coldReady(page: Page, url: string, view: View, counts: Counts): Promise<number> {
  await page.goto(url, { waitUntil: 'commit' });
  await page.waitForFunction(isReady, { view: view.name, ...counts }, { polling: 'raf', timeout: 120_000 });
  return page.evaluate(() => (window as unknown as { __readyAt: number }).__readyAt);
}

/** Milliseconds from a click on the view's navigation link (the board already live) to the first frame where it is ready. */
async function inAppReady(page: Page, view: View, counts: Counts): Promise<number> {
  await page.evaluate((href) => {
    const w = window as unknown as { __clickAt: number; __readyAt?: number };
    delete w.__readyAt;
    w.__clickAt = performance.now();
    (document.querySelector(`nav a[href="${href}"]`) as HTMLElement).click();
  }, view.link!);
  await page.waitForFunction(isReady, { view: view.name, ...counts }, { polling: 'raf', timeout: 120_000 });
  return page.evaluate(() => {
    const w = window as unknown as { __clickAt: number; __readyAt: number };
    return w.__readyAt - w.__clickAt;
  });
}

/** Each keystroke typed into the search box (the browser's own text insertion), timed until the frame after the list answered. */
async function keystrokes(page: Page, total: number): Promise<number[]> {
  await page.locator('input[type="search"]').focus();
  const stroke = (insert: string | null) =>
    page.evaluate(async (ch) => {
      const t0 = performance.now();
      if (ch === null) document.execCommand('delete');
      else document.execCommand('insertText', false, ch);
      // A typed character is rendered in its input event; the answer is on screen at the next frame.
      await new Promise<void>((r) => requestAnimationFrame(() => setTimeout(r, 0)));
      return performance.now() - t0;
    }, insert);
  const shown = async () => Number((await page.locator('.toolbar span[aria-live]').textContent())?.split(' ')[0]);
  const times: number[] = [];
  for (const ch of QUERY) times.push(await stroke(ch));
  const found = await shown();
  if (!(found > 0 && found < total)) throw new Error(`searching "${QUERY}" showed ${found} of ${total} shelters`);
  for (const _ of QUERY) times.push(await stroke(null));
  if ((await shown()) !== total) throw new Error(`after deleting the search the list shows ${await shown()} of ${total}`);
  return times;
}

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))]!;
const ms = (v: number) => `${Math.round(v).toLocaleString('en')} ms`;
const mark = (v: number, aim: number) => (v <= aim ? 'ok' : 'OVER');

/**
 * The board at a Nankai Trough scale, in real headless Chromium: the 22,413 real 指定避難所 of the
 * 12 Nankai prefectures imported through POST /api/v1/shelters/import, 20,000 of them open with
 * two lines each. Every view's ready time (cold, and from its navigation link), its DOM size, each
 * keystroke of a search, and the snapshot's size, on a desktop and a phone viewport.
 */
export default async function bench(): Promise<Record<string, number>> {
  if (!existsSync(CHROMIUM)) throw new Error('the board benchmark needs /usr/bin/chromium (apt-get install chromium)');
  if (!existsSync(SHELTERS_CSV)) throw new Error(`the board benchmark reads the real Nankai shelters: ${SHELTERS_CSV} is missing (set BENCH_BOARD_SHELTERS_CSV)`);
  const started = performance.now();
  const phase = (what: string) => console.log(`  [${((performance.now() - started) / 1000).toFixed(1)} s] ${what}`);
  const dir = KEEP_DIR ?? mkdtempSync(join(tmpdir(), 'bench-board-'));
  const config = loadConfig({ ORCH_DATA_DIR: dir, PORT: '0', HOST: '127.0.0.1', ORCH_SECRET_KEY: '1'.repeat(64), ORCH_LOG_LEVEL: 'silent' });
  const server = await startServer({ config, logger: pino({ level: 'silent' }), version: 'bench', runWorker: false });
  const { store } = server.deps;
  const system = { actor: { id: 'bench', role: 'system' as const }, at: new Date(at) };
  const admin = (await mintToken(store, { label: 'ベンチ 管理者', role: 'admin' }, system)).token;
  const coordinator = (await mintToken(store, { label: 'ベンチ 調整担当', role: 'coordinator' }, system)).token;
  const viewer = (await mintToken(store, { label: 'ベンチ 閲覧', role: 'viewer' }, system)).token;
  const browser = await launchChromium();
  const figures: Record<string, number> = {};
  const readAll = async <C extends 'shelters' | 'numbers' | 'handsets'>(collection: C) => {
    const out: Array<Awaited<ReturnType<typeof store.query<C>>>['items'][number]> = [];
    let cursor: string | null = null;
    do {
      const page: Awaited<ReturnType<typeof store.query<C>>> = await store.query(collection, { limit: 1000, cursor });
      out.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    return out;
  };
  try {
    let ev: Event;
    const kept = KEEP_DIR ? await readAll('shelters') : [];
    if (kept.length > 0) {
      const [numbers, handsets] = [await readAll('numbers'), await readAll('handsets')];
      const open = kept.filter((s) => s.desiredStatus === 'open');
      ev = {
        shelters: kept.length, located: kept.filter((s) => s.lat !== null).length, open: open.length, numbers: numbers.length, spare: numbers.filter((n) => n.state === 'available').length,
        handsets: handsets.length, jobs: 300, alerts: 100, carriers: CARRIERS, openShelterId: open.sort((a, b) => a.id.localeCompare(b.id))[0]!.id, municipalityCode: open[0]!.municipalityCode,
      };
      phase(`reusing the event staged in ${dir}`);
    } else {
      const res = await fetch(`${server.url}/api/v1/shelters/import`, { method: 'POST', headers: { Authorization: `Bearer ${admin}`, 'Content-Type': 'text/csv' }, body: readFileSync(SHELTERS_CSV) });
      const report = (await res.json()) as { counts: { rows: number; created: number; rejected: number }; rows: Array<{ status: string; reasons?: string[] }> };
      if (res.status !== 200 || report.counts.rejected > 0) {
        const why = report.rows?.find((r) => r.status === 'rejected')?.reasons?.join('; ');
        throw new Error(`import of ${SHELTERS_CSV}: HTTP ${res.status}, ${report.counts?.created} created, ${report.counts?.rejected} rejected (first: ${why}); the board benchmark needs every municipality in provisioning/numbers/data/municipality-area-codes.csv`);
      }
      phase(`${report.counts.created} shelters imported`);
      ev = await stageEvent(store, await readAll('shelters'));
    }
    phase(`event: ${ev.open} open, ${ev.numbers} numbers (${ev.spare} spare), ${ev.handsets} handsets, ${ev.jobs} jobs, ${ev.alerts} alerts`);
    await buildBoard();
    phase('board built');

    const wsUrl = `${server.url.replace(/^http/, 'ws')}/ws`;
    console.log(`board: ${ev.shelters.toLocaleString('en')} shelters (${ev.open.toLocaleString('en')} open, ${ev.numbers.toLocaleString('en')} numbers of which ${ev.spare.toLocaleString('en')} spare, ${ev.handsets.toLocaleString('en')} handsets, ${ev.carriers} carriers), Chromium ${VIEWPORTS.map((v) => `${v.width}×${v.height}`).join(' and ')}`);
    for (const [who, token] of [['coordinator', coordinator], ['viewer', viewer]] as const) {
      const first = await snapshotFigures(wsUrl, token);
      const next = await snapshotFigures(wsUrl, token);
      figures[`snapshotBytes_${who}`] = first.bytes;
      figures[`snapshotWireBytes_${who}`] = first.wireBytes;
      console.log(`  snapshot (${who}): ${(first.bytes / 1e6).toFixed(2)} MB JSON, ${(first.wireBytes / 1e6).toFixed(2)} MB on the wire; first board ${ms(first.ms)}, next board ${ms(next.ms)} (aim: what a view needs; was 13.4 MB for 22,413 closed shelters)`);
    }

    const arg: Counts = { total: ev.shelters, open: ev.open, numbers: ev.numbers, carriers: ev.carriers };
    // Signed in once, through the board's form, as an admin (every view, the audit log too); each viewport's page shares the session.
    const first = await browser.context.newPage();
    await signInOnBoard(first, server.url + '/', admin, { live: false });
    await first.locator('[data-connection="live"]').waitFor({ timeout: 120_000 });
    await first.close();
    for (const viewport of VIEWPORTS) {
      const page = await browser.context.newPage();
      await page.setViewportSize({ width: viewport.width, height: viewport.height });
      for (const view of views(ev)) {
        const cold = await coldReady(page, `${server.url}/${view.path}`, view, arg);
        const nodes = await domNodes(page);
        figures[`${viewport.name}_${view.name}_readyMs`] = round(cold);
        figures[`${viewport.name}_${view.name}_domNodes`] = nodes;
        let inApp = '';
        if (view.link) {
          // From the overview, as a coordinator moves between views: the board is already live.
          if (view.link !== '/') await coldReady(page, `${server.url}/`, views(ev)[0]!, arg);
          else await coldReady(page, `${server.url}/carriers`, views(ev).find((v) => v.name === 'carriers')!, arg);
          const t = await inAppReady(page, view, arg);
          figures[`${viewport.name}_${view.name}_inAppMs`] = round(t);
          inApp = `, from its link ${ms(t)} ${mark(t, AIM_READY_MS)}`;
        }
        console.log(`  ${viewport.name.padEnd(7)} ${view.name.padEnd(9)} ready ${ms(cold).padStart(9)} ${mark(cold, AIM_READY_MS)} (aim ≤ ${ms(AIM_READY_MS)})${inApp}; ${nodes.toLocaleString('en')} DOM nodes`);
      }
      await coldReady(page, `${server.url}/shelters`, views(ev).find((v) => v.name === 'shelters')!, arg);
      const times = await keystrokes(page, ev.shelters);
      figures[`${viewport.name}_keystrokeP50Ms`] = round(pct(times, 0.5));
      figures[`${viewport.name}_keystrokeMaxMs`] = round(Math.max(...times));
      console.log(`  ${viewport.name.padEnd(7)} search    keystroke p50 ${ms(pct(times, 0.5))}, max ${ms(Math.max(...times))} ${mark(Math.max(...times), AIM_KEYSTROKE_MS)} (aim ≤ ${ms(AIM_KEYSTROKE_MS)} each) over ${times.length} keystrokes typing and deleting "${QUERY}"`);
      await page.close();
    }
    return figures;
  } finally {
    await browser.close();
    await server.close();
    if (!KEEP_DIR) rmSync(dir, { recursive: true, force: true });
  }
}
