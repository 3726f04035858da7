// Private: maps: stations (`stationMap`) and STILT footprints
// (`footprintMap`).

import * as Plot from "npm:@observablehq/plot@0.6.17";
import { stationOverlay, themeLegend, themeOf } from "./_station_overlay.ts";
import { geoConicConformal, geoEquirectangular } from "npm:d3-geo@3.1.2";
import { checkOptions, list, object } from "../_util/args.ts";
import type { MapMarker } from "../discovery/map.ts";
import { InvalidArgumentError } from "../errors.ts";
import { FOOTPRINT_UNITS, footprintRange, type Footprints } from "../stilt/footprints.ts";
import {
  base64,
  type Bbox,
  colorAt,
  colorStops,
  fitted,
  graticuleMarks,
  mapPlot,
  SUPERSCRIPT,
  utcText,
} from "./_geo.ts";
import {
  compose,
  type Document,
  type Element,
  FONT,
  nested,
  type Part,
  SVG_NS,
  svgDocument,
} from "./_svg.ts";
import type { Picture } from "./plot.ts";

/** Named colour maps of {@linkcode footprintMap} (matplotlib's, as RGB stops). */
export type ColorMapName = "viridis" | "magma" | "inferno" | "plasma" | "cividis" | "greys";

/**
 * A power of ten as `10⁻⁷`; other values as `3×10⁻⁷` (two digits); zero,
 * negative and non-finite numbers as they are. A decimal string is its number.
 *
 * @throws {InvalidArgumentError} When `v` is not a number.
 */
export function powerOfTen(v: number): string {
  v = typeof v === "string" && (v as string).trim() !== "" && Number.isFinite(Number(v))
    ? Number(v)
    : v;
  if (typeof v !== "number") {
    throw new InvalidArgumentError("powerOfTen", "v", v, "a number");
  }
  if (!(v > 0) || !Number.isFinite(v)) return String(v);
  const e = Math.floor(Math.log10(v) + 1e-9);
  const m = Math.round((v / 10 ** e) * 10) / 10;
  const p = `10${String(e).replace(/./g, (c) => SUPERSCRIPT[c])}`;
  return m === 1 ? p : `${m}×${p}`;
}

/** Options of {@linkcode stationMap}. */
export interface StationMapOptions {
  /** Title. Default "Stations". */
  title?: string;
  /** Subtitle. */
  subtitle?: string;
  /** Width in pixels. Default 760. */
  width?: number;
  /** Label the markers with their titles. Default: when there are at most 40. */
  labels?: boolean;
  /** Map extent `[west, south, east, north]`. Default: the markers' bounds, padded. */
  bbox?: [number, number, number, number];
  /**
   * Colour the markers by theme (atmosphere, ecosystem, ocean; a marker's
   * `theme` or `details.theme`, e.g. `AS`) with a legend. Default: when a
   * marker has a theme.
   */
  themes?: boolean;
}

/**
 * A map of station markers over country borders (conic projection).
 * Markers without a position are left out; the subtitle says how many.
 *
 * @param markers The markers (e.g. from station records).
 * @param options Title, size, labels, extent.
 * @returns The picture.
 *
 * @example
 * ```ts
 * import { stationMap } from "@icoscp/icoscp/plot";
 * import assert from "node:assert/strict";
 *
 * const pic = await stationMap([
 *   { lat: 53.0657, lon: 11.4429, title: "GAT" },
 *   { lat: 56.0976, lon: 13.4189, title: "HTM" },
 *   { lat: NaN, lon: NaN, title: "ship" },
 * ]);
 * assert.equal(pic.svg.match(/<circle/g)?.length, 2);
 * assert.match(pic.svg, /1 without a position/);
 * ```
 */
export async function stationMap(
  markers: readonly MapMarker[],
  options: StationMapOptions = {},
): Promise<Picture> {
  markers = list("stationMap", "markers", markers);
  options = checkOptions("stationMap", options, {
    title: true,
    subtitle: true,
    width: true,
    labels: true,
    bbox: true,
    themes: true,
  });
  const placed = markers.filter((m) => Number.isFinite(m.lat) && Number.isFinite(m.lon));
  const document = await svgDocument();
  const width = options.width ?? 760;
  let box: Bbox;
  if (options.bbox) box = options.bbox;
  else if (placed.length === 0) box = [-12, 34, 35, 72];
  else {
    const lats = placed.map((m) => m.lat), lons = placed.map((m) => m.lon);
    let [w, s, e, n] = [Math.min(...lons), Math.min(...lats), Math.max(...lons), Math.max(...lats)];
    const padX = Math.max(2, (e - w) * 0.1, (8 - (e - w)) / 2);
    const padY = Math.max(1.5, (n - s) * 0.1, (5 - (n - s)) / 2);
    [w, s, e, n] = [w - padX, s - padY, e + padX, n + padY];
    const wide = 1.4 * (n - s) / Math.cos(((s + n) / 2) * Math.PI / 180);
    if (e - w < wide) [w, e] = [(w + e - wide) / 2, (w + e + wide) / 2];
    box = [Math.max(-180, w), Math.max(-85, s), Math.min(180, e), Math.min(85, n)];
  }
  const mid = (box[0] + box[2]) / 2;
  const { proj, height } = fitted(
    geoConicConformal().rotate([-mid, 0]).parallels([
      box[1] + (box[3] - box[1]) / 4,
      box[3] - (box[3] - box[1]) / 4,
    ]),
    box,
    width,
    10,
  );
  const labels = options.labels ?? placed.length <= 40;
  const svg = mapPlot(document, proj, width, height, box, [], []);
  const themed = options.themes ?? placed.some((m) => themeOf(m) !== undefined);
  const { overlay, shown, dropped } = stationOverlay(placed, proj, width, height, labels, themed);
  const missing = markers.length - placed.length;
  const subtitle = options.subtitle ??
    `${placed.length} station${placed.length === 1 ? "" : "s"}${
      missing ? ` (${missing} without a position)` : ""
    }${
      dropped ? ` · ${dropped} label${dropped === 1 ? "" : "s"} left out (no room)` : ""
    } · borders: Natural Earth`;
  const parts: Part[] = [{
    svg: nested(svg, 0, "{Y}" as unknown as number).replace(/<\/svg>$/, `${overlay}</svg>`),
    height,
  }];
  if (themed) parts.push(themeLegend(shown));
  return compose(width, options.title ?? "Stations", subtitle, parts);
}

/** Options of {@linkcode footprintMap}. */
export interface FootprintMapOptions {
  /** The slot to show (default: the only slot, or the mean over slots). */
  time?: Date | string | { index: number };
  /**
   * Lowest value coloured (log scale). Give `vmin` and `vmax` to compare
   * maps: the same colours mean the same values. Default: `vmax / 10⁴`.
   */
  vmin?: number;
  /** Value of the top colour. Default: the maximum of the field shown. */
  vmax?: number;
  /** Colour map: `viridis` (default), `magma`, `inferno`, `plasma`, `cividis`, `greys`, or RGB stops. */
  colors?: ColorMapName | readonly (readonly [number, number, number])[];
  /** Map extent `[west, south, east, north]` in degrees. Default: the footprint grid. */
  extent?: [number, number, number, number];
  /** Latitude/longitude lines with their labels. Default true. */
  graticule?: boolean;
  /** The receptor to mark (default: `fp.station`, set by `getFp`). */
  station?: { lat: number; lon: number; name?: string; id?: string };
  /** Title (default: station and date). */
  title?: string;
  /** Width in pixels. Default 760. */
  width?: number;
}

/**
 * A STILT footprint on a map: the field (log colour scale over four
 * decades, as `Footprints.toPng`) over country borders, the receptor
 * marked, a colour bar with the units, and a title with station and date.
 *
 * @param fp The footprints.
 * @param options The slot, the receptor, title and width.
 * @returns The picture.
 * @throws {InvalidArgumentError} When no slot has the time asked for.
 *
 * @example
 * ```ts
 * import { Footprints } from "@icoscp/icoscp";
 * import { footprintMap } from "@icoscp/icoscp/plot";
 * import assert from "node:assert/strict";
 *
 * const lat = Float64Array.from({ length: 40 }, (_, i) => 45 + i * 0.25);
 * const lon = Float64Array.from({ length: 60 }, (_, j) => 0 + j * 0.25);
 * const values = Float64Array.from({ length: 2400 }, (_, k) => Math.exp(-((k % 60 - 30) ** 2 + (Math.floor(k / 60) - 20) ** 2) / 50));
 * const fp = new Footprints({ lat, lon, time: new Float64Array([Date.UTC(2018, 5, 1, 12)]), values });
 * const pic = await footprintMap(fp, { station: { lat: 50, lon: 7.5, id: "XYZ", name: "Somewhere" } });
 * assert.match(pic.svg, /Somewhere/);
 * assert.match(pic.svg, /2018-06-01 12:00 UTC/);
 * assert.match(pic.svg, /ppm per \(micromol m-2 s-1\)/);
 * assert.match(pic.svg, /<image/);
 * ```
 */
export async function footprintMap(
  fp: Footprints,
  options: FootprintMapOptions = {},
): Promise<Picture> {
  object("footprintMap", "fp", fp);
  options = checkOptions("footprintMap", options, {
    time: true,
    station: true,
    title: true,
    width: true,
    vmin: true,
    vmax: true,
    colors: true,
    extent: true,
    graticule: true,
  });
  const document = await svgDocument();
  const width = options.width ?? 760;
  const [nt, nLat, nLon] = fp.shape;
  const dLat = nLat > 1 ? (fp.lat[1] - fp.lat[0]) / 2 : 0.5;
  const dLon = nLon > 1 ? (fp.lon[1] - fp.lon[0]) / 2 : 0.5;
  const grid: Bbox = [
    fp.lon[0] - dLon,
    fp.lat[0] - dLat,
    fp.lon[nLon - 1] + dLon,
    fp.lat[nLat - 1] + dLat,
  ];
  const extent = options.extent;
  if (
    extent !== undefined &&
    (!Array.isArray(extent) || extent.length !== 4 || !extent.every(Number.isFinite) ||
      !(extent[0] < extent[2] && extent[1] < extent[3]))
  ) {
    throw new InvalidArgumentError(
      `extent must be [west, south, east, north] with west < east and south < north, not ${
        JSON.stringify(extent)
      }`,
    );
  }
  const box: Bbox = extent ?? grid;
  const { proj, height } = fitted(geoEquirectangular(), box, width, 10);
  const stops = colorStops(options.colors);
  let field: ArrayLike<number>;
  let when: string;
  if (options.time !== undefined) {
    field = fp.sel(options.time);
    const i = typeof options.time === "object" && "index" in options.time
      ? options.time.index
      : fp.time.indexOf(
        options.time instanceof Date ? options.time.getTime() : Date.parse(options.time),
      );
    when = utcText(fp.time[i]);
  } else if (nt === 1) {
    field = fp.sel({ index: 0 });
    when = utcText(fp.time[0]);
  } else {
    field = fp.mean();
    when = `mean of ${nt} footprints, ${utcText(fp.time[0])} – ${utcText(fp.time[nt - 1])}`;
  }
  const { lo, hi: max } = footprintRange(field, { vmin: options.vmin, vmax: options.vmax });
  const png = await fp.toPng({
    ...(options.time === undefined ? {} : { time: options.time }),
    vmin: lo || undefined,
    vmax: max || undefined,
    colors: stops,
  });
  const [x0, y0] = proj([grid[0], grid[3]])!;
  const [x1, y1] = proj([grid[2], grid[1]])!;
  const href = `data:image/png;base64,${base64(png)}`;
  const raster = (
    _i: number[],
    _s: unknown,
    _v: unknown,
    _d: unknown,
    ctx: { document: Document },
  ) => {
    // the raster clipped to the map's frame (an extent may cut the grid)
    const frame = ctx.document.createElementNS(SVG_NS, "svg");
    for (
      const [k, v] of Object.entries({
        x: 10,
        y: 10,
        width: width - 20,
        height: height - 20,
        overflow: "hidden",
      })
    ) frame.setAttribute(k, String(v));
    const img = ctx.document.createElementNS(SVG_NS, "image");
    (frame as unknown as { appendChild(n: unknown): void }).appendChild(img);
    for (
      const [k, v] of Object.entries({
        x: x0 - 10,
        y: y0 - 10,
        width: x1 - x0,
        height: y1 - y0,
        preserveAspectRatio: "none",
        href,
        style: "image-rendering: pixelated",
        class: "footprint-raster",
      })
    ) img.setAttribute(k, String(v));
    return frame;
  };
  const station = options.station ?? fp.station;
  const svg = mapPlot(document, proj, width, height, box, [raster as unknown as Plot.Markish], [
    ...(options.graticule === false ? [] : graticuleMarks(box)),
    ...(station
      ? [Plot.dot([station], {
        x: "lon",
        y: "lat",
        r: 5,
        fill: "white",
        stroke: "#c0392b",
        strokeWidth: 2.5,
        symbol: "circle",
      })]
      : []),
  ]);
  const parts: Part[] = [{ svg: nested(svg, 0, "{Y}" as unknown as number), height }];
  if (max > 0) {
    const steps = 64;
    const decades = Math.log10(max / lo);
    const cells = Array.from({ length: steps }, (_, i) => ({
      x1: lo * 10 ** (decades * i / steps),
      x2: lo * 10 ** (decades * (i + 1) / steps),
      fill: colorAt((i + 0.5) / steps, stops),
    }));
    const legend = Plot.plot({
      document: document as never,
      width: Math.min(420, width - 20),
      height: 52,
      marginTop: 4,
      marginBottom: 32,
      marginLeft: 12,
      marginRight: 24,
      style: { fontFamily: FONT, fontSize: "11px" },
      x: {
        type: "log",
        domain: [lo, max],
        label: FOOTPRINT_UNITS,
        labelAnchor: "center",
        ticks: Math.max(2, Math.min(8, Math.round(decades) + 1)),
        tickFormat: (v: number) =>
          Math.abs(Math.log10(v) - Math.round(Math.log10(v))) < 1e-9 ? powerOfTen(v) : "",
      },
      y: { axis: null, domain: [0, 1] },
      marks: [Plot.rect(cells, { x1: "x1", x2: "x2", y1: 0, y2: 1, fill: "fill" })],
    }) as unknown as Element;
    parts.push({ svg: nested(legend, 10, "{Y}" as unknown as number), height: 56 });
  }
  const name = station
    ? `${"name" in station && station.name ? station.name : ""}${
      "id" in station && station.id ? ` (${station.id})` : ""
    }`.trim()
    : "";
  const title = options.title ?? `STILT footprint${name ? ` · ${name}` : ""}`;
  return compose(width, title, when, parts);
}
