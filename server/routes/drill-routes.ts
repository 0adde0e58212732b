import { defineRoute, roles } from '../http/route.js';
import { AdvanceDrillClockInput, DrillClockState } from '../../provisioning/model/index.js';
import { DAY_MS } from '../../provisioning/platform/clock.js';
import { notFound } from '../../provisioning/errors.js';
import { scheduleMaintenance, DEFAULT_MAINTENANCE_EVERY_MS } from '../../provisioning/reconcile/worker.js';

/** Drill mode only: a server that is not a drill answers 404, so a real deployment's calendar never moves. */
export const drillRoutes = [
  defineRoute({
    method: 'post', path: '/api/v1/drill/clock', access: roles('admin', 'coordinator'), area: 'national', summary: "Drill only: move the drill's calendar forward and run maintenance on it (aging ends, numbers settle)", tags: ['drill'],
    body: AdvanceDrillClockInput,
    responses: { 200: { description: "the drill's calendar now", schema: DrillClockState }, 404: { description: 'this server is not a drill' } },
    handler: async ({ body, deps }) => {
      if (!deps.drillClock) throw notFound('drill clock', 'on this server (not a drill)');
      deps.drillClock.advance(body.advanceDays * DAY_MS);
      const maintenanceQueued = await scheduleMaintenance(deps.engine, DEFAULT_MAINTENANCE_EVERY_MS);
      return { status: 200, body: { now: deps.clock.now().toISOString(), maintenanceQueued } };
    },
  }),
];
