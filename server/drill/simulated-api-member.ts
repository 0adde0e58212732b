import { startWorkOrderLoop, type WorkOrderLoop } from '../connectors/work-order-loop.js';

export type { ReceivedWorkOrder } from '../connectors/work-order-loop.js';
export type SimulatedApiMember = WorkOrderLoop;

/** The member on another platform, as drill mode plays it: it takes every work order as configured. */
export function startSimulatedApiMember(opts: { baseUrl: string; carrierId: string; token: string; waitSeconds?: number; onError?: (err: unknown) => void }): SimulatedApiMember {
  return startWorkOrderLoop(opts);
}
