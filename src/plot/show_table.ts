/**
 * Display of tables, on request: `showTable(t)` wraps an arquero table in an
 * object that a Deno Jupyter notebook renders as HTML and that prints
 * readable rows (`showTable(t).print()`). The library never changes
 * arquero's own classes.
 *
 * @module
 */

import type { ColumnTable } from "../_util/arquero.ts";
import { InvalidArgumentError, UnknownColumnError } from "../errors.ts";
import { checkOptions, integer, isPlainObject, stringList } from "../_util/args.ts";
import { displayTable, type MimeBundle, printRows } from "./_display.ts";

/** Options of {@linkcode showTable}. */
export interface ShowTableOptions {
  /** Rows shown before the table is abbreviated to its first and last few. Default 20. */
  maxRows?: number;
}

/**
 * A table as a notebook shows it (what {@linkcode showTable} returns).
 *
 * @example
 * ```ts
 * import { showTable } from "@icoscp/icoscp/plot";
 * import { table } from "npm:arquero@8.0.3";
 * import assert from "node:assert/strict";
 *
 * const shown = showTable(table({ x: [1, 2, 3] }), { maxRows: 2 });
 * assert.equal(shown.table.numRows(), 3);
 * ```
 */
export class TableDisplay {
  /** The table shown. */
  readonly table: ColumnTable;
  #maxRows: number;

  /**
   * Use {@linkcode showTable}.
   *
   * @param table The table.
   * @param maxRows Rows shown before abbreviating (default 20).
   * @throws {InvalidArgumentError} When `table` is not an arquero table or `maxRows` is not an
   *   integer >= 1.
   */
  constructor(table: ColumnTable, maxRows: number = 20) {
    const t = table as Partial<ColumnTable> | null;
    if (typeof t?.columnNames !== "function" || typeof t.numRows !== "function") {
      throw new InvalidArgumentError("TableDisplay", "table", table, "an arquero table");
    }
    this.table = table;
    this.#maxRows = integer("TableDisplay", "maxRows", maxRows, { min: 1 });
  }

  /**
   * The MIME bundle a notebook shows: HTML, with a map or plot above when fitting.
   *
   * @returns The bundle (`text/html` and `text/plain`).
   */
  toMimeBundle(): Promise<MimeBundle> {
    return displayTable(this.table, this.#maxRows);
  }

  /**
   * Prints the first rows to the console as arquero's `print()` does, but
   * readable: time columns (epoch milliseconds) as dates, float32 values as
   * the shortest decimal of their float32 (0.156, not 0.15600000321865082).
   *
   * @param options Rows to show (a number, default 10) or `{ limit, offset, columns }`.
   * @returns This display.
   */
  print(options: number | { limit?: number; offset?: number; columns?: unknown } = {}): this {
    const rows = printRows(this.table, printOptions(this.table, options));
    const tag = (this.table as unknown as Record<symbol, string>)[Symbol.toStringTag];
    // deno-lint-ignore no-console
    console.log(`${tag}. Showing ${rows.length} rows.`);
    // deno-lint-ignore no-console
    console.table(rows);
    return this;
  }

  /**
   * What a Deno notebook calls to display the value: {@linkcode TableDisplay.toMimeBundle}.
   *
   * @returns The bundle.
   */
  [Symbol.for("Jupyter.display")](): Promise<MimeBundle> {
    return this.toMimeBundle();
  }
}

/**
 * Wraps a table for display in a Deno Jupyter notebook: the last expression
 * of a cell, `showTable(t)`, shows the table as HTML (numbers to 6
 * significant digits, epoch-millisecond time columns as UTC date-times, long
 * tables abbreviated), with a plot of up to four numeric columns above a
 * table with a time column, or a map above a table with `lat` and `lon`
 * (the plotting libraries load then). This is an explicit opt-in: neither
 * importing the library nor creating a client changes how arquero tables
 * display.
 *
 * @example
 * ```ts
 * import { showTable } from "@icoscp/icoscp/plot";
 * import { table } from "npm:arquero@8.0.3";
 * import assert from "node:assert/strict";
 *
 * const shown = showTable(table({ id: ["GAT", "HTM"], n: [1, 2.5] }));
 * const bundle = await shown.toMimeBundle();
 * assert.match(bundle["text/html"], /2 rows × 2 columns/);
 * ```
 *
 * @param table An arquero table (as the library's `get…` methods return).
 * @param options How many rows to show.
 * @returns An object a notebook displays.
 * @throws {InvalidArgumentError} When `table` is not an arquero table or `maxRows` is not an
 *   integer >= 1.
 */
export function showTable(table: ColumnTable, options: ShowTableOptions = {}): TableDisplay {
  options = checkOptions("showTable", options, { maxRows: true });
  return new TableDisplay(table, options.maxRows ?? 20);
}

/** `print()`'s options checked: a row count, or `{ limit, offset, columns }` of the table's columns. */
function printOptions(
  t: ColumnTable,
  options: unknown,
): number | { limit?: number; offset?: number; columns?: string[] } {
  if (!isPlainObject(options)) return integer("TableDisplay#print", "limit", options);
  const o = checkOptions("TableDisplay#print", options, {
    limit: true,
    offset: true,
    columns: true,
  }) as { limit?: unknown; offset?: unknown; columns?: unknown };
  const out: { limit?: number; offset?: number; columns?: string[] } = {};
  if (o.limit !== undefined) out.limit = integer("TableDisplay#print", "limit", o.limit);
  if (o.offset !== undefined) out.offset = integer("TableDisplay#print", "offset", o.offset);
  if (o.columns !== undefined) {
    const names = stringList("TableDisplay#print", "columns", o.columns);
    const unknown = names.filter((n) => !t.columnNames().includes(n));
    if (unknown.length) {
      throw new UnknownColumnError("The table shown", { unknown, columns: t.columnNames() });
    }
    out.columns = names;
  }
  return out;
}
