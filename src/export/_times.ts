// Private: which columns of a table an export writes as times, and the
// table as the exporters take it.

import { type ColumnTable, table } from "../_util/arquero.ts";
import { isPlainObject, oneOf, stringList } from "../_util/args.ts";
import { InvalidArgumentError, UnknownColumnError } from "../errors.ts";
import { type TimeKind, timeKindOfColumn } from "./_table_text.ts";

/** A table or a record of columns (typed arrays, number or string arrays). */
export type TableLike = ColumnTable | Record<string, ArrayLike<unknown>>;

/**
 * Time columns named by the caller: column names (date-times) or kinds by
 * name (`{ day: "date" }`).
 */
export type TimesOption = readonly string[] | Readonly<Record<string, TimeKind>>;

const KINDS: readonly TimeKind[] = ["dateTime", "date", "month", "timeOfDay"];

/** The data as an arquero table. */
export function asTable(where: string, t: TableLike): ColumnTable {
  if (typeof t !== "object" || t === null) {
    throw new InvalidArgumentError(where, "data", t, "an arquero table or a record of columns");
  }
  return typeof (t as ColumnTable).columnNames === "function"
    ? t as ColumnTable
    : table(t as Record<string, ArrayLike<unknown>>);
}

/**
 * The time columns of a table by name: those the caller names, those the
 * library marked (a data object's date-time, date, month and time-of-day
 * columns, in `getColumns`, `get` and `data()` tables and their selections),
 * and columns of Dates.
 */
export function timeColumns(
  where: string,
  t: ColumnTable,
  times: TimesOption | undefined,
): Record<string, TimeKind> {
  const names = t.columnNames();
  const given: Record<string, TimeKind> = {};
  if (times !== undefined) {
    const entries: [string, unknown][] = isPlainObject(times)
      ? Object.entries(times)
      : stringList(where, "times", times).map((n) => [n, "dateTime"]);
    for (const [name, kind] of entries) {
      if (!names.includes(name)) {
        throw new UnknownColumnError(`The table given to ${where}`, {
          unknown: [name],
          columns: names,
        });
      }
      given[name] = oneOf(where, `times.${name}`, kind, KINDS);
    }
  }
  const out: Record<string, TimeKind> = {};
  for (const name of names) {
    const kind = timeKindOfColumn(t, name, given);
    if (kind) out[name] = kind;
  }
  return out;
}
