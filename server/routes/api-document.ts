import { buildOpenApi } from '../http/openapi.js';
import { allRoutes } from './index.js';

/** The document `GET /api/v1/openapi.json` serves: the route table, the surfaces mounted beside it, the WebSocket. */
export function buildApiDocument(version: string) {
  return buildOpenApi(version, allRoutes());
}
