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
import { svgToPng } from "./_svg_png.ts";
import { InvalidArgumentError } from "../errors.ts";
import { encodeBase64 } from "../_util/base64.ts";
import { decimate } from "./_decimate.ts";
import { checkOptions, finiteNumber } from "../_util/args.ts";
import { PLOT_OPTION_KEYS } from "./_plot_option_keys.ts";
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
export { plotStilt, type StiltPlotOptions } from "./_stilt_plot.ts";
export { dobjLine, type DobjPlotOptions, plotDobj } from "./_dobj_plot.ts";
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
  options = checkOptions("plotSeries", options, PLOT_OPTION_KEYS);
  if (lines === undefined || lines === null || typeof lines !== "object") {
    throw new InvalidArgumentError(
      "plotSeries",
      "lines",
      lines,
      "a line { label, time, values } or a list of them",
    );
  }
  for (const l of Array.isArray(lines) ? lines : [lines]) {
    checkOptions("plotSeries line", l, {
      label: true,
      time: true,
      values: true,
      unit: true,
      bad: true,
    });
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
