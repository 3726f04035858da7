// Private: dates and 3-hourly slots of STILT (docs/protocol.md §7.1, §7.4).

import { InvalidArgumentError } from "../errors.ts";

/** A date as STILT requests take it: `YYYY-MM-DD` text, a Date, or seconds since the epoch. */
export type StiltDate = string | Date | number;

/** Milliseconds since the epoch (UTC) of a date argument. */
export function toMs(d: StiltDate): number {
  let ms: number;
  if (d instanceof Date) ms = d.getTime();
  else if (typeof d === "number") ms = d * 1000;
  else if (/^\d{4}-\d{2}(-\d{2})?$/.test(d)) {
    ms = Date.parse(d.length === 7 ? `${d}-01T00:00:00Z` : `${d}T00:00:00Z`);
  } else ms = Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(d) ? d : `${d}Z`);
  if (!Number.isFinite(ms)) throw new InvalidArgumentError(`Not a date: ${String(d)}`);
  return ms;
}

/** `YYYY-MM-DD` of a date argument (UTC). */
export function isoDay(d: StiltDate): string {
  return new Date(toMs(d)).toISOString().slice(0, 10);
}

/**
 * The slot hours (0, 3, …, 21) selected by a list of hours: each hour selects
 * the 3-hour slot it falls in (lower bound), so `["02:00", 3, 4]` → 0 and 3,
 * `["10", "10:00", 10]` → 9. An empty or missing list selects all eight.
 */
export function slotHours(hours?: readonly (number | string)[]): number[] {
  if (!hours || hours.length === 0) return [0, 3, 6, 9, 12, 15, 18, 21];
  const out = new Set<number>();
  for (const h of hours) {
    const n = typeof h === "number" ? h : /^\s*(\d{1,2})(?::\d{2})?\s*$/.exec(h)?.[1];
    const v = Number(n);
    if (n === undefined || !Number.isInteger(v) || v < 0 || v > 23) {
      throw new InvalidArgumentError(`Not an hour of the day: ${String(h)}`);
    }
    out.add(Math.floor(v / 3) * 3);
  }
  return [...out].sort((a, b) => a - b);
}
