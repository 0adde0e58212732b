import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, WebSocket, type RawData } from 'ws';
import type { Logger } from 'pino';
import type { Principal } from '../../provisioning/access/tokens.js';
import type { Store, Change } from '../../provisioning/store/store.js';
import { ClientMessage, WS_CLOSE_SIGNED_OUT, type Problem, type ServerMessage } from '../../provisioning/model/index.js';
import { systemClock, type Clock } from '../../provisioning/platform/clock.js';
import { BOARD_COLLECTIONS, boardView, isBoardCollection, type BoardCollection, type ViewContext } from './board-view.js';
import { visibleTo } from '../../provisioning/access/projections.js';
import { loadBoardSnapshot } from './board-snapshot.js';
import { problem } from '../http/problem.js';
import { SECURITY_HEADERS } from '../http/security-headers.js';
import { watchPrincipals, type BoardPrincipal } from './principal-check.js';

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
  /** Deltas held back while this client's snapshot is being read. */
  pending: Buffer[] | null;
}

const MAX_PENDING = 50_000;

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
  // Each role numbers only the changes it is sent, so a viewer sees no gaps where hidden changes were.
  const roleSeq = new Map<string, number>();
  const seqOf = (role: string) => roleSeq.get(role) ?? 0;

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
  }

  function forget(client: Client): void {
    clients.delete(client);
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
  function send(client: Client, data: string | Buffer, compress = false): void {
    if (client.ws.readyState !== WebSocket.OPEN) return;
    if (client.ws.bufferedAmount > maxBuffered) return drop(client, `slow client: ${client.ws.bufferedAmount} bytes unsent`);
    client.ws.send(data, { binary: false, compress });
  }

  async function sendSnapshot(client: Client): Promise<void> {
    client.pending = [];
    const at = seqOf(client.principal.role);
    try {
      const snapshot = await loadBoardSnapshot(deps.store, client.principal.role, viewCtx());
      const held = client.pending ?? [];
      client.pending = null;
      send(client, encode({ type: 'snapshot', seq: at, at: clock.now().toISOString(), role: client.principal.role, label: client.principal.label ?? null, ...snapshot }), true);
      for (const data of held) send(client, data);
    } catch (err) {
      deps.logger.error({ err }, 'board snapshot failed');
      client.ws.close(1011, 'snapshot failed');
    }
  }

  function onChange(change: Change): void {
    if (!isBoardCollection(change.collection)) return;
    seq += 1;
    const ctx = viewCtx();
    // Serialized and UTF-8 encoded once per role, however many boards of that role are connected.
    const perRole = new Map<string, Buffer | null>();
    const encodeFor = (role: Principal['role']): Buffer | null => {
      if (perRole.has(role)) return perRole.get(role)!;
      let data: Buffer | null = null;
      if (visibleTo(role, change.collection as BoardCollection)) {
        roleSeq.set(role, seqOf(role) + 1);
        const seq = seqOf(role);
        const doc = change.type === 'put' ? boardView(role, change.collection as BoardCollection, change.doc as never, ctx) : null;
        // A document the role may no longer see (a number leaving service) is removed from its board.
        const op = change.type === 'put' && doc !== null ? 'put' : 'delete';
        data = Buffer.from(encode({ type: 'change', seq, collection: change.collection, op, id: change.id, doc } as ServerMessage));
      }
      perRole.set(role, data);
      return data;
    };
    for (const role of BOARD_ROLES) encodeFor(role as Principal['role']);
    for (const client of clients) {
      const data = encodeFor(client.principal.role);
      if (!data) continue;
      if (client.pending) {
        client.pending.push(data);
        if (client.pending.length > MAX_PENDING) drop(client, 'too many changes while reading its snapshot');
      } else send(client, data);
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
    if (msg.data.type === 'ping') send(client, encode({ type: 'pong', seq: seqOf(client.principal.role) }));
    else if (!client.pending) void sendSnapshot(client);
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
      // Deltas are held (pending) until its snapshot is sent; the snapshot is read once the feed is live, so nothing falls between.
      const client: Client = { ws, principal: principal!, alive: true, pending: [] };
      clients.add(client);
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
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
