// Private: `icoscp mirror --out DIR <the search filters>`: a verified,
// incremental Parquet copy of every match (see src/mirror/), with a progress
// bar on a terminal and none when piped.

import type { CarbonPortal } from "../client/client.ts";
import { InvalidArgumentError } from "../errors.ts";
import { searchFilters } from "./_search.ts";

/** The flags of `icoscp mirror` beside the search's (parseArgs strings and booleans). */
export const MIRROR_FLAGS = {
  concurrency: { type: "string" },
  originals: { type: "boolean" },
  compression: { type: "string" },
  shard: { type: "string" },
} as const;

/** Output of the command. */
export interface MirrorIo {
  err(s: string): void;
  here(path: string): string;
  isTerminal: boolean;
}

function shardOf(v: unknown): [number, number] | undefined {
  if (v === undefined) return undefined;
  const m = /^(\d+)\/(\d+)$/.exec(String(v).trim());
  const i = m ? Number(m[1]) : NaN, n = m ? Number(m[2]) : NaN;
  if (!m || n < 1 || i >= n) {
    throw new InvalidArgumentError("mirror", "--shard", v, "i/n with 0 <= i < n, e.g. 0/4");
  }
  return [i, n];
}

/** Runs `icoscp mirror`. */
export async function mirrorCommand(
  cp: CarbonPortal,
  o: Record<string, unknown>,
  io: MirrorIo,
): Promise<number> {
  if (typeof o.out !== "string" || !o.out) {
    throw new InvalidArgumentError("mirror", "--out", o.out, "the dataset's folder");
  }
  const concurrency = o.concurrency === undefined ? 6 : Number(o.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) {
    throw new InvalidArgumentError(
      "mirror",
      "--concurrency",
      o.concurrency,
      "a whole number from 1 to 64",
    );
  }
  const compression = o.compression === undefined ? "zstd" : String(o.compression).toLowerCase();
  if (compression !== "zstd" && compression !== "snappy") {
    throw new InvalidArgumentError("mirror", "--compression", o.compression, "zstd or snappy");
  }
  const filters = searchFilters(o);
  if (Object.keys(filters).length === 0 && !o.all) {
    throw new InvalidArgumentError(
      "mirror",
      "filters",
      "none",
      "search filters (e.g. --spec atcCo2L2DataObject --level 2) or --all for every object",
    );
  }
  const out = io.here(o.out);
  let shown = -1;
  const r = await cp.mirror(filters, {
    out,
    concurrency,
    compression,
    shard: shardOf(o.shard),
    originals: o.originals === true,
    onProgress: (p) => {
      if (!io.isTerminal || p.total === 0) return;
      const frac = Math.min(1, p.done / p.total);
      const step = Math.floor(frac * 200);
      if (step === shown && p.phase === "data") return;
      shown = step;
      const width = 30;
      const bar = "#".repeat(Math.round(frac * width)).padEnd(width, ".");
      io.err(
        `\rmirror [${bar}] ${`${Math.round(frac * 100)}%`.padStart(4)} ${p.done}/${p.total} ` +
          `${p.phase === "data" ? `${p.fetched} fetched` : p.phase}   `,
      );
    },
  });
  if (io.isTerminal) io.err("\n");
  io.err(
    `mirrored ${r.objects} objects into ${o.out}: ${r.fetched} fetched, ${r.skipped} already there, ` +
      `${r.parts.length} parts, ${r.removed.length} removed\n`,
  );
  return 0;
}
