/**
 * Tables to Arrow IPC, Parquet and CSV, times kept as times.
 *
 * @module
 */

export * from "./export.ts";
export * from "./to_csv.ts";
