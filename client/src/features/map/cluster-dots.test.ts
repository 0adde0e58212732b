import { describe, expect, it } from 'vitest';
import { markDots, SERVICE_ORDER, type Dot } from './cluster-dots.js';
import type { MapService } from './map-service.js';

const frame = { width: 640, height: 480 };
const services: MapService[] = ['closed', 'working', 'degraded', 'no_line'];
/** n shelters spread over the frame, deterministically (a fixed lattice walk, no random source). */
const dots = (n: number): Dot[] => Array.from({ length: n }, (_, i) => ({ id: `s${i}`, x: (i * 37) % 640, y: (i * 53) % 480, service: services[i % 7 === 0 ? 3 : i % 5 === 0 ? 2 : i % 2] as MapService }));

describe('the map marks its shelters', () => {
  it('draws every shelter as its own dot while there are few, quiet ones first and trouble on top', () => {
    const marks = markDots(dots(300), frame);
    expect(marks).toHaveLength(300);
    expect(marks.every((m) => m.ids.length === 1 && m.key === m.ids[0])).toBe(true);
    const order = marks.map((m) => SERVICE_ORDER.indexOf(m.service));
    expect(order).toEqual([...order].sort((a, b) => a - b));
  });

  it('at a Nankai scale draws one mark per cell and service: each shelter in exactly one, a few thousand marks at most', () => {
    const all = dots(22_413);
    const marks = markDots(all, frame);
    expect(marks.length).toBeLessThanOrEqual((640 / 12 + 1) * (480 / 12 + 1) * 4);
    expect(marks.length).toBeLessThan(all.length / 4);
    const ids = marks.flatMap((m) => m.ids);
    expect(ids.length).toBe(all.length);
    expect(new Set(ids).size).toBe(all.length);
    const serviceOf = new Map(all.map((d) => [d.id, d.service]));
    expect(marks.filter((m) => !m.ids.every((id) => serviceOf.get(id) === m.service))).toEqual([]);
    const order = marks.map((m) => SERVICE_ORDER.indexOf(m.service));
    expect(order).toEqual([...order].sort((a, b) => a - b));
  });

  it('leaves out what is not in sight', () => {
    expect(markDots([{ id: 'far', x: 900, y: 10, service: 'working' }, { id: 'here', x: 10, y: 10, service: 'working' }], frame).map((m) => m.key)).toEqual(['here']);
  });
});
