import type { MapService } from './map-service.js';

/** Drawn last, so on top: a shelter in trouble is never hidden under a quiet one. */
export const SERVICE_ORDER: readonly MapService[] = ['closed', 'working', 'degraded', 'no_emergency', 'no_line'];

export interface Dot {
  id: string;
  x: number;
  y: number;
  service: MapService;
}

/** One thing drawn on the map: a shelter, or the shelters of one service that share a cell. */
export interface Mark {
  key: string;
  x: number;
  y: number;
  service: MapService;
  ids: string[];
}

/**
 * Up to this many shelters in sight each get a dot of their own, as before; beyond it (a
 * Nankai event: 22,413) the dots of one service that share a cell become one counted mark, so the
 * map stays a few thousand elements however many shelters there are.
 */
export const OWN_DOTS_UP_TO = 2000;
export const CELL_PX = 12;

/** Dots in drawing order (quiet first); beyond `ownUpTo` in sight, one mark per cell and service, at the mean of its shelters. */
export function markDots(dots: Dot[], frame: { width: number; height: number }, ownUpTo = OWN_DOTS_UP_TO, cell = CELL_PX): Mark[] {
  const order = (m: { service: MapService }) => SERVICE_ORDER.indexOf(m.service);
  const inSight = dots.filter((d) => d.x >= 0 && d.x <= frame.width && d.y >= 0 && d.y <= frame.height);
  if (inSight.length <= ownUpTo) {
    return inSight.map((d) => ({ key: d.id, x: d.x, y: d.y, service: d.service, ids: [d.id] })).sort((a, b) => order(a) - order(b));
  }
  const cells = new Map<string, { x: number; y: number; service: MapService; ids: string[] }>();
  for (const d of inSight) {
    const key = `${d.service}:${Math.floor(d.x / cell)}:${Math.floor(d.y / cell)}`;
    const c = cells.get(key);
    if (c) {
      c.x += d.x;
      c.y += d.y;
      c.ids.push(d.id);
    } else cells.set(key, { x: d.x, y: d.y, service: d.service, ids: [d.id] });
  }
  return [...cells].map(([key, c]) => ({ key: c.ids.length === 1 ? c.ids[0]! : key, x: c.x / c.ids.length, y: c.y / c.ids.length, service: c.service, ids: c.ids })).sort((a, b) => order(a) - order(b));
}
