import type { Shelter } from '../../../../provisioning/model/index.js';

/**
 * What a poster or directory prints for a shelter: only working lines, in the service's order
 * (the published one first); the emergency promise comes from the service, never one number's flag.
 */
export function posterLines(shelter: Pick<Shelter, 'service'>): { main: string | null; spares: string[]; emergencyCapable: boolean } {
  if (!shelter.service) return { main: null, spares: [], emergencyCapable: false };
  const order = shelter.service.lines.filter((l) => l.health === 'working').map((l) => l.e164);
  return { main: order[0] ?? null, spares: order.slice(1), emergencyCapable: shelter.service.emergencyCapable };
}
