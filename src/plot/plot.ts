/**
 * Pictures: time-series plots, station maps and STILT footprint maps as SVG
 * (and PNG), drawn with Observable Plot and d3-geo over Natural Earth
 * country borders (world-atlas). Works in Deno and Node (with a server-side
 * DOM from linkedom, loaded on demand) and in browsers (with the page's
 * DOM). Every function returns a {@linkcode Picture}, which a Deno Jupyter
 * notebook shows as an image.
 *
 * This module is heavy (plotting, geography, borders); the core module
 * loads it only when a notebook displays something.
 *
 * @example A plot of two series
 * ```ts
 * import { plotSeries } from "@icoscp/icoscp/plot";
 * import assert from "node:assert/strict";
 *
 * const time = Array.from({ length: 48 }, (_, i) => Date.UTC(2021, 0, 1, i));
 * const pic = await plotSeries([
 *   { label: "observed", time, values: time.map((_, i) => 420 + Math.sin(i / 4)) },
 *   { label: "modelled", time, values: time.map((_, i) => 421 + Math.cos(i / 4)) },
 * ], { title: "CO2 at Gartow", yLabel: "co2 (µmol mol-1)" });
 * assert.match(pic.svg, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
 * assert.match(pic.svg, /CO2 at Gartow/);
 * assert.match(pic.svg, /modelled/);
 * ```
 *
 * @module
 */

import * as Plot from "npm:@observablehq/plot@0.6.17";
import { geoBounds, geoConicConformal, geoEquirectangular, geoPath } from "npm:d3-geo@3.1.2";
import type { GeoProjection } from "npm:d3-geo@3.1.2";
import { feature } from "npm:topojson-client@3.1.0";
import countries50m from "npm:world-atlas@2.0.2/countries-50m.json" with { type: "json" };
import type { ColumnTable } from "../_util/arquero.ts";
import type { Dobj } from "../dobj/dobj.ts";
import type { MapMarker } from "../discovery/map.ts";
import {
  FOOTPRINT_COLORS,
  FOOTPRINT_UNITS,
  footprintRange,
  type Footprints,
} from "../stilt/footprints.ts";
import { svgToPng } from "./_svg_png.ts";
import { InvalidArgumentError } from "../errors.ts";
import { encodeBase64 } from "../_util/base64.ts";
import { decimate } from "./_decimate.ts";
import { checkOptions, finiteNumber, list, object } from "../_util/args.ts";

const SVG_NS = "http://www.w3.org/2000/svg";
const FONT = "DejaVu Sans, Verdana, system-ui, sans-serif";
const PALETTE = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b"];

/** An SVG picture with its size; a Deno notebook displays it. */
export class Picture {
  /** The standalone SVG document (with `xmlns`). */
  readonly svg: string;
  /** Width in pixels. */
  readonly width: number;
  /** Height in pixels. */
  readonly height: number;
  /** The title (also the text/plain rendering). */
  readonly title: string;

  /**
   * Wraps an SVG document.
   *
   * @param svg The SVG document.
   * @param size `width` and `height` in pixels, and the `title`.
   */
  constructor(
    svg: string,
    { width, height, title }: { width: number; height: number; title: string },
  ) {
    this.svg = svg;
    this.width = width;
    this.height = height;
    this.title = title;
  }

  /**
   * Renders the picture to PNG with resvg (WebAssembly, loaded on first
   * use, with the DejaVu Sans font), on a white background.
   *
   * @param scale Pixels per SVG pixel. Default 2.
   * @returns The PNG file.
   * @throws {UnsupportedFormatError} When resvg or the font cannot be loaded.
   *
   * @example
   * ```ts
   * import { plotSeries } from "@icoscp/icoscp/plot";
   * import assert from "node:assert/strict";
   *
   * const png = await (await plotSeries({ label: "x", time: [0, 3.6e6], values: [1, 2] })).png(1);
   * assert.deepEqual(Array.from(png.subarray(1, 4)), [80, 78, 71]); // "PNG"
   * ```
   */
  png(scale = 2): Promise<Uint8Array> {
    scale = finiteNumber("Picture.png", "scale", scale, { min: Number.MIN_VALUE });
    return svgToPng(this.svg, scale);
  }

  /** The SVG document. */
  toString(): string {
    return this.svg;
  }

  /**
   * The Jupyter MIME bundle, as matplotlib's: `image/png` (what untrusted
   * notebooks, GitHub, nbviewer and VS Code show), `image/svg+xml` (what a
   * trusted notebook prefers) and `text/plain` (the title).
   */
  async [Symbol.for("Jupyter.display")](): Promise<Record<string, string>> {
    return {
      "image/png": encodeBase64(await this.png(1)),
      "image/svg+xml": this.svg,
      "text/plain": this.title,
    };
  }
}

/** One line of a time-series plot. */
export interface Line {
  /** Legend label. */
  label: string;
  /** Times, milliseconds since the epoch (or Dates). */
  time: ArrayLike<number | Date>;
  /** Values; NaN makes a gap. */
  values: ArrayLike<number>;
  /** Points whose quality flag is not good (truthy), drawn as red crosses when their values are kept. */
  bad?: ArrayLike<number | boolean>;
}

/** Options of the plotting functions. */
export interface PlotOptions {
  /** Title (first line, bold). */
  title?: string;
  /** Subtitle (second line). */
  subtitle?: string;
  /** Label of the y axis, with units. */
  yLabel?: string;
  /** Label of the x axis. Default: the years shown and "UTC" (`2022 (UTC)`). */
  xLabel?: string;
  /** A logarithmic y axis (values ≤ 0 are left out). Default false. */
  logY?: boolean;
  /** Limits of the x axis: times (ms since the epoch, Dates or ISO text). Default: the data. */
  xDomain?: [number | Date | string, number | Date | string];
  /** Limits of the y axis. Default: the data, rounded outwards. */
  yDomain?: [number, number];
  /** Width in pixels. Default 760. */
  width?: number;
  /** Height of the plot area in pixels (without title and legend). Default 320. */
  height?: number;
}

function timeOf(v: number | Date | string, what: string): number {
  const t = v instanceof Date ? v.getTime() : typeof v === "string" ? Date.parse(v) : v;
  if (!Number.isFinite(t)) throw new InvalidArgumentError(`${what}: ${String(v)} is not a time`);
  return t;
}

/** Tick format and default label of a UTC time axis from `t0` to `t1`: the year always shows. */
function timeAxis(t0: number, t1: number): { tickFormat: string; label: string } {
  const days = (t1 - t0) / 864e5;
  const y0 = new Date(t0).getUTCFullYear(), y1 = new Date(t1).getUTCFullYear();
  const years = y0 === y1 ? String(y0) : `${y0}–${y1}`;
  if (days > 3 * 365) return { tickFormat: "%Y", label: "UTC" };
  if (days > 90) return { tickFormat: y0 === y1 ? "%b" : "%b %Y", label: `${years} (UTC)` };
  if (days > 3) return { tickFormat: "%d %b", label: `${years} (UTC)` };
  return { tickFormat: "%d %b %H:%M", label: `${years} (UTC)` };
}

/** The little of the DOM used here (the page's, or linkedom's). */
interface SvgNode {
  outerHTML: string;
  setAttribute(name: string, value: string): void;
}
interface SvgDocument {
  createElementNS(ns: string, name: string): SvgNode;
}
type Element = SvgNode;
type Document = SvgDocument;
type GeoFeature = Parameters<typeof geoBounds>[0];

let cachedDocument: Document | undefined;

async function svgDocument(): Promise<Document> {
  const g = globalThis as { document?: Document };
  if (g.document?.createElementNS) return g.document;
  if (!cachedDocument) {
    const { parseHTML } = await import("npm:linkedom@0.18.15");
    cachedDocument = (parseHTML("<!doctype html><html><body></body></html>") as unknown as {
      document: Document;
    }).document;
  }
  return cachedDocument;
}

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Serializes a Plot SVG element as a nested `<svg>` at (x, y). */
function nested(el: Element, x: number, y: number): string {
  const s = el.outerHTML;
  return s.replace(/^<svg/, `<svg x="${x}" y="${y}"`);
}

interface Part {
  svg: string;
  height: number;
}

/** Title, subtitle, body parts, stacked into one SVG document. */
function compose(
  width: number,
  title: string,
  subtitle: string | undefined,
  parts: Part[],
): Picture {
  let y = 0;
  const out: string[] = [];
  if (title) {
    out.push(
      `<text x="12" y="24" font-size="16" font-weight="bold" fill="#222">${esc(title)}</text>`,
    );
    y = 34;
  }
  if (subtitle) {
    out.push(`<text x="12" y="${y + 14}" font-size="12" fill="#555">${esc(subtitle)}</text>`);
    y += 22;
  }
  y += 4;
  for (const p of parts) {
    out.push(p.svg.replace(/\{Y\}/g, String(y)));
    y += p.height;
  }
  const height = Math.ceil(y + 4);
  const svg =
    `<svg xmlns="${SVG_NS}" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}"` +
    ` font-family="${FONT}"><rect width="100%" height="100%" fill="white"/>${out.join("")}</svg>`;
  return new Picture(svg, { width, height, title });
}

function swatches(labels: string[], colors: string[], width: number): Part {
  let x = 50;
  const items = labels.map((l, i) => {
    const s = `<g transform="translate(${x},{Y})"><line x1="0" x2="18" y1="8" y2="8" stroke="${
      colors[i]
    }" stroke-width="2.5"/><text x="24" y="12" font-size="12" fill="#222">${esc(l)}</text></g>`;
    x += 34 + 7.5 * l.length;
    return s;
  });
  return { svg: `<g class="swatches" data-width="${width}">${items.join("")}</g>`, height: 22 };
}

function toMs(t: number | Date): number {
  return t instanceof Date ? t.getTime() : t;
}

/**
 * A time-series plot of one or more lines (NaN values make gaps, so masked
 * bad data shows as gaps), with a legend when there are several lines.
 *
 * @param lines The lines.
 * @param options Title, axis label, size.
 * @returns The picture.
 * @throws {InvalidArgumentError} When a line's times and values differ in length.
 *
 * @example
 * ```ts
 * import { plotSeries } from "@icoscp/icoscp/plot";
 * import assert from "node:assert/strict";
 *
 * const pic = await plotSeries({ label: "co2", time: [0, 3.6e6, 7.2e6], values: [410, NaN, 412] });
 * assert.equal(pic.width, 760);
 * assert.match(pic.svg, /<path/);
 * ```
 */
export async function plotSeries(
  lines: Line | readonly Line[],
  options: PlotOptions = {},
): Promise<Picture> {
  options = checkOptions("plotSeries", options, {
    title: true,
    subtitle: true,
    yLabel: true,
    xLabel: true,
    logY: true,
    xDomain: true,
    yDomain: true,
    width: true,
    height: true,
  });
  if (lines === undefined || lines === null || typeof lines !== "object") {
    throw new InvalidArgumentError(
      "plotSeries",
      "lines",
      lines,
      "a line { label, time, values } or a list of them",
    );
  }
  for (const l of Array.isArray(lines) ? lines : [lines]) {
    checkOptions("plotSeries line", l, { label: true, time: true, values: true, unit: true });
  }
  const list = Array.isArray(lines) ? lines as readonly Line[] : [lines as Line];
  for (const l of list) {
    if (l.time.length !== l.values.length) {
      throw new InvalidArgumentError(
        `Line ${l.label}: ${l.time.length} times but ${l.values.length} values`,
      );
    }
  }
  const document = await svgDocument();
  const width = options.width ?? 760;
  const height = options.height ?? 320;
  const colors = list.map((_, i) => PALETTE[i % PALETTE.length]);
  const logY = options.logY === true;
  const xLimits = options.xDomain?.map((v, k) => timeOf(v, `xDomain[${k}]`));
  const yLimits = options.yDomain;
  // points outside the axis limits are left out (a gap), not drawn over the frame
  const shown = (v: number, t: number) =>
    Number.isFinite(v) && (!logY || v > 0) &&
    (!yLimits || (v >= yLimits[0] && v <= yLimits[1])) &&
    (!xLimits || (t >= xLimits[0] && t <= xLimits[1]));
  const marks = list.map((l, i) => {
    // within the x limits, values outside the limits as gaps; then at most four
    // points per pixel column: any length draws the same line
    const all = Array.from(l.time, toMs);
    const ks = all.flatMap((t, k) => (!xLimits || (t >= xLimits[0] && t <= xLimits[1]) ? [k] : []));
    const d = decimate(
      ks.map((k) => all[k]),
      Float64Array.from(ks, (k) => (shown(l.values[k], all[k]) ? l.values[k] : NaN)),
      width,
    );
    const idx = Array.from({ length: d.time.length }, (_, k) => k);
    return Plot.line(idx, {
      x: idx.map((k) => new Date(d.time[k])),
      y: idx.map((k) => (Number.isFinite(d.values[k]) ? d.values[k] : NaN)),
      stroke: colors[i],
      strokeWidth: list.length > 1 ? 1.3 : 1,
    });
  });
  const bad: { t: Date; v: number }[] = [];
  for (const l of list) {
    if (!l.bad) continue;
    for (let k = 0; k < l.time.length; k++) {
      const t = toMs(l.time[k]);
      if (l.bad[k] && shown(l.values[k], t)) bad.push({ t: new Date(t), v: l.values[k] });
    }
  }
  if (bad.length) {
    marks.push(Plot.dot(bad, { x: "t", y: "v", symbol: "times", r: 2.5, stroke: "#d62728" }));
  }
  let t0 = Infinity, t1 = -Infinity;
  for (const l of list) {
    for (let k = 0; k < l.time.length; k++) {
      const t = toMs(l.time[k]);
      if (t < t0) t0 = t;
      if (t > t1) t1 = t;
    }
  }
  const xDomain = xLimits;
  if (xDomain && !(xDomain.length === 2 && xDomain[0] < xDomain[1])) {
    throw new InvalidArgumentError("xDomain must be [start, end] with start before end");
  }
  const yDomain = options.yDomain;
  if (
    yDomain &&
    !(yDomain.length === 2 && yDomain.every(Number.isFinite) && yDomain[0] < yDomain[1] &&
      (!logY || yDomain[0] > 0))
  ) {
    throw new InvalidArgumentError(
      `yDomain must be [low, high] with low < high${logY ? " and low > 0 (log axis)" : ""}`,
    );
  }
  if (xDomain) [t0, t1] = xDomain;
  const axis = Number.isFinite(t0) ? timeAxis(t0, t1) : { tickFormat: "%Y-%m-%d", label: "UTC" };
  const svg = Plot.plot({
    document: document as never,
    width,
    height,
    marginLeft: 60,
    marginBottom: 40,
    style: { fontFamily: FONT, fontSize: "11px" },
    x: {
      type: "utc",
      label: options.xLabel ?? axis.label,
      labelAnchor: "center",
      labelArrow: "none",
      tickFormat: axis.tickFormat,
      ...(xDomain ? { domain: xDomain.map((t) => new Date(t)) } : {}),
      clamp: false,
    },
    y: {
      label: options.yLabel ?? null,
      grid: true,
      nice: !yDomain,
      ...(logY ? { type: "log" } : {}),
      ...(yDomain ? { domain: yDomain } : {}),
    },
    marks: [Plot.frame({ stroke: "#bbb" }), ...marks],
  }) as unknown as Element;
  const parts: Part[] = [];
  if (list.length > 1 || bad.length) {
    const labels = list.map((l) => l.label);
    const swatchColors = [...colors];
    if (bad.length) {
      labels.push("× bad quality flag (kept)");
      swatchColors.push("#d62728");
    }
    parts.push(swatches(labels, swatchColors, width));
  }
  parts.push({ svg: nested(svg, 0, "{Y}" as unknown as number), height });
  return compose(width, options.title ?? "", options.subtitle, parts);
}

/** Options of {@linkcode plotDobj}. */
export interface DobjPlotOptions extends PlotOptions {
  /** The column to plot. Default: the first numeric value column (e.g. `co2`). */
  column?: string;
  /** Keep values whose flag is bad (default: masked as gaps). */
  keepBadData?: boolean;
  /** Aborts the download. */
  signal?: AbortSignal;
}

const TIME_FORMATS = /iso8601dateTime$|iso8601timeOfDay$|etcDate$/;

function valueColumn(dobj: Dobj): string | undefined {
  return dobj.columns.find((c) =>
    c.valueFormat !== undefined && /float32|float64|double|bmpChar/.test(c.valueFormat) &&
    !/bmpChar/.test(c.valueFormat) && !(c.isFlagFor?.length) &&
    !/stdev|nbpoints|^time|^lat|^lon|elevation|intake|height/i.test(c.label)
  )?.label;
}

/**
 * A line of a data object's column against its time column, fetched with
 * bad-flag masking (see `Dobj.getColumns`).
 *
 * @param dobj The data object (a station time series table).
 * @param options The column and bad-data handling.
 * @returns The line, labelled with the column and its unit, and the unit.
 * @throws {UnsupportedFormatError} When the object has no time or value column.
 */
export async function dobjLine(
  dobj: Dobj,
  options: { column?: string; keepBadData?: boolean; signal?: AbortSignal; label?: string } = {},
): Promise<Line & { unit?: string }> {
  object("dobjLine", "dobj", dobj);
  options = checkOptions("dobjLine", options, {
    column: true,
    keepBadData: true,
    signal: true,
    label: true,
  });
  const time = dobj.columns.find((c) => c.label === "TIMESTAMP") ??
    dobj.columns.find((c) => c.valueFormat !== undefined && TIME_FORMATS.test(c.valueFormat));
  const column = options.column ?? valueColumn(dobj);
  if (!time || !column) {
    const { UnsupportedFormatError } = await import("../errors.ts");
    throw new UnsupportedFormatError(
      `Data object ${dobj.id} has no ${time ? "value" : "time"} column to plot (columns: ${
        dobj.colNames.join(", ")
      })`,
    );
  }
  const cols = await dobj.getColumns([time.label, column], {
    keepBadData: options.keepBadData,
    signal: options.signal,
  });
  const unit = dobj.columns.find((c) => c.label === column)?.valueType.unit;
  const values = Float64Array.from(cols[column] as ArrayLike<number>);
  let bad: Uint8Array | undefined;
  if (options.keepBadData) {
    // the points whose flag is not good: values kept here, masked in a masked read
    const masked =
      (await dobj.getColumns([column], { signal: options.signal }))[column] as ArrayLike<
        number
      >;
    bad = Uint8Array.from(values, (v, k) => Number(Number.isFinite(v) && Number.isNaN(masked[k])));
  }
  return {
    label: options.label ?? column,
    time: cols[time.label] as Float64Array,
    values,
    ...(bad ? { bad } : {}),
    unit,
  };
}

/**
 * Plots a column of a data object over time, bad data masked (gaps), with
 * the station, column and unit in the titles.
 *
 * @param dobj The data object.
 * @param options Column, bad-data handling, titles and size.
 * @returns The picture.
 * @throws {UnsupportedFormatError} When the object has no time or value column.
 */
export async function plotDobj(dobj: Dobj, options: DobjPlotOptions = {}): Promise<Picture> {
  object("plotDobj", "dobj", dobj);
  options = checkOptions("plotDobj", options, {
    title: true,
    subtitle: true,
    yLabel: true,
    xLabel: true,
    logY: true,
    xDomain: true,
    yDomain: true,
    width: true,
    height: true,
    column: true,
    keepBadData: true,
    signal: true,
  });
  const line = await dobjLine(dobj, options);
  const station = dobj.station?.org?.name ?? dobj.station?.id;
  const height = dobj.samplingHeight;
  return await plotSeries(line, {
    title: options.title ??
      `${line.label}${station ? ` at ${station}` : ""}${
        height !== undefined ? ` (${height} m)` : ""
      }`,
    subtitle: options.subtitle ??
      `${dobj.fileName}${options.keepBadData ? "" : " · bad flags masked"}`,
    yLabel: options.yLabel ?? `${line.label}${line.unit ? ` (${line.unit})` : ""}`,
    xLabel: options.xLabel,
    logY: options.logY,
    xDomain: options.xDomain,
    yDomain: options.yDomain,
    width: options.width,
    height: options.height,
  });
}

/** Options of {@linkcode plotStilt}. */
export interface StiltPlotOptions extends PlotOptions {
  /** The modelled column. Default `co2.stilt` (else the first non-time column). */
  column?: string;
  /** Also plot the background column (`co2.background`) when present. Default true. */
  background?: boolean;
  /** Observations to compare with (e.g. from {@linkcode dobjLine}). */
  observed?: Line;
}

/**
 * Modelled STILT concentrations (a table of `StiltStation.getTs`, with
 * `isodate` in milliseconds) against observations, as a time-series plot.
 *
 * @param ts The STILT time series table.
 * @param options The column, observations, titles and size.
 * @returns The picture.
 * @throws {InvalidArgumentError} When the table has no `isodate` or no such column.
 *
 * @example
 * ```ts
 * import { plotStilt } from "@icoscp/icoscp/plot";
 * import { table } from "npm:arquero@8.0.3";
 * import assert from "node:assert/strict";
 *
 * const isodate = [0, 1, 2].map((i) => Date.UTC(2020, 0, 1, 3 * i));
 * const ts = table({ isodate, "co2.stilt": [415, 416, 414], "co2.background": [410, 410, 411] });
 * const pic = await plotStilt(ts, { observed: { label: "observed", time: isodate, values: [416, 417, 413] } });
 * assert.match(pic.svg, /co2\.stilt/);
 * assert.match(pic.svg, /observed/);
 * ```
 */
export async function plotStilt(ts: ColumnTable, options: StiltPlotOptions = {}): Promise<Picture> {
  if (typeof (ts as { columnNames?: unknown } | undefined)?.columnNames !== "function") {
    throw new InvalidArgumentError("plotStilt", "ts", ts, "the table of StiltStation.getTs");
  }
  options = checkOptions("plotStilt", options, {
    title: true,
    subtitle: true,
    yLabel: true,
    xLabel: true,
    logY: true,
    xDomain: true,
    yDomain: true,
    width: true,
    height: true,
    column: true,
    background: true,
    observed: true,
  });
  const names = ts.columnNames();
  if (!names.includes("isodate")) {
    throw new InvalidArgumentError(
      `A STILT time series needs an isodate column (columns: ${names.join(", ")})`,
    );
  }
  const column = options.column ??
    (names.includes("co2.stilt") ? "co2.stilt" : names.find((n) => n !== "isodate"));
  if (!column || !names.includes(column)) {
    throw new InvalidArgumentError(
      `No column ${column} in the STILT time series (columns: ${names.join(", ")})`,
    );
  }
  const time = ts.array("isodate") as ArrayLike<number>;
  const lines: Line[] = [];
  if (options.observed) lines.push(options.observed);
  lines.push({
    label: `${column} (modelled)`,
    time,
    values: ts.array(column) as ArrayLike<number>,
  });
  const bg = column.replace(/\..*$/, ".background");
  if (options.background !== false && bg !== column && names.includes(bg)) {
    lines.push({ label: `${bg} (modelled)`, time, values: ts.array(bg) as ArrayLike<number> });
  }
  const gas = column.replace(/\..*$/, "");
  return await plotSeries(lines, {
    title: options.title ?? `STILT ${gas}: modelled${options.observed ? " vs observed" : ""}`,
    subtitle: options.subtitle,
    yLabel: options.yLabel ?? `${gas} (${gas === "co2" ? "µmol mol-1" : "nmol mol-1"})`,
    width: options.width,
    height: options.height,
  });
}

// ---- maps -----------------------------------------------------------------

type Bbox = [west: number, south: number, east: number, north: number];

let borders: GeoFeature[] | undefined;

function countryFeatures(): GeoFeature[] {
  if (!borders) {
    // deno-lint-ignore no-explicit-any
    const topo = countries50m as any;
    borders = (feature(topo, topo.objects.countries) as unknown as { features: GeoFeature[] })
      .features;
  }
  return borders;
}

/** The countries whose bounds meet the box. */
function countriesIn(box: Bbox): { type: "FeatureCollection"; features: GeoFeature[] } {
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
function boxOutline([w, s, e, n]: Bbox): GeoFeature {
  const pts: [number, number][] = [];
  for (let i = 0; i <= 10; i++) {
    const x = w + ((e - w) * i) / 10, y = s + ((n - s) * i) / 10;
    pts.push([x, s], [x, n], [w, y], [e, y]);
  }
  return { type: "MultiPoint", coordinates: pts };
}

/** A projection fitted to the box over `width` pixels, clipped to it; returns its height. */
function fitted(
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

function mapPlot(
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

/** Named colour maps of {@linkcode footprintMap} (matplotlib's, as RGB stops). */
export type ColorMapName = "viridis" | "magma" | "inferno" | "plasma" | "cividis" | "greys";

const COLOR_MAPS: Record<ColorMapName, [number, number, number][]> = {
  viridis: FOOTPRINT_COLORS as [number, number, number][],
  magma: [[0, 0, 4], [81, 18, 124], [183, 55, 121], [252, 137, 97], [252, 253, 191]],
  inferno: [[0, 0, 4], [87, 16, 110], [188, 55, 84], [249, 142, 9], [252, 255, 164]],
  plasma: [[13, 8, 135], [126, 3, 168], [204, 71, 120], [248, 149, 64], [240, 249, 33]],
  cividis: [[0, 34, 78], [61, 78, 108], [124, 123, 120], [188, 175, 111], [254, 232, 56]],
  greys: [[240, 240, 240], [0, 0, 0]],
};

function colorStops(
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

const SUPERSCRIPT: Record<string, string> = {
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

/** A power of ten as `10⁻⁷`; other values as `3×10⁻⁷` (two digits). */
export function powerOfTen(v: number): string {
  if (!(v > 0) || !Number.isFinite(v)) return String(v);
  const e = Math.floor(Math.log10(v) + 1e-9);
  const m = Math.round((v / 10 ** e) * 10) / 10;
  const p = `10${String(e).replace(/./g, (c) => SUPERSCRIPT[c])}`;
  return m === 1 ? p : `${m}×${p}`;
}

/** Graticule steps in degrees: about four to eight lines across the extent. */
function graticuleStep(span: number): number {
  for (const s of [0.5, 1, 2, 5, 10, 15, 20, 30]) if (span / s <= 8) return s;
  return 45;
}

function graticuleMarks(box: Bbox): Plot.Markish[] {
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
  const svg = mapPlot(document, proj, width, height, box, [], [
    Plot.dot(placed, {
      x: "lon",
      y: "lat",
      r: 4.5,
      fill: "#c0392b",
      stroke: "white",
      strokeWidth: 1,
      title: "title",
    }),
    ...(labels
      ? [Plot.text(placed, {
        x: "lon",
        y: "lat",
        text: "title",
        dx: 7,
        textAnchor: "start",
        fontSize: 11,
        fill: "#222",
        stroke: "white",
        strokeWidth: 3,
        paintOrder: "stroke",
      })]
      : []),
  ]);
  const missing = markers.length - placed.length;
  const subtitle = options.subtitle ??
    `${placed.length} station${placed.length === 1 ? "" : "s"}${
      missing ? ` (${missing} without a position)` : ""
    } · borders: Natural Earth`;
  return compose(width, options.title ?? "Stations", subtitle, [
    { svg: nested(svg, 0, "{Y}" as unknown as number), height },
  ]);
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

function utcText(ms: number): string {
  return new Date(ms).toISOString().replace("T", " ").replace(/:00\.000Z$|\.000Z$/, "") + " UTC";
}

function colorAt(
  x: number,
  stops: readonly (readonly [number, number, number])[] = FOOTPRINT_COLORS,
): string {
  const s = Math.max(0, Math.min(1, x)) * (stops.length - 1);
  const k = Math.min(stops.length - 2, Math.floor(s));
  const t = s - k;
  const c = [0, 1, 2].map((i) => Math.round(stops[k][i] + t * (stops[k + 1][i] - stops[k][i])));
  return `rgb(${c.join(",")})`;
}

function base64(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(s);
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
  const { lo, hi: max } = footprintRange(field, options);
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
