// Private: STILT time slots (3-hourly, UTC) and which of them exist for a
// station. A slot exists when its month is available for the station and a
// seeded coin does not mark it as a gap (about 3 % of the slots), like the
// occasional failed STILT run on the real server.

import { uniform } from "./_keyed_random.ts";
import type { StiltStationDef } from "./_stations.ts";

/** Seconds between two slots. */
export const SLOT_SECONDS = 3 * 3600;
/** Seconds in a day. */
export const DAY_SECONDS = 86400;
const GAP_RATE = 0.03;

function pad(n: number, width = 2): string {
  return String(n).padStart(width, "0");
}

function validDate(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  return d <= new Date(Date.UTC(y, m, 0)).getUTCDate();
}

/** Epoch seconds of 00:00 UTC of an ISO local date (`2018-01-31`), or undefined when it is not one. */
export function parseLocalDate(text: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (!validDate(y, mo, d)) return undefined;
  return Date.UTC(y, mo - 1, d) / 1000;
}

/** Epoch seconds of an ISO local date-time (`2018-01-01T03:00`, seconds optional), or undefined. */
export function parseLocalDateTime(text: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?$/.exec(text);
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = [1, 2, 3, 4, 5, 6].map((i) => Number(m[i] ?? 0));
  if (!validDate(y, mo, d) || h > 23 || mi > 59 || s > 59) return undefined;
  return Date.UTC(y, mo - 1, d, h, mi, s) / 1000 + (m[7] ? Number(`0.${m[7]}`) : 0);
}

/** `2012x12x08x18`: the slot folder name. */
export function slotName(sec: number): string {
  const d = new Date(sec * 1000);
  return `${d.getUTCFullYear()}x${pad(d.getUTCMonth() + 1)}x${pad(d.getUTCDate())}x${
    pad(d.getUTCHours())
  }`;
}

/** `2012-12-08T18:00`: Java's LocalDateTime.toString for a slot. */
export function isoMinute(sec: number): string {
  return new Date(sec * 1000).toISOString().slice(0, 16);
}

/** `2012-12`: the month of a time. */
export function yearMonth(sec: number): string {
  return new Date(sec * 1000).toISOString().slice(0, 7);
}

/** Whether the station has a folder for this year. */
export function hasYear(station: StiltStationDef, year: number): boolean {
  return station.months.some((m) => m.startsWith(`${year}-`));
}

/** Whether a result (footprint and csv) exists for this slot. */
export function slotExists(station: StiltStationDef, sec: number, seed: number): boolean {
  if (sec % SLOT_SECONDS !== 0) return false;
  if (!station.months.includes(yearMonth(sec))) return false;
  return uniform(seed, "gap", station.id, sec) >= GAP_RATE;
}

/** Existing slots in [fromSec, toSec), ascending. */
export function existingSlots(
  station: StiltStationDef,
  fromSec: number,
  toSec: number,
  seed: number,
): number[] {
  const out: number[] = [];
  const first = Math.ceil(fromSec / SLOT_SECONDS) * SLOT_SECONDS;
  for (let t = first; t < toSec; t += SLOT_SECONDS) {
    if (slotExists(station, t, seed)) out.push(t);
  }
  return out;
}
