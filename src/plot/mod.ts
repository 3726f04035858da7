/**
 * Pictures: series, STILT results, station and footprint maps as SVG and
 * PNG, and the notebook display of tables on request (`showTable`). Loads its
 * plotting libraries on first use.
 *
 * @module
 */

export * from "./plot.ts";
export { showTable, type ShowTableOptions, TableDisplay } from "./show_table.ts";
export type { MimeBundle } from "./_display.ts";
