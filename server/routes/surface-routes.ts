import type { Router } from 'express';
import type { RouteDoc } from '../http/route.js';
import { mountSurface, type Surface } from '../http/surface.js';
import { twilioWebhooks } from '../webhooks/twilio-webhook-routes.js';
import { handsetFiles } from '../handsets/handset-file-routes.js';
import { reportWindow } from '../reports/report-window-routes.js';

/**
 * The surfaces beside the API, in the order they are mounted (before the API's token checks: none
 * of them takes a bearer token): Twilio's webhooks, handset files, the public report window.
 */
const SURFACES = { twilioWebhooks, handsetFiles, reportWindow };

type DepsOf<S> = S extends Surface<infer D, any> ? D : never;
export type SurfaceDeps = { [K in keyof typeof SURFACES]: DepsOf<(typeof SURFACES)[K]> };

/** Their routes, as the document lists them: the very entries `surfaceRouters` mounts. */
export const surfaceRoutes: RouteDoc[] = Object.values(SURFACES).flatMap((s): readonly RouteDoc[] => s.routes);

export function surfaceRouters(deps: SurfaceDeps): Router[] {
  return (Object.keys(SURFACES) as (keyof typeof SURFACES)[]).map((name) => mountSurface(SURFACES[name] as Surface<unknown, unknown>, deps[name]));
}
