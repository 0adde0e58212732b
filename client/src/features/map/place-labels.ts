/** Screen boxes, in the map's viewBox units. */
export interface Box { x0: number; y0: number; x1: number; y1: number }

export interface LabelRequest {
  code: string;
  name: string;
  /** Where the place is on the screen: its label belongs here. */
  anchor: [number, number];
  fontSize: number;
}

/** A name on the map: text centred on x with its baseline at y; a name moved off its place has a leader line back to it. */
export interface PlacedLabel {
  code: string;
  name: string;
  x: number;
  y: number;
  fontSize: number;
  leader: { x1: number; y1: number; x2: number; y2: number } | null;
}

export interface LabelFrame {
  width: number;
  height: number;
  /** Whether a point of the screen is on a drawn place (a moved name should sit on the sea, not on a neighbour). */
  onLand?: (x: number, y: number) => boolean;
  /** Every label must be placed (the prefecture view names every municipality); otherwise a name that fits nowhere near is left out. */
  every?: boolean;
  /** Names already on the map, which these must not cover. */
  taken?: PlacedLabel[];
}

const PAD = 2;
// Japanese names are full-width: one em per character (a Latin or digit one is narrower, so this errs wide).
const boxAt = (l: LabelRequest, x: number, y: number): Box => {
  const half = (l.name.length * l.fontSize) / 2 + PAD;
  return { x0: x - half, x1: x + half, y0: y - l.fontSize - PAD + 2, y1: y + PAD + 2 };
};
const overlaps = (a: Box, b: Box) => a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;
const contains = (b: Box, [x, y]: [number, number]) => x >= b.x0 && x <= b.x1 && y >= b.y0 && y <= b.y1;

type Segment = { x1: number; y1: number; x2: number; y2: number };
const cross = (ax: number, ay: number, bx: number, by: number, cx: number, cy: number) => (bx - ax) * (cy - ay) - (by - ay) * (cx - ax);
function segmentsCross(a: Segment, b: Segment): boolean {
  const d1 = cross(b.x1, b.y1, b.x2, b.y2, a.x1, a.y1);
  const d2 = cross(b.x1, b.y1, b.x2, b.y2, a.x2, a.y2);
  const d3 = cross(a.x1, a.y1, a.x2, a.y2, b.x1, b.y1);
  const d4 = cross(a.x1, a.y1, a.x2, a.y2, b.x2, b.y2);
  return d1 * d2 < 0 && d3 * d4 < 0;
}
/** Whether a leader line passes through a box (its ends inside, or crossing an edge). */
function segmentHitsBox(s: Segment, b: Box): boolean {
  if (contains(b, [s.x1, s.y1]) || contains(b, [s.x2, s.y2])) return true;
  const edges: Segment[] = [
    { x1: b.x0, y1: b.y0, x2: b.x1, y2: b.y0 }, { x1: b.x1, y1: b.y0, x2: b.x1, y2: b.y1 },
    { x1: b.x1, y1: b.y1, x2: b.x0, y2: b.y1 }, { x1: b.x0, y1: b.y1, x2: b.x0, y2: b.y0 },
  ];
  return edges.some((e) => segmentsCross(s, e));
}

/** The point of a box's edge nearest to p, where a leader line from p ends. */
function edgeToward(b: Box, [x, y]: [number, number]): [number, number] {
  return [Math.min(Math.max(x, b.x0), b.x1), Math.min(Math.max(y, b.y0), b.y1)];
}

/** Near its place first: on it, then just above, below or beside it (still reading as its name). */
function* nearby(l: LabelRequest): Generator<[number, number]> {
  const [ax, ay] = l.anchor;
  const base = ay + l.fontSize * 0.35;
  const w = (l.name.length * l.fontSize) / 2 + 6;
  const h = l.fontSize + 2;
  yield [ax, base];
  yield [ax, base - h];
  yield [ax, base + h];
  yield [ax + w, base];
  yield [ax - w, base];
  yield [ax + w, base - h];
  yield [ax - w, base - h];
  yield [ax + w, base + h];
  yield [ax - w, base + h];
}

/** Further out, in rings, sideways first (a leader line reads best level): for a place too small or too crowded to hold its name. */
function* callouts(l: LabelRequest, reach: number): Generator<[number, number]> {
  const [ax, ay] = l.anchor;
  const angles = [0, 180, 20, 160, -20, -160, 40, 140, -40, -140, 60, 120, -60, -120, 90, -90];
  for (let r = l.fontSize * 2; r <= reach; r += l.fontSize / 2) {
    for (const a of angles) {
      const rad = (a * Math.PI) / 180;
      yield [ax + r * Math.cos(rad), ay + l.fontSize * 0.35 + r * Math.sin(rad)];
    }
  }
}

/**
 * Places names without overlaps, in the order given (larger places first): each at its place if
 * it fits, else just beside it, else (with `every`) out on the sea with a leader line back. What
 * still fits nowhere is returned unplaced, for the caller to list beside the map.
 */
export function placeLabels(requests: LabelRequest[], frame: LabelFrame): { placed: PlacedLabel[]; unplaced: LabelRequest[] } {
  const taken: Box[] = (frame.taken ?? []).map(labelBox);
  const placed: PlacedLabel[] = [];
  const unplaced: LabelRequest[] = [];
  const inFrame = (b: Box) => b.x0 >= 0 && b.y0 >= 0 && b.x1 <= frame.width && b.y1 <= frame.height;
  const free = (b: Box) => inFrame(b) && !taken.some((t) => overlaps(b, t));
  const onSea = (b: Box) => {
    if (!frame.onLand) return true;
    const xs = [b.x0, (b.x0 + b.x1) / 2, b.x1];
    const ys = [b.y0, (b.y0 + b.y1) / 2, b.y1];
    return xs.every((x) => ys.every((y) => !frame.onLand!(x, y)));
  };
  // A name further than this from its place reads as another's: it is listed beside the map instead.
  const reach = (l: LabelRequest) => l.fontSize * 5;
  const leaders: Segment[] = (frame.taken ?? []).flatMap((l) => (l.leader ? [l.leader] : []));
  /** A label and its leader cover no other label or leader. */
  // Every place keeps its own spot clear: a name over another's place would leave that one no room for its leader.
  const anchors = frame.every ? requests.map((r) => ({ code: r.code, at: r.anchor })) : [];
  const clear = (l: LabelRequest, box: Box): boolean => {
    if (!free(box) || leaders.some((s) => segmentHitsBox(s, box))) return false;
    if (anchors.some((a) => a.code !== l.code && contains(box, a.at))) return false;
    if (contains(box, l.anchor)) return true;
    const [x2, y2] = edgeToward(box, l.anchor);
    const leader = { x1: l.anchor[0], y1: l.anchor[1], x2, y2 };
    return !taken.some((t) => segmentHitsBox(leader, t)) && !leaders.some((s) => segmentsCross(leader, s));
  };
  for (const l of requests) {
    let spot: { x: number; y: number; box: Box } | null = null;
    for (const [x, y] of nearby(l)) {
      const box = boxAt(l, x, y);
      if (clear(l, box)) {
        spot = { x, y, box };
        break;
      }
    }
    // On the sea if it can be, else over land: the leader line says whose name it is.
    for (const wanted of frame.every ? [onSea, () => true] : []) {
      if (spot) break;
      for (const [x, y] of callouts(l, reach(l))) {
        const box = boxAt(l, x, y);
        if (clear(l, box) && wanted(box)) {
          spot = { x, y, box };
          break;
        }
      }
    }
    if (!spot) {
      unplaced.push(l);
      continue;
    }
    taken.push(spot.box);
    const [x2, y2] = edgeToward(spot.box, l.anchor);
    const leader = contains(spot.box, l.anchor) ? null : { x1: l.anchor[0], y1: l.anchor[1], x2, y2 };
    if (leader) leaders.push(leader);
    placed.push({ code: l.code, name: l.name, x: Math.round(spot.x), y: Math.round(spot.y), fontSize: l.fontSize, leader });
  }
  return { placed, unplaced };
}

/** The box a placed label covers, for tests and for anything drawn beside the names. */
export const labelBox = (l: PlacedLabel): Box => boxAt({ code: l.code, name: l.name, anchor: [l.x, l.y], fontSize: l.fontSize }, l.x, l.y);
