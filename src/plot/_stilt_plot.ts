// Private: a STILT time series as a plot (`plotStilt`).

import { checkOptions } from "../_util/args.ts";
import { PLOT_OPTION_KEYS } from "./_plot_option_keys.ts";
import type { ColumnTable } from "../_util/arquero.ts";
import { InvalidArgumentError } from "../errors.ts";
import { type Line, type Picture, type PlotOptions, plotSeries } from "./plot.ts";

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
    ...PLOT_OPTION_KEYS,
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
