// Private: the rows of the STILT result endpoints as the viewer writes them
// (Spray's number format, arrays in the columns' order or objects).

import { sprayNumber } from "./_java_numbers.ts";

/** One value: a number as Spray writes it, text as JSON, a missing value `null`. */
export function renderValue(v: number | string | undefined): string {
  if (v === undefined) return "null";
  return typeof v === "number" ? sprayNumber(v) : JSON.stringify(v);
}

/** One served row: an array in `columns` order, or an object with every key and `isodate`. */
export function renderRow(
  sec: number,
  fields: readonly [string, number | string][],
  columns: string[] | undefined,
): string {
  if (columns) {
    const map = new Map(fields);
    return `[${
      columns.map((c) => c === "isodate" ? String(sec) : renderValue(map.get(c))).join(",")
    }]`;
  }
  const parts = fields.map(([k, v]) => `${JSON.stringify(k)}:${renderValue(v)}`);
  parts.push(`"isodate":${sec}`);
  return `{${parts.join(",")}}`;
}
