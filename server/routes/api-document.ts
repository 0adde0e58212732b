import { z } from 'zod';
import { buildOpenApi } from '../http/openapi.js';
import type { RouteDoc } from '../http/route.js';
import { ClientMessage, ServerMessage } from '../../provisioning/model/index.js';
import { WS_PATH } from '../ws/ws-hub.js';

/** OpenAPI has no WebSocket object: the board's feed is described here and its messages are schemas under components. */
const WEBSOCKET = {
  [WS_PATH]: {
    summary: 'The board\'s live feed: a snapshot on connect, then every change as a numbered delta',
    documents: 'each document in its board form (BoardShelter, BoardNumber, BoardHandset: the role\'s REST projection less what no board view shows; the rest is on GET /api/v1/shelters/{id}). A snapshot holds each collection as a table, {fields, rows}: the field names once, then one row of values per document in that order, null where a document has none; a change carries one document as an object',
    access: 'roles admin, coordinator, viewer; the session cookie or Authorization: Bearer on the upgrade request; a browser\'s Origin must be this host',
    refusals: 'before the upgrade, as application/problem+json (Problem): 401 without a valid session or token, 403 for another role or a foreign Origin, 404 for another path',
    serverMessages: { $ref: '#/components/schemas/WsServerMessage' },
    clientMessages: { $ref: '#/components/schemas/WsClientMessage' },
    ordering: 'each change carries seq, one more than the last; after a gap send {"type":"resync"} for a fresh snapshot. {"type":"ping"} is answered with a pong carrying the current seq. A client that falls too far behind is dropped and reconnects.',
    limits: 'client messages up to 64 KiB; protocol pings every 30 s, a client that misses one pong is dropped',
    signedOut: 'the token and session of every open socket are re-read every 0.5 s on the instance it is connected to: when the token was revoked (DELETE /api/v1/tokens/{id}) or the session signed out or expired, the socket gets {"type":"signed-out","problem":Problem} and is closed with code 4401; sign in again rather than reconnect with the same credential',
  },
};

/** The document `GET /api/v1/openapi.json` serves: the routes it is given (server/routes/index.ts) and the WebSocket. */
export function describeApi(version: string, routes: readonly RouteDoc[]) {
  return buildOpenApi(version, routes, {
    schemas: { WsServerMessage: ServerMessage as z.ZodType, WsClientMessage: ClientMessage as z.ZodType },
    websocket: WEBSOCKET,
  });
}
