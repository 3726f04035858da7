/**
 * Tables to Arrow IPC and Parquet.
 *
 * @module
 */

export * from "./export.ts";
