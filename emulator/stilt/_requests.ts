// Private: what the STILT viewer's requests ask for (the batch parameters of
// the footprint endpoints, the JSON payload of the result endpoints) and the
// slots and years of a period.

import { BODY_CAPS, cappedText } from "../_body.ts";
import { DAY_SECONDS, parseLocalDate, SLOT_SECONDS } from "./_slots.ts";
import type { StiltStationDef } from "./_stations.ts";

/** The `stationId`, `fromDate` and `toDate` parameters of a footprint request. */
export interface Batch {
  station: StiltStationDef | undefined;
  stationId: string;
  from: string;
  to: string;
  fromSec: number;
  toSec: number; // start of the last day
}

/** The JSON payload of `stiltresult` / `stiltrawresult`. */
export interface ResultRequest {
  stationId: string;
  fromSec: number;
  toSec: number;
  columns: string[] | undefined;
}

/** The batch parameters of a footprint request, or undefined when one is missing or no date. */
export function readBatch(
  params: URLSearchParams,
  byId: ReadonlyMap<string, StiltStationDef>,
): Batch | undefined {
  const stationId = params.get("stationId");
  const from = params.get("fromDate");
  const to = params.get("toDate");
  if (stationId === null || from === null || to === null) return undefined;
  const fromSec = parseLocalDate(from);
  const toSec = parseLocalDate(to);
  if (fromSec === undefined || toSec === undefined) return undefined;
  return { station: byId.get(stationId), stationId, from, to, fromSec, toSec };
}

/** All slot times of whole days [from 00:00, to 21:00], as the row cache serves them. */
export function allSlots(fromSec: number, toSec: number): number[] {
  const out: number[] = [];
  for (let t = fromSec; t < toSec + DAY_SECONDS; t += SLOT_SECONDS) out.push(t);
  return out;
}

/** Years covered by [from, to]. */
export function years(fromSec: number, toSec: number): number[] {
  const a = new Date(fromSec * 1000).getUTCFullYear();
  const b = new Date(toSec * 1000).getUTCFullYear();
  return Array.from({ length: b - a + 1 }, (_, i) => a + i);
}

/** The payload of a result request, or undefined when it is not one. */
export async function readResultRequest(req: Request): Promise<ResultRequest | undefined> {
  const type = req.headers.get("content-type") ?? "";
  if (!/^application\/json\s*(;|$)/i.test(type)) return undefined;
  let body: unknown;
  try {
    body = JSON.parse(await cappedText(req, BODY_CAPS.stilt));
  } catch {
    return undefined;
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) return undefined;
  const b = body as Record<string, unknown>;
  if (typeof b.stationId !== "string") return undefined;
  if (typeof b.fromDate !== "string" || typeof b.toDate !== "string") return undefined;
  const fromSec = parseLocalDate(b.fromDate);
  const toSec = parseLocalDate(b.toDate);
  if (fromSec === undefined || toSec === undefined) return undefined;
  let columns: string[] | undefined;
  if (b.columns !== undefined && b.columns !== null) {
    if (!Array.isArray(b.columns) || !b.columns.every((c) => typeof c === "string")) {
      return undefined;
    }
    columns = b.columns as string[];
  }
  return { stationId: b.stationId, fromSec, toSec, columns };
}
