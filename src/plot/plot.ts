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
import type { ColumnTable } from "../_util/arquero.ts";
import type { Dobj } from "../dobj/dobj.ts";
import { svgToPng } from "./_svg_png.ts";
import { InvalidArgumentError } from "../errors.ts";
import { encodeBase64 } from "../_util/base64.ts";
import { decimate } from "./_decimate.ts";
import { checkOptions, finiteNumber, object } from "../_util/args.ts";
import {
  compose,
  type Element,
  FONT,
  nested,
  PALETTE,
  type Part,
  svgDocument,
  swatches,
} from "./_svg.ts";
export {
  type ColorMapName,
  footprintMap,
  type FootprintMapOptions,
  powerOfTen,
  stationMap,
  type StationMapOptions,
} from "./_maps.ts";

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
