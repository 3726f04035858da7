// Private: what a mirror run is given, checked: its options and its
// selection (search filters or objects) as pids.

import type { CarbonPortal } from "../client/client.ts";
import type { Dobj } from "../dobj/dobj.ts";
import { InvalidArgumentError, MirrorError } from "../errors.ts";
import { checkOptions as checkArgs } from "../_util/args.ts";
import type { SearchFilters } from "../search/mod.ts";
import { objectInfo } from "./_objects.ts";
import type { MirrorOptions, MirrorSelection } from "./mirror.ts";

export const OPTION_NAMES = [
  "out",
  "concurrency",
  "signal",
  "onProgress",
  "originals",
  "compression",
  "shard",
  "latestOnly",
  "maxRowGroupRows",
  "maxPartBytes",
];

/** The options, checked: a misspelt or mistyped one is an error, never ignored. */
export function checkOptions(options: MirrorOptions): Required<
  Pick<MirrorOptions, "concurrency" | "compression" | "maxRowGroupRows" | "maxPartBytes">
> {
  const bad = (name: string, value: unknown, expected: string) =>
    new InvalidArgumentError("mirror", name, value, expected);
  if (options === null || typeof options !== "object" || Array.isArray(options)) {
    throw bad("options", options, "an options object with `out`, the dataset's folder");
  }
  checkArgs("mirror", options, OPTION_NAMES, { latest_only: "latestOnly", output: "out" });
  if (typeof options.out !== "string" || options.out === "") {
    throw bad("out", options.out, "the dataset's folder (a non-empty path); mirror() needs `out`");
  }
  const concurrency = options.concurrency ?? 6;
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) {
    throw bad("concurrency", concurrency, "a whole number from 1 to 64");
  }
  const compression = options.compression ?? "zstd";
  if (compression !== "zstd" && compression !== "snappy") {
    throw bad("compression", compression, '"zstd" or "snappy"');
  }
  if (options.shard !== undefined) {
    const [i, n] = Array.isArray(options.shard) ? options.shard : [NaN, NaN];
    if (!Number.isInteger(i) || !Number.isInteger(n) || n < 1 || i < 0 || i >= n) {
      throw bad("shard", options.shard, "[i, n] with 0 <= i < n");
    }
  }
  const maxRowGroupRows = options.maxRowGroupRows ?? 1_000_000;
  const maxPartBytes = options.maxPartBytes ?? 2 ** 30;
  if (!(Number.isInteger(maxRowGroupRows) && maxRowGroupRows > 0)) {
    throw bad("maxRowGroupRows", maxRowGroupRows, "a positive whole number");
  }
  if (!(typeof maxPartBytes === "number" && maxPartBytes > 0)) {
    throw bad("maxPartBytes", maxPartBytes, "a positive number of bytes");
  }
  return { concurrency, compression, maxRowGroupRows, maxPartBytes };
}

/** The pids of a selection, in order, once each. */
export async function selectionPids(
  cp: CarbonPortal,
  selection: MirrorSelection,
  signal: AbortSignal | undefined,
): Promise<{ pids: string[]; dobjs: Map<string, Dobj> }> {
  const dobjs = new Map<string, Dobj>();
  if (Array.isArray(selection)) {
    const pids: string[] = [];
    for (const item of selection as readonly (string | Dobj)[]) {
      if (typeof item === "string") {
        const id = item.trim().replace(/\/+$/, "");
        pids.push(`11676/${id.slice(id.lastIndexOf("/") + 1)}`);
      } else if (item && typeof item === "object" && "uri" in item) {
        const pid = objectInfo(item as Dobj).pid;
        dobjs.set(pid, item as Dobj);
        pids.push(pid);
      } else {
        throw new MirrorError(`Not an object: ${String(item)} (give pids, URIs, ids or Dobjs)`);
      }
    }
    return { pids: [...new Set(pids)], dobjs };
  }
  if (selection === null || typeof selection !== "object") {
    throw new MirrorError("A selection is the filters of cp.search or a list of objects");
  }
  // every match, a page of 5000 per query (no facets), in a stable order
  const first = await cp.search(selection as SearchFilters, {
    limit: 0,
    facets: false,
    orderBy: "fileName",
    signal,
  });
  const pids: string[] = [];
  for await (const page of first.pages({ pageSize: 5000, signal })) {
    for (const pid of Array.from(page.objects.array("pid") as ArrayLike<string>)) pids.push(pid);
  }
  return { pids: [...new Set(pids)], dobjs };
}
