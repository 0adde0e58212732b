import type { RouteSpec } from '../http/route.js';
import { describeApi } from './api-document.js';
import { surfaceRoutes } from './surface-routes.js';
import { systemRoutes } from './system-routes.js';
import { carrierRoutes } from './carrier-routes.js';
import { shelterRoutes } from './shelter-routes.js';
import { auditRoutes } from './audit-routes.js';
import { sessionRoutes } from '../http/session.js';
import { operationRoutes } from './operation-routes.js';
import { dialPlanRoutes } from './dial-plan-routes.js';
import { reportRoutes } from './report-routes.js';
import { callRoutes } from './call-routes.js';
import { drillRoutes } from './drill-routes.js';

/** Every API route of the server, with who may call it: one table that express, OpenAPI and the access tests share. */
export function allRoutes(): RouteSpec[] {
  return [...systemRoutes(buildApiDocument), ...carrierRoutes, ...shelterRoutes, ...auditRoutes, ...operationRoutes, ...reportRoutes, ...callRoutes, ...drillRoutes, ...dialPlanRoutes, ...sessionRoutes];
}

/** The OpenAPI document of everything the server mounts: the API's routes and the surfaces beside it. */
export function buildApiDocument(version: string) {
  return describeApi(version, [...allRoutes(), ...surfaceRoutes]);
}
