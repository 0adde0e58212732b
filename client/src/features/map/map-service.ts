import type { BoardShelter } from '../../../../provisioning/model/index.js';

/**
 * A shelter's service as a person reads the map: every line it wants works and one can call
 * 110/118/119 (`working`), lines work but none can call 110/118/119 (`no_emergency`, whatever the
 * count), fewer lines work than wanted (`degraded`), none works (`no_line`), or not open.
 */
export type MapService = 'working' | 'no_emergency' | 'degraded' | 'no_line' | 'closed';

/** In legend order, worst first among the open ones; green only for the whole promise. */
export const MAP_SERVICE_COLOURS: Record<MapService, string> = { working: '#1a7f37', no_emergency: '#8250df', degraded: '#e36209', no_line: '#a40e26', closed: '#8c959f' };

export function mapServiceOf(s: Pick<BoardShelter, 'desiredStatus' | 'actualStatus' | 'service'>): MapService {
  if (s.desiredStatus !== 'open') return 'closed';
  if (s.actualStatus === 'no_line' || s.actualStatus === 'error') return 'no_line';
  // Before its opening job ends a shelter has no service yet: its lines are still being set up.
  if (!s.service) return s.actualStatus === 'open' ? 'working' : 'degraded';
  if (s.service.workingLines === 0) return 'no_line';
  if (!s.service.emergencyCapable) return 'no_emergency';
  return s.actualStatus === 'open' ? 'working' : 'degraded';
}
