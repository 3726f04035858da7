// Private: what `stationMap` draws over the borders: the markers (coloured by
// theme), their labels placed apart (_labels.ts) with leader lines when
// displaced, and the legend of the themes.

import type { GeoProjection } from "npm:d3-geo@3.1.2";
import type { MapMarker } from "../discovery/map.ts";
import { type Box, placeLabels } from "./_labels.ts";
import { esc, type Part } from "./_svg.ts";
import { textWidth } from "./_text_width.ts";

/** The ICOS themes, their colours (Okabe–Ito, safe for colour-blind readers) and codes. */
export const THEMES = [
  { key: "atmosphere", label: "Atmosphere", color: "#D55E00", codes: ["as", "atmosphere"] },
  { key: "ecosystem", label: "Ecosystem", color: "#009E73", codes: ["es", "ecosystem"] },
  { key: "ocean", label: "Ocean", color: "#0072B2", codes: ["os", "ocean"] },
] as const;
const OTHER = { key: "other", label: "Other", color: "#777777" };
const UNTHEMED = "#c0392b";

const RADIUS = 4.5;
const FONT_SIZE = 11;

/** The theme of a marker (`theme`, else `details.theme`: a code, a name or a theme URI). */
export function themeOf(m: MapMarker): (typeof THEMES)[number] | undefined {
  const given = m.theme ?? m.details?.theme;
  if (typeof given !== "string" || !given) return undefined;
  const code = given.slice(given.lastIndexOf("/") + 1).toLowerCase();
  return THEMES.find((t) => (t.codes as readonly string[]).includes(code));
}

function hasTheme(m: MapMarker): boolean {
  const given = m.theme ?? m.details?.theme;
  return typeof given === "string" && given !== "";
}

/**
 * The markers and labels as SVG in the map's pixels; the markers drawn
 * (inside the frame) and the number of labels left out for want of room.
 */
export function stationOverlay(
  markers: readonly MapMarker[],
  proj: GeoProjection,
  width: number,
  height: number,
  labels: boolean,
  themed: boolean,
): { overlay: string; shown: MapMarker[]; dropped: number } {
  const frame: Box = [10, 10, width - 10, height - 10];
  const shown: MapMarker[] = [];
  const points: { x: number; y: number; text: string }[] = [];
  for (const m of markers) {
    const xy = proj([m.lon, m.lat]);
    if (
      !xy || !(xy[0] >= frame[0] && xy[0] <= frame[2] && xy[1] >= frame[1] && xy[1] <= frame[3])
    ) {
      continue;
    }
    shown.push(m);
    points.push({ x: xy[0], y: xy[1], text: m.title });
  }
  // markers at one place (HTM and SE-Htm at Hyltemossa) side by side, so that each shows
  const groups = new Map<string, number[]>();
  points.forEach((p, i) => {
    const key = `${Math.round(p.x / 3)},${Math.round(p.y / 3)}`;
    groups.set(key, [...(groups.get(key) ?? []), i]);
  });
  for (const group of groups.values()) {
    if (group.length < 2) continue;
    const step = (2 * Math.PI) / group.length;
    const spread = group.length === 2 ? RADIUS + 0.5 : (RADIUS + 0.5) / Math.sin(step / 2);
    const [cx, cy] = [points[group[0]].x, points[group[0]].y];
    group.forEach((i, k) => {
      points[i].x = cx - spread * Math.cos(k * step);
      points[i].y = cy - spread * Math.sin(k * step);
    });
  }
  const fill = (m: MapMarker) =>
    themed ? (themeOf(m)?.color ?? (hasTheme(m) ? OTHER.color : UNTHEMED)) : UNTHEMED;
  const dots = shown.map((m, i) =>
    `<circle class="station-marker" cx="${r2(points[i].x)}" cy="${
      r2(points[i].y)
    }" r="${RADIUS}" fill="${fill(m)}" stroke="white" stroke-width="1"><title>${
      esc(m.title)
    }</title></circle>`
  );
  let text = "";
  let dropped = 0;
  if (labels) {
    const placed = placeLabels(points, { fontSize: FONT_SIZE, radius: RADIUS, frame });
    dropped = placed.dropped.length;
    const leaders = placed.labels.filter((l) => l.leader).map((l) =>
      `<line class="label-leader" x1="${r2(l.leader![0])}" y1="${r2(l.leader![1])}" x2="${
        r2(l.leader![2])
      }" y2="${r2(l.leader![3])}" stroke="#555" stroke-width="0.8"/>`
    );
    const texts = placed.labels.map((l) =>
      `<text class="station-label" x="${r2(l.x)}" y="${r2(l.y)}" data-box="${
        l.box.map(r2).join(" ")
      }" fill="#222" stroke="white" stroke-width="3" stroke-linejoin="round" paint-order="stroke">${
        esc(l.text)
      }</text>`
    );
    text = `<g class="station-labels" font-size="${FONT_SIZE}" text-anchor="start">${
      leaders.join("")
    }${texts.join("")}</g>`;
  }
  return { overlay: `<g class="station-markers">${dots.join("")}</g>${text}`, shown, dropped };
}

/** The legend of the themes on the map, with their counts. */
export function themeLegend(markers: readonly MapMarker[]): Part {
  const entries = [...THEMES, OTHER].map((t) => ({
    ...t,
    n: markers.filter((m) => t === OTHER ? hasTheme(m) && !themeOf(m) : themeOf(m)?.key === t.key)
      .length,
  })).filter((t) => t.n > 0);
  let x = 14;
  const items = entries.map((t) => {
    const label = `${t.label} (${t.n})`;
    const s = `<g class="legend-entry" data-theme="${t.key}"><rect x="${x}" y="3" width="10" ` +
      `height="10" rx="5" fill="${t.color}" stroke="white"/><text x="${
        x + 15
      }" y="12" font-size="12" fill="#222">${esc(label)}</text></g>`;
    x += 15 + textWidth(label, 12) + 18;
    return s;
  });
  return {
    svg: `<g class="legend" transform="translate(0,{Y})" text-anchor="start">${items.join("")}</g>`,
    height: 20,
  };
}

function r2(v: number): number {
  return Math.round(v * 100) / 100;
}
