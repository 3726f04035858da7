// Private: label placement for point maps. Greedy: the most crowded points
// choose first, each label takes the first of its candidate positions (right,
// left, the diagonals, above, below; then the same further out, with a leader
// line back to its point) whose box meets no point, no label and no leader
// already placed, inside the frame, and whose leader crosses no label and no
// other point. A label with no free position is left out and counted.

import { textWidth } from "./_text_width.ts";

/** A box `[x0, y0, x1, y1]` in pixels. */
export type Box = [number, number, number, number];

/** A point to label, in pixels. */
export interface LabelPoint {
  x: number;
  y: number;
  text: string;
}

/** A label placed: its text's start and baseline, its box, and a leader line when displaced. */
export interface PlacedLabel {
  /** Index of the point in the input. */
  of: number;
  text: string;
  x: number;
  y: number;
  box: Box;
  leader?: [number, number, number, number];
}

/** How labels are set and where they may go. */
export interface LabelLayout {
  fontSize: number;
  /** Radius of the points' markers. */
  radius: number;
  /** The area labels must stay in. */
  frame: Box;
}

// DejaVu Sans: ascender 1901/2048 em (a ring on a capital reaches 0.96 em), descender
// 483/2048 em; the halo is 1.5 px wide.
const ASCENT = 0.96;
const DESCENT = 0.24;
const HALO = 1.5;
/** Room beside the halo: a glyph's ink may reach past its advance (the last `r`, an italic overhang). */
const SIDE = HALO + 1;

/** Directions in order of preference: right, left, the diagonals, above, below. */
const DIRECTIONS: [number, number][] = [
  [1, 0],
  [-1, 0],
  [1, -1],
  [1, 1],
  [-1, -1],
  [-1, 1],
  [0, -1],
  [0, 1],
];

/** Distances from the marker's edge: the first ring touches it, the others need a leader. */
const RINGS = [2, 14, 28, 44];

export function intersects(a: Box, b: Box): boolean {
  return a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3];
}

function candidate(
  p: LabelPoint,
  [dx, dy]: [number, number],
  r: number,
  w: number,
  h: number,
): Box {
  const d = dx !== 0 && dy !== 0 ? r * Math.SQRT1_2 : r;
  const x0 = dx > 0 ? p.x + d : dx < 0 ? p.x - d - w : p.x - w / 2;
  const y0 = dy > 0 ? p.y + d : dy < 0 ? p.y - d - h : p.y - h / 2;
  return [x0, y0, x0 + w, y0 + h];
}

/** Whether the segment meets the box (Liang–Barsky clipping). */
export function segmentMeets([x1, y1, x2, y2]: readonly number[], box: Box): boolean {
  let t0 = 0, t1 = 1;
  const dx = x2 - x1, dy = y2 - y1;
  for (
    const [p, q] of [[-dx, x1 - box[0]], [dx, box[2] - x1], [-dy, y1 - box[1]], [dy, box[3] - y1]]
  ) {
    if (p === 0) {
      if (q <= 0) return false;
    } else {
      const t = q / p;
      if (p < 0) t0 = Math.max(t0, t);
      else t1 = Math.min(t1, t);
      if (t0 >= t1) return false;
    }
  }
  return true;
}

/** From the marker's edge to the nearest point of the box. */
function leaderLine(p: LabelPoint, box: Box, radius: number): [number, number, number, number] {
  const tx = Math.min(Math.max(p.x, box[0]), box[2]);
  const ty = Math.min(Math.max(p.y, box[1]), box[3]);
  const len = Math.hypot(tx - p.x, ty - p.y) || 1;
  return [p.x + ((tx - p.x) * radius) / len, p.y + ((ty - p.y) * radius) / len, tx, ty];
}

/**
 * Places the labels of `points` so that no two label boxes meet and no label
 * covers a point; returns the placed labels and the indices of those left out.
 */
export function placeLabels(
  points: readonly LabelPoint[],
  { fontSize, radius, frame }: LabelLayout,
): { labels: PlacedLabel[]; dropped: number[] } {
  const dots: Box[] = points.map((p) => [
    p.x - radius - 1,
    p.y - radius - 1,
    p.x + radius + 1,
    p.y + radius + 1,
  ]);
  const crowd = points.map((p) =>
    points.reduce((n, q) => n + (Math.hypot(p.x - q.x, p.y - q.y) < 60 ? 1 : 0), -1)
  );
  const order = points.map((_, i) => i).sort((a, b) => crowd[b] - crowd[a] || a - b);
  const taken: Box[] = [];
  const leaders: [number, number, number, number][] = [];
  const labels: PlacedLabel[] = [];
  const dropped: number[] = [];
  const h = (ASCENT + DESCENT) * fontSize + 2 * HALO;
  for (const i of order) {
    const p = points[i];
    const w = textWidth(p.text, fontSize) + 2 * SIDE;
    let placed: PlacedLabel | undefined;
    search: for (const [ring, r] of RINGS.entries()) {
      for (const dir of DIRECTIONS) {
        const box = candidate(p, dir, radius + r, w, h);
        if (box[0] < frame[0] || box[1] < frame[1] || box[2] > frame[2] || box[3] > frame[3]) {
          continue;
        }
        if (dots.some((d) => intersects(d, box)) || taken.some((t) => intersects(t, box))) continue;
        if (leaders.some((l) => segmentMeets(l, box))) continue;
        const leader = ring > 0 ? leaderLine(p, box, radius) : undefined;
        // a leader crosses no label and no other marker
        if (
          leader &&
          (taken.some((t) => segmentMeets(leader, t)) ||
            dots.some((d, j) => j !== i && segmentMeets(leader, d)))
        ) continue;
        placed = {
          of: i,
          text: p.text,
          x: box[0] + SIDE,
          y: box[1] + HALO + ASCENT * fontSize,
          box,
          ...(leader ? { leader } : {}),
        };
        break search;
      }
    }
    if (placed) {
      taken.push(placed.box);
      if (placed.leader) leaders.push(placed.leader);
      labels.push(placed);
    } else dropped.push(i);
  }
  labels.sort((a, b) => a.of - b.of);
  return { labels, dropped: dropped.sort((a, b) => a - b) };
}
