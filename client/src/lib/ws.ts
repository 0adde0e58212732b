import type { Problem, ServerMessage } from '../../../provisioning/model/index.js';
import { sequenceAction } from './board-state.js';

export type SocketStatus = 'connecting' | 'live' | 'reconnecting';

export interface BoardSocketHandlers {
  onMessage(msg: Extract<ServerMessage, { type: 'snapshot' | 'change' }>): void;
  onStatus(status: SocketStatus): void;
  /** The socket closed; the app checks whether the session is still valid. */
  onClosed?(): void;
  /** The server closed it because the token was revoked or the session ended: no reconnecting with it. */
  onSignedOut?(why: Problem): void;
}

/** The hub's close code for a dead credential (provisioning/model board-feed WS_CLOSE_SIGNED_OUT; a value, so repeated here). */
const SIGNED_OUT = 4401;
const SIGNED_OUT_FALLBACK: Problem = { type: 'https://shelter-line.jp/problems/session-ended', title: 'Signed out', status: 401, detail: 'sign in again' };

const PING_MS = 20_000;
const PONG_TIMEOUT_MS = 10_000;

export interface ReconnectTiming {
  baseMs: number;
  /** The longest wait between tries: a server that answers again is reached within it. */
  capMs: number;
}
/** Capped at 2 s so the board is live again ≤ 3 s after the server answers (issue 16); the jitter still spreads the boards. */
export const RECONNECT: ReconnectTiming = { baseMs: 250, capMs: 2_000 };

/** Full-jitter backoff, so a restarted server is not hit by every board at once. */
export function backoffMs(attempt: number, random: () => number = Math.random, timing: ReconnectTiming = RECONNECT): number {
  return Math.round(random() * Math.min(timing.capMs, timing.baseMs * 2 ** attempt));
}

/** The board's live connection: reconnects with backoff and asks for a snapshot after any gap. */
export function connectBoard(handlers: BoardSocketHandlers, url = defaultUrl(), timing: ReconnectTiming = RECONNECT): () => void {
  let ws: WebSocket | null = null;
  let lastSeq: number | null = null;
  let attempt = 0;
  let stopped = false;
  let retry: ReturnType<typeof setTimeout> | undefined;
  let ping: ReturnType<typeof setInterval> | undefined;
  let pongDeadline: ReturnType<typeof setTimeout> | undefined;
  let signedOut: Problem | null = null;

  const open = () => {
    handlers.onStatus(attempt === 0 ? 'connecting' : 'reconnecting');
    lastSeq = null;
    const socket = new WebSocket(url);
    ws = socket;
    socket.onmessage = (ev) => {
      clearTimeout(pongDeadline);
      let msg: ServerMessage;
      try {
        msg = JSON.parse(String(ev.data)) as ServerMessage;
      } catch {
        return;
      }
      if (msg.type === 'signed-out') {
        signedOut = msg.problem;
        return;
      }
      const action = sequenceAction(lastSeq, msg);
      if (action === 'resync') {
        lastSeq = null;
        socket.send(JSON.stringify({ type: 'resync' }));
        return;
      }
      if (action !== 'apply' || (msg.type !== 'snapshot' && msg.type !== 'change')) return;
      lastSeq = msg.seq;
      if (msg.type === 'snapshot') {
        attempt = 0;
        handlers.onStatus('live');
      }
      handlers.onMessage(msg);
    };
    socket.onopen = () => {
      ping = setInterval(() => {
        socket.send(JSON.stringify({ type: 'ping' }));
        pongDeadline = setTimeout(() => socket.close(), PONG_TIMEOUT_MS);
      }, PING_MS);
    };
    socket.onclose = (ev) => {
      clearInterval(ping);
      clearTimeout(pongDeadline);
      if (stopped) return;
      if (signedOut || ev.code === SIGNED_OUT) {
        // The credential is dead: reconnecting with it would only be refused; the app asks for a sign-in.
        stopped = true;
        handlers.onSignedOut?.(signedOut ?? SIGNED_OUT_FALLBACK);
        return;
      }
      handlers.onStatus('reconnecting');
      handlers.onClosed?.();
      retry = setTimeout(open, backoffMs(attempt++, Math.random, timing));
    };
  };
  open();
  return () => {
    stopped = true;
    clearTimeout(retry);
    clearInterval(ping);
    clearTimeout(pongDeadline);
    ws?.close();
  };
}

function defaultUrl(): string {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`;
}
