import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, WebSocket, type RawData } from 'ws';
import type { Logger } from 'pino';
import type { Principal } from '../../provisioning/access/tokens.js';
import type { Store, Change } from '../../provisioning/store/store.js';
import { ClientMessage, WS_CLOSE_SIGNED_OUT, type Problem, type ServerMessage } from '../../provisioning/model/index.js';
import { systemClock, type Clock } from '../../provisioning/platform/clock.js';
import { BOARD_COLLECTIONS, boardTables, boardView, boardViewKey, isBoardCollection, type BoardCollection, type BoardViewer, type ViewContext } from './board-view.js';
import { loadBoardSnapshot } from './board-snapshot.js';
import { problem } from '../http/problem.js';
import { SECURITY_HEADERS } from '../http/security-headers.js';
import { watchPrincipals, type BoardPrincipal } from './principal-check.js';
import { AreaFeed } from '../../provisioning/access/area-feed.js';

export const WS_PATH = '/ws';
const BOARD_ROLES = new Set(['admin', 'coordinator', 'viewer']);

export interface WsHubDeps {
  store: Store;
  /** Who opens a socket; `sessionId` when the board's cookie did, so signing out closes it. */
  authenticate: (req: IncomingMessage) => Promise<(Principal & { sessionId?: string | null }) | null>;
  logger: Pick<Logger, 'info' | 'warn' | 'error' | 'debug'>;
  clock?: Clock;
  /** For the carriers' public form (what they may lend today). */
  etocGraceDays?: number;
  /** A client with more unsent bytes than this is dropped; it reconnects and resyncs. */
  maxBufferedBytes?: number;
  /** Interval of protocol pings; a client that missed the previous pong is dropped. */
  heartbeatMs?: number;
  /** How long the store's change feed stays open after the last board left (a reconnect then needs no new feed). */
  feedLingerMs?: number;
  /** How often the open sockets' tokens and sessions are re-read (server/ws/principal-check.ts). */
  principalCheckMs?: number;
}

export interface WsHub {
  /** Sequence number of the last change sent. */
  readonly seq: number;
  clientCount(): number;
  /** Whether it is reading the store's change feed: only while a board is connected, and a linger after. */
  feedOpen(): boolean;
  close(): Promise<void>;
}

/** Every message leaves through here, so the protocol's one union types them all. */
const encode = (msg: ServerMessage): string => JSON.stringify(msg);

interface Client {
  ws: WebSocket;
  principal: BoardPrincipal;
  alive: boolean;
  /** The boards this one is sent the same documents as. */
  view: BoardView;
  /** Waiting for its view's snapshot; its deltas are held in the view's read meanwhile. */
  waiting: boolean;
  /** Its snapshot is sent but still being compressed and written: no pong is asked of it before it has it. */
  arriving: boolean;
}

/**
 * The boards that are sent the same documents (boardViewKey): a change is projected and encoded
 * once for them all, and one snapshot read serves every board that connects while it runs, or
 * after it while nothing changed (after a restart every board reconnects within two seconds;
 * at 22,413 shelters a read is most of a second of the server's time).
 */
interface BoardView {
  key: string;
  viewer: BoardViewer;
  /** Changes sent to this view: each view numbers only its own, so a viewer sees no gap where a hidden change was. */
  seq: number;
  clients: Set<Client>;
  /** A snapshot being read: the deltas since it began, for every board waiting on it. */
  reading: { seq: number; held: Buffer[] } | null;
  /** The last snapshot's collections as UTF-8 JSON (without its braces), while no change came after it. */
  cached: { seq: number; body: Buffer; readAt: number } | null;
  /** For boards limited to an area: what of it they hold, so a change outside it is not even named to them. */
  area: AreaFeed | null;
}

const MAX_PENDING = 50_000;
/** A cached snapshot is read again after this, so what depends on the clock (a carrier's certification) is current. */
const SNAPSHOT_CACHE_MS = 5 * 60_000;

function refuse(socket: Duplex, status: 401 | 403 | 404, reason: string): void {
  const text = { 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found' }[status];
  const slug = { 401: 'unauthenticated', 403: 'forbidden', 404: 'not-found' }[status];
  const body = JSON.stringify(problem(status, slug, text, reason).problem);
  const headers = Object.entries(SECURITY_HEADERS).map(([k, v]) => `${k}: ${v}\r\n`).join('');
  socket.end(`HTTP/1.1 ${status} ${text}\r\nContent-Type: application/problem+json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n${headers}Connection: close\r\n\r\n${body}`);
}

/** A browser sends Origin: a cookie-authenticated socket from another site is cross-site WebSocket hijacking. */
function sameOrigin(req: IncomingMessage): boolean {
  const origin = req.headers.origin;
  if (!origin) return true;
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}

/** The board's live feed on `/ws`: a snapshot on connect, then every store change as a numbered delta. */
export function attachWsHub(server: Server, deps: WsHubDeps): WsHub {
  const clock = deps.clock ?? systemClock;
  const maxBuffered = deps.maxBufferedBytes ?? 8 * 1024 * 1024;
  const viewCtx = (): ViewContext => ({ now: clock.now(), etocGraceDays: deps.etocGraceDays ?? 180 });
  // Snapshots are large JSON: deflate them for boards on thin satellite links (see send()).
  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024, perMessageDeflate: { threshold: 1024 } });
  const clients = new Set<Client>();
  let seq = 0;
  const views = new Map<string, BoardView>();
  function viewOf(principal: Principal): BoardView {
    const key = boardViewKey(principal);
    let view = views.get(key);
    if (!view) views.set(key, (view = { key, viewer: principal, seq: 0, clients: new Set(), reading: null, cached: null, area: principal.scope ? new AreaFeed(principal) : null }));
    return view;
  }

  /**
   * The store's change feed, open only while boards are connected (and a linger after): on
   * Firestore a feed costs a read per change per instance, and on its emulator it multiplied the
   * cost of every write by the instances listening (issue 14: three instances, none with a board).
   */
  let feed: { stop: () => void; ready: Promise<void> } | null = null;
  let lingering: NodeJS.Timeout | null = null;

  function openFeed(): Promise<void> {
    if (lingering) clearTimeout(lingering);
    lingering = null;
    if (!feed) {
      const stop = deps.store.subscribe(BOARD_COLLECTIONS, (change) => {
        try {
          onChange(change);
        } catch (err) {
          deps.logger.error({ err }, 'board delta failed');
        }
      });
      feed = { stop, ready: deps.store.listening?.() ?? Promise.resolve() };
    }
    return feed.ready;
  }

  function closeFeed(): void {
    if (lingering) clearTimeout(lingering);
    lingering = null;
    feed?.stop();
    feed = null;
    // Views outlive their boards while the feed lingers (a reloaded board reuses its view's snapshot); without the feed they would go stale.
    views.clear();
  }

  function forget(client: Client): void {
    clients.delete(client);
    client.view.clients.delete(client);
    if (clients.size > 0 || !feed || lingering) return;
    lingering = setTimeout(() => {
      lingering = null;
      if (clients.size === 0) closeFeed();
    }, deps.feedLingerMs ?? 60_000);
    lingering.unref();
  }

  function drop(client: Client, why: string): void {
    deps.logger.warn({ role: client.principal.role, why }, 'board socket dropped');
    forget(client);
    client.ws.terminate();
  }

  /**
   * Only the snapshot is deflated: deltas come in bursts of thousands (a bulk opening), and frames
   * waiting for zlib count as unsent, so compressing them dropped healthy boards as slow ones.
   */
  function send(client: Client, data: string | Buffer, compress = false, written?: () => void): void {
    if (client.ws.readyState !== WebSocket.OPEN) return;
    if (client.ws.bufferedAmount > maxBuffered) return drop(client, `slow client: ${client.ws.bufferedAmount} bytes unsent`);
    client.ws.send(data, { binary: false, compress }, written);
  }

  /** The snapshot message for one board: its own header (time, role, label) before its view's shared collections, encoded once. */
  function snapshotFor(client: Client, seqAt: number, body: Buffer): Buffer {
    const head = JSON.stringify({ type: 'snapshot', seq: seqAt, at: clock.now().toISOString(), role: client.principal.role, label: client.principal.label ?? null } satisfies Partial<ServerMessage>);
    return Buffer.concat([Buffer.from(`${head.slice(0, -1)},`), body, Buffer.from('}')]);
  }

  function goLive(client: Client, data: Buffer, held: Buffer[]): void {
    client.waiting = false;
    client.arriving = true;
    send(client, data, true, () => (client.arriving = false));
    for (const delta of held) send(client, delta);
  }

  /** Brings a board to its view's current state: the cached snapshot if nothing changed since, else the read under way, else a new read. */
  function sendSnapshot(client: Client): void {
    const view = client.view;
    client.waiting = true;
    const fresh = view.cached && view.cached.seq === view.seq && clock.now().getTime() - view.cached.readAt < SNAPSHOT_CACHE_MS ? view.cached : null;
    if (fresh) return goLive(client, snapshotFor(client, fresh.seq, fresh.body), []);
    if (view.reading) return;
    const reading = { seq: view.seq, held: [] as Buffer[] };
    view.reading = reading;
    const readAt = clock.now().getTime();
    loadBoardSnapshot(deps.store, view.viewer, viewCtx()).then(
      (loaded) => {
        view.reading = null;
        // An area's boards get its part only; every document they are sent passes through its AreaFeed.
        const snapshot = view.area ? view.area.snapshot(loaded) : loaded;
        // The collections once as JSON tables for every board of the view; each board gets its own header.
        const body = Buffer.from(JSON.stringify(boardTables(snapshot)).slice(1, -1));
        if (reading.held.length === 0) view.cached = { seq: reading.seq, body, readAt };
        for (const c of view.clients) if (c.waiting) goLive(c, snapshotFor(c, reading.seq, body), reading.held);
      },
      (err: unknown) => {
        view.reading = null;
        deps.logger.error({ err }, 'board snapshot failed');
        for (const c of view.clients) if (c.waiting) c.ws.close(1011, 'snapshot failed');
      },
    );
  }

  function onChange(change: Change): void {
    if (!isBoardCollection(change.collection)) return;
    seq += 1;
    const ctx = viewCtx();
    const collection = change.collection as BoardCollection;
    for (const view of views.values()) {
      // Projected and serialized once per view, however many boards of it are connected.
      const shown = change.type === 'put' ? boardView(view.viewer, collection, change.doc as never, ctx) : null;
      if (shown?.kind === 'hidden') continue;
      // Outside an area view's area and never held by it: nothing is sent, not even the id.
      const inArea = view.area ? view.area.change(collection, change.id, shown?.kind === 'put' ? shown.doc : null) : null;
      if (view.area && !inArea) continue;
      view.seq += 1;
      view.cached = null;
      // A document the view may no longer see (a number leaving service) is removed from its boards.
      const doc = inArea ? (inArea.op === 'put' ? inArea.doc : null) : shown?.kind === 'put' ? shown.doc : null;
      const data = Buffer.from(encode({ type: 'change', seq: view.seq, collection, op: doc === null ? 'delete' : 'put', id: change.id, doc } as ServerMessage));
      if (view.reading) {
        view.reading.held.push(data);
        if (view.reading.held.length > MAX_PENDING) for (const c of view.clients) if (c.waiting) drop(c, 'too many changes while reading its snapshot');
      }
      for (const client of view.clients) if (!client.waiting) send(client, data);
    }
  }

  function onMessage(client: Client, data: RawData): void {
    let parsed: unknown;
    try {
      parsed = JSON.parse(data.toString());
    } catch {
      parsed = null;
    }
    const msg = ClientMessage.safeParse(parsed);
    if (!msg.success) {
      send(client, encode({ type: 'error', detail: 'expected {"type":"resync"} or {"type":"ping"}' }));
      return;
    }
    if (msg.data.type === 'ping') send(client, encode({ type: 'pong', seq: client.view.seq }));
    else if (!client.waiting) sendSnapshot(client);
  }

  /** A revoked token or an ended session: no more deltas; the board is told why, then the socket closes. */
  const principals = watchPrincipals({
    store: deps.store, now: () => clock.now(), open: () => clients, everyMs: deps.principalCheckMs,
    onDead: (client, why: Problem) => {
      deps.logger.info({ role: client.principal.role, why: why.type }, 'board socket signed out');
      forget(client);
      if (client.ws.readyState !== WebSocket.OPEN) return;
      client.ws.send(encode({ type: 'signed-out', problem: why }));
      client.ws.close(WS_CLOSE_SIGNED_OUT, why.type.split('/').pop());
    },
    onError: (err) => deps.logger.error({ err }, 'board socket credential check failed'),
  });

  async function onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const path = (req.url ?? '').split('?')[0];
    if (path !== WS_PATH) {
      // Leave other paths to other upgrade handlers, if there are any.
      if (server.listenerCount('upgrade') === 1) refuse(socket, 404, `no WebSocket at ${path}`);
      return;
    }
    socket.on('error', () => socket.destroy());
    if (!sameOrigin(req)) return refuse(socket, 403, 'the board socket only accepts its own origin');
    let principal: BoardPrincipal | null;
    try {
      const found = await deps.authenticate(req);
      principal = found ? { ...found, sessionId: found.sessionId ?? null } : null;
    } catch (err) {
      deps.logger.error({ err }, 'board socket authentication failed');
      principal = null;
    }
    if (!principal) return refuse(socket, 401, 'sign in first (session cookie or Authorization: Bearer)');
    if (!BOARD_ROLES.has(principal.role)) return refuse(socket, 403, `the board needs admin, coordinator or viewer; your token is ${principal.role}`);
    wss.handleUpgrade(req, socket, head, (ws) => {
      // Deltas are held (waiting) until its snapshot is sent; the snapshot is read once the feed is live, so nothing falls between.
      const view = viewOf(principal!);
      const client: Client = { ws, principal: principal!, alive: true, view, waiting: true, arriving: false };
      clients.add(client);
      view.clients.add(client);
      ws.on('pong', () => (client.alive = true));
      ws.on('message', (data) => onMessage(client, data));
      ws.on('close', () => forget(client));
      ws.on('error', () => forget(client));
      openFeed().then(
        () => sendSnapshot(client),
        (err: unknown) => {
          deps.logger.error({ err }, 'board feed failed to start');
          client.ws.close(1011, 'feed failed');
        },
      );
    });
  }
  const upgradeListener = (req: IncomingMessage, socket: Duplex, head: Buffer) => void onUpgrade(req, socket, head);
  server.on('upgrade', upgradeListener);

  const heartbeat = setInterval(() => {
    for (const client of clients) {
      // A board waiting for its snapshot is waiting on us: a slow read or compression (a busy server, 22,413 shelters) is not its missed pong.
      if (client.waiting || client.arriving) continue;
      if (!client.alive) {
        drop(client, 'no pong');
        continue;
      }
      client.alive = false;
      client.ws.ping();
    }
  }, deps.heartbeatMs ?? 30_000);
  heartbeat.unref();

  return {
    get seq() {
      return seq;
    },
    clientCount: () => clients.size,
    feedOpen: () => feed !== null,
    close: async () => {
      clearInterval(heartbeat);
      principals.stop();
      closeFeed();
      server.off('upgrade', upgradeListener);
      for (const client of clients) client.ws.terminate();
      clients.clear();
      views.clear();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
