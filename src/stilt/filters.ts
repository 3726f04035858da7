/**
 * The filters of {@linkcode StiltApi.find} (icoscp_stilt's) and its options.
 *
 * @module
 */

import type { StiltDate } from "./_hours.ts";
import type { StiltStationRefs } from "./selection.ts";

/** The filters of {@linkcode StiltApi.find}; applied in the order given. */
export interface StiltFilters {
  /** STILT or ICOS station ids (case-insensitive). */
  id?: string | readonly string[];
  /** Case-insensitive text anywhere in the station's record. */
  search?: string;
  /** Keep only these stations: an earlier result (a selection, its `toDict()` or records), stations or ids. */
  stations?: StiltStationRefs;
  /** Country or countries: alpha-2, alpha-3 or a name in any language the data has, any case. */
  country?: string | readonly string[];
  /** ICOS stations only (true) or non-ICOS only (false). */
  icos?: boolean;
  /** icoscp_stilt's `project="icos"` (any case): the same as `icos: true`. */
  project?: string;
  /** `[[latNW, lonNW], [latSE, lonSE]]`. */
  bbox?: readonly [readonly [number, number], readonly [number, number]];
  /** `[lat, lon, km = 200]`: a box of ±km × 0.01 degrees. */
  pinpoint?: readonly [number, number] | readonly [number, number, number];
  /** Stations with results in or after this month. */
  sdate?: StiltDate;
  /** Stations with results in or before this month. */
  edate?: StiltDate;
  /** Stations with results in any of these months. */
  dates?: readonly StiltDate[];
}

/** Options of {@linkcode StiltApi.find}. */
export interface FindOptions {
  /** Called as month listings arrive (date filters and availability need them). */
  onProgress?: (done: number, total: number) => void;
  /** Month listing requests in flight at once. Default 4. */
  concurrency?: number;
}
