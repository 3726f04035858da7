// Private: the geography of the maps: country borders, projections fitted
// to a box, graticules, colour maps.

import * as Plot from "npm:@observablehq/plot@0.6.17";
import { geoBounds, geoPath, type GeoProjection } from "npm:d3-geo@3.1.2";
import { feature } from "npm:topojson-client@3.1.0";
import countries50m from "npm:world-atlas@2.0.2/countries-50m.json" with { type: "json" };
import { InvalidArgumentError } from "../errors.ts";
import { FOOTPRINT_COLORS } from "../stilt/footprints.ts";
import { type Document, type Element, FONT, type GeoFeature } from "./_svg.ts";
import type { ColorMapName, FootprintMapOptions } from "./plot.ts";

// ---- maps -----------------------------------------------------------------

export type Bbox = [west: number, south: number, east: number, north: number];

export let borders: GeoFeature[] | undefined;

export function countryFeatures(): GeoFeature[] {
  if (!borders) {
    // deno-lint-ignore no-explicit-any
    const topo = countries50m as any;
    borders = (feature(topo, topo.objects.countries) as unknown as { features: GeoFeature[] })
      .features;
  }
  return borders;
}

/** The countries whose bounds meet the box. */
export function countriesIn(box: Bbox): { type: "FeatureCollection"; features: GeoFeature[] } {
  const [w, s, e, n] = box;
  return {
    type: "FeatureCollection",
    features: countryFeatures().filter((f) => {
      const [[fw, fs], [fe, fn]] = geoBounds(f);
      if (fs > n || fn < s) return false;
      return fw > fe || !(fw > e || fe < w); // fw > fe: crosses the antimeridian
    }),
  };
}

/** The outline of a box, sampled along its edges. */
export function boxOutline([w, s, e, n]: Bbox): GeoFeature {
  const pts: [number, number][] = [];
  for (let i = 0; i <= 10; i++) {
    const x = w + ((e - w) * i) / 10, y = s + ((n - s) * i) / 10;
    pts.push([x, s], [x, n], [w, y], [e, y]);
  }
  return { type: "MultiPoint", coordinates: pts };
}

/** A projection fitted to the box over `width` pixels, clipped to it; returns its height. */
export function fitted(
  proj: GeoProjection,
  box: Bbox,
  width: number,
  margin: number,
): { proj: GeoProjection; height: number } {
  const outline = boxOutline(box);
  proj.fitWidth(width - 2 * margin, outline);
  const [[x0, y0], [x1, y1]] = geoPath(proj).bounds(outline);
  const inner = Math.round((y1 - y0) * ((width - 2 * margin) / (x1 - x0)));
  proj.fitExtent([[margin, margin], [width - margin, margin + inner]], outline);
  proj.clipExtent([[margin, margin], [width - margin, margin + inner]]);
  return { proj, height: inner + 2 * margin };
}

export function mapPlot(
  document: Document,
  proj: GeoProjection,
  width: number,
  height: number,
  box: Bbox,
  under: Plot.Markish[],
  over: Plot.Markish[],
): Element {
  const land = countriesIn(box);
  return Plot.plot({
    document: document as never,
    width,
    height,
    projection: proj,
    margin: 10,
    style: { fontFamily: FONT, fontSize: "11px" },
    marks: [
      Plot.geo(land, { fill: "#f3f1ea", stroke: "none" }),
      ...under,
      Plot.geo(land, { fill: "none", stroke: "#666", strokeWidth: 0.6 }),
      ...over,
      Plot.frame({ stroke: "#999" }),
    ],
  }) as unknown as Element;
}

export const COLOR_MAPS: Record<ColorMapName, [number, number, number][]> = {
  viridis: FOOTPRINT_COLORS as [number, number, number][],
  magma: [[0, 0, 4], [81, 18, 124], [183, 55, 121], [252, 137, 97], [252, 253, 191]],
  inferno: [[0, 0, 4], [87, 16, 110], [188, 55, 84], [249, 142, 9], [252, 255, 164]],
  plasma: [[13, 8, 135], [126, 3, 168], [204, 71, 120], [248, 149, 64], [240, 249, 33]],
  cividis: [[0, 34, 78], [61, 78, 108], [124, 123, 120], [188, 175, 111], [254, 232, 56]],
  greys: [[240, 240, 240], [0, 0, 0]],
};

export function colorStops(
  c: FootprintMapOptions["colors"],
): readonly (readonly [number, number, number])[] {
  if (c === undefined) return FOOTPRINT_COLORS;
  if (typeof c === "string") {
    const stops = COLOR_MAPS[c.toLowerCase() as ColorMapName];
    if (!stops) {
      throw new InvalidArgumentError(
        `Unknown colour map ${c} (${Object.keys(COLOR_MAPS).join(", ")}, or RGB stops)`,
      );
    }
    return stops;
  }
  if (!Array.isArray(c) || c.length < 2 || !c.every((s) => Array.isArray(s) && s.length === 3)) {
    throw new InvalidArgumentError("colors: a colour map name or at least two [r, g, b] stops");
  }
  return c;
}

export const SUPERSCRIPT: Record<string, string> = {
  "-": "⁻",
  "0": "⁰",
  "1": "¹",
  "2": "²",
  "3": "³",
  "4": "⁴",
  "5": "⁵",
  "6": "⁶",
  "7": "⁷",
  "8": "⁸",
  "9": "⁹",
};

/** Graticule steps in degrees: about four to eight lines across the extent. */
export function graticuleStep(span: number): number {
  for (const s of [0.5, 1, 2, 5, 10, 15, 20, 30]) if (span / s <= 8) return s;
  return 45;
}

export function graticuleMarks(box: Bbox): Plot.Markish[] {
  const [w, s, e, n] = box;
  const step = graticuleStep(Math.max(e - w, n - s));
  const lons: number[] = [], lats: number[] = [];
  // lines strictly inside the extent (a label on the frame's edge would be cut or overlap)
  for (let x = Math.floor(w / step + 1) * step; x < e; x += step) lons.push(x);
  for (let y = Math.floor(s / step + 1) * step; y < n; y += step) lats.push(y);
  const deg = (v: number, pos: string, neg: string) =>
    `${Math.abs(Number(v.toFixed(2)))}°${v > 0 ? pos : v < 0 ? neg : ""}`;
  const lines = {
    type: "MultiLineString",
    coordinates: [
      ...lons.map((x) => Array.from({ length: 21 }, (_, i) => [x, s + (n - s) * i / 20])),
      ...lats.map((y) => Array.from({ length: 21 }, (_, i) => [w + (e - w) * i / 20, y])),
    ],
  };
  const style = {
    fontSize: 9,
    fill: "#555",
    stroke: "white",
    strokeWidth: 2.5,
    paintOrder: "stroke",
  };
  return [
    Plot.geo([lines], { stroke: "#888", strokeOpacity: 0.45, strokeWidth: 0.5 }),
    Plot.text(lons.map((x) => ({ x, y: s + (n - s) * 0.015 })), {
      x: "x",
      y: "y",
      text: (d: { x: number }) => deg(d.x, "E", "W"),
      dy: -4,
      ...style,
    }),
    Plot.text(lats.map((y) => ({ x: w + (e - w) * 0.008, y })), {
      x: "x",
      y: "y",
      text: (d: { y: number }) => deg(d.y, "N", "S"),
      textAnchor: "start",
      dx: 4,
      ...style,
    }),
  ];
}

export function utcText(ms: number): string {
  return new Date(ms).toISOString().replace("T", " ").replace(/:00\.000Z$|\.000Z$/, "") + " UTC";
}

export function colorAt(
  x: number,
  stops: readonly (readonly [number, number, number])[] = FOOTPRINT_COLORS,
): string {
  const s = Math.max(0, Math.min(1, x)) * (stops.length - 1);
  const k = Math.min(stops.length - 2, Math.floor(s));
  const t = s - k;
  const c = [0, 1, 2].map((i) => Math.round(stops[k][i] + t * (stops[k + 1][i] - stops[k][i])));
  return `rgb(${c.join(",")})`;
}

export function base64(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(s);
}
