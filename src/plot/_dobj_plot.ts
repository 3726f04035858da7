// Private: a data object's time series as a plot (`plotDobj`, `dobjLine`).

import { checkOptions, object } from "../_util/args.ts";
import { PLOT_OPTION_KEYS } from "./_plot_option_keys.ts";
import type { Dobj } from "../dobj/dobj.ts";
import { type Line, type Picture, type PlotOptions, plotSeries } from "./plot.ts";

/** Options of {@linkcode plotDobj}. */
export interface DobjPlotOptions extends PlotOptions {
  /** The column to plot. Default: the first numeric value column (e.g. `co2`). */
  column?: string;
  /** Keep values whose flag is bad (default: masked as gaps). */
  keepBadData?: boolean;
  /** Aborts the download. */
  signal?: AbortSignal;
}

export const TIME_FORMATS = /iso8601dateTime$|iso8601timeOfDay$|etcDate$/;

export function valueColumn(dobj: Dobj): string | undefined {
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
    ...PLOT_OPTION_KEYS,
    column: true,
    keepBadData: true,
    signal: true,
  });
  const line = await dobjLine(dobj, {
    column: options.column,
    keepBadData: options.keepBadData,
    signal: options.signal,
  });
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
