// Private: the options of `StiltStation`'s data methods and their checks:
// positional hours and signal as icoscp_stilt takes them, the period's
// days.

import { checkOptions, isPlainObject, noExtraArguments, type OptionKeys } from "../_util/args.ts";
import { InvalidArgumentError } from "../errors.ts";
import { isoDay, type StiltDate, toMs } from "./_hours.ts";

export const TS_KEYS: OptionKeys<TimeSeriesOptions> = { hours: true, columns: true, signal: true };

export const RAW_KEYS = { columns: true, signal: true } as const;

export const FP_KEYS: OptionKeys<FootprintOptions> = {
  hours: true,
  via: true,
  concurrency: true,
  onProgress: true,
  signal: true,
};

/**
 * Python's positional `get_ts(start, end, hours, columns)` / `get_fp(start,
 * end, hours)`: a third argument that is not an options object is the hours.
 */
export function positional<T extends { hours?: readonly (number | string)[] }>(
  where: string,
  args: ArrayLike<unknown>,
  keys: OptionKeys<T> | Record<string, true>,
  fourth?: keyof T,
): T {
  const third = args[2];
  let o: T;
  if (third !== undefined && third !== null && !isPlainObject(third)) {
    noExtraArguments(where, args, fourth ? 4 : 3);
    o = { hours: third, ...(fourth && args[3] !== undefined ? { [fourth]: args[3] } : {}) } as T;
  } else {
    noExtraArguments(where, args, 3);
    o = checkOptions(where, third as T | undefined, keys as OptionKeys<T>);
  }
  if (o.hours !== undefined && o.hours !== null) {
    // one hour alone (12 or "12") is a list of one, never the characters of a string
    const h = o.hours as unknown;
    const list = typeof h === "number" || typeof h === "string" ? [h] : h;
    if (!Array.isArray(list)) {
      throw new InvalidArgumentError(where, "hours", h, "an hour or a list of hours (0-23)");
    }
    o = { ...o, hours: list };
  }
  const signal = (o as { signal?: unknown }).signal;
  if (signal !== undefined && !(signal instanceof AbortSignal)) {
    throw new InvalidArgumentError(where, "signal", signal, "an AbortSignal");
  }
  return o;
}

/** Start and end days, checked: valid dates, the end not before the start. */
export function period(where: string, start: unknown, end: unknown): [StiltDate, StiltDate] {
  const check = (name: string, d: unknown): StiltDate => {
    if (typeof d !== "string" && typeof d !== "number" && !(d instanceof Date)) {
      throw new InvalidArgumentError(
        where,
        name,
        d,
        'a day ("2018-05-01"), a Date or epoch seconds',
      );
    }
    try {
      toMs(d);
    } catch (cause) {
      throw new InvalidArgumentError(
        where,
        name,
        d,
        'a day ("2018-05-01"), a Date or epoch seconds',
        { cause },
      );
    }
    return d;
  };
  const a = check("start", start);
  const b = check("end", end === undefined ? start : end);
  if (isoDay(b) < isoDay(a)) {
    throw new InvalidArgumentError(
      where,
      "end",
      b,
      `on or after the start ${isoDay(a)} (swapped?)`,
    );
  }
  return [a, b];
}

/** Options of {@linkcode StiltStation.getTs}. */
export interface TimeSeriesOptions {
  /** Hours of the day; each selects the 3-hour slot it falls in. Default all eight slots. */
  hours?: readonly (number | string)[];
  /** A column group (`default`, `co2`, `ch4`, `co`, `rn`, `wind`, `latlon`, `all`) or column names. */
  columns?: string | readonly string[];
  /** Aborts the request. */
  signal?: AbortSignal;
}

/** Options of {@linkcode StiltStation.getFp}. */
export interface FootprintOptions {
  /** Hours of the day, as for time series. */
  hours?: readonly (number | string)[];
  /**
   * How the footprints travel: `raster` (default: the viewer's per-slot rasters, no login) or
   * `netcdf` (the zipped NetCDF package; the client must be able to log in). Never chosen for you.
   */
  via?: "raster" | "netcdf";
  /** Requests in flight at once for rasters. Default 4. */
  concurrency?: number;
  /** Called as slots arrive. */
  onProgress?: (done: number, total: number) => void;
  /** Aborts the requests; the call settles once every request it started has ended. */
  signal?: AbortSignal;
}
