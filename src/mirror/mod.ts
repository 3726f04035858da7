/**
 * A verified, incremental mirror of the portal's data as a Parquet dataset
 * (Hive-partitioned by spec and year, with a GeoParquet index) that DuckDB,
 * Spark, Polars and pandas query directly. `cp.mirror(selection, options)`
 * and `icoscp mirror` run it.
 *
 * @module
 */

export {
  mirror,
  type MirrorCompression,
  type MirrorOptions,
  type MirrorProgress,
  type MirrorResult,
  type MirrorSelection,
} from "./mirror.ts";
