// Private: `cp.batchGetColumns`: columns of many objects of one dataset
// specification.

import {
  boolean,
  checkOptions,
  integer,
  optionalStringList,
  type OptionKeys,
} from "../_util/args.ts";
import { mapPool } from "../_util/pool.ts";
import type { CarbonPortal } from "../client/client.ts";
import type { DataColumn } from "../cpb/_columns.ts";
import { InvalidArgumentError } from "../errors.ts";
import { fetchDobj, isDobj } from "./_fetch.ts";
import { dobjRefs } from "./_refs.ts";
import { Dobj } from "./dobj.ts";
import { callback, signalOption } from "./_options.ts";

/** Options of {@linkcode CarbonPortal.batchGetColumns}. */
export interface BatchOptions {
  /** Column names to fetch from every object (flag columns are added). Default: all. */
  columns?: readonly string[];
  /** Keep values whose quality flag is not good. Default false. */
  keepBadData?: boolean;
  /** Requests in flight at once. Default 4. */
  concurrency?: number;
  /** Called after each object's data has arrived. */
  onProgress?: (done: number, total: number) => void;
  /** Aborts the batch. */
  signal?: AbortSignal;
}

export const BATCH_KEYS: OptionKeys<BatchOptions> = {
  columns: true,
  keepBadData: true,
  concurrency: true,
  onProgress: true,
  signal: true,
};

/** One object's data in a batch. */
export interface BatchItem {
  /** The object. */
  dobj: Dobj;
  /** Its columns. */
  columns: Record<string, DataColumn>;
}

/** The dataset specification that decides whether objects can be batched together. */
export function datasetKey(d: Dobj): string {
  const spec = d.meta.specification;
  return spec?.datasetSpec?.self.uri ?? spec?.self.uri ?? "(none)";
}

/**
 * Fetches columns of many objects of one dataset specification. Implementation
 * of {@linkcode CarbonPortal.batchGetColumns}.
 */
export async function batchGetColumns(
  cp: CarbonPortal,
  given: unknown,
  options: BatchOptions = {},
): Promise<BatchItem[]> {
  const where = "batchGetColumns";
  // Python's batch_get_columns(dobjs, columns): a list of names in second place
  if (typeof options === "string" || Array.isArray(options)) {
    options = { columns: options as readonly string[] };
  }
  options = checkOptions(where, options, BATCH_KEYS);
  const columns = optionalStringList(where, "columns", options.columns);
  const keepBadData = boolean(where, "keepBadData", options.keepBadData, false);
  const concurrency = integer(where, "concurrency", options.concurrency ?? 4, { min: 1 });
  const signal = signalOption(where, options.signal);
  const onProgress = callback(where, "onProgress", options.onProgress);
  const refs = dobjRefs(where, given, isDobj);
  const dobjs = await mapPool(
    refs,
    concurrency,
    (r) => (r instanceof Dobj ? Promise.resolve(r) : fetchDobj(cp, r)),
  );
  const groups = new Map<string, string[]>();
  for (const d of dobjs) {
    const key = datasetKey(d);
    groups.set(key, [...(groups.get(key) ?? []), d.id]);
  }
  if (groups.size > 1) {
    const list = [...groups].map(([spec, ids]) => `${spec}: ${ids.join(", ")}`).join("; ");
    throw new InvalidArgumentError(
      where,
      "refs",
      given,
      `data objects with a common dataset specification; got ${list}`,
    );
  }
  let done = 0;
  return await mapPool(dobjs, concurrency, async (dobj) => {
    const data = await dobj.getColumns(columns, { keepBadData, signal });
    onProgress?.(++done, dobjs.length);
    return { dobj, columns: data };
  });
}
