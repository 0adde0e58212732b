import type { Shelter } from '../../lib/board-types.js';
import { publishedOrder } from '../../../../provisioning/numbers/line-health.js';

/**
 * What a poster or directory prints for a shelter: only working lines, the published one first;
 * the emergency promise comes from the service, never from one number's flag.
 */
export function posterLines(shelter: Pick<Shelter, 'service'>): { main: string | null; spares: string[]; emergencyCapable: boolean } {
  if (!shelter.service) return { main: null, spares: [], emergencyCapable: false };
  const order = publishedOrder(shelter.service).map((l) => l.e164);
  return { main: order[0] ?? null, spares: order.slice(1), emergencyCapable: shelter.service.emergencyCapable };
}
