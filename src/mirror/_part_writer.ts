// Private: one Parquet part written row group by row group to a temporary
// file, then renamed into place. Rows never accumulate past one row group:
// the writer flushes its buffer to the file after each.

import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from "node:fs";
import { ByteWriter, ParquetWriter } from "npm:hyparquet-writer@0.17.0";
import { CarbonPortalError, MirrorError } from "../errors.ts";
import {
  type ParquetColumn,
  type ParquetColumnKind,
  parquetSchema,
} from "../_util/parquet_schema.ts";

/** How a column is stored (the Parquet schema is shared with `toParquet`). */
export type PartColumnKind = Exclude<ParquetColumnKind, "date" | "timeOfDay">;

/** One column of a part's schema. */
export interface PartColumn extends ParquetColumn {
  readonly kind: PartColumnKind;
}

/** The compression of the parts. */
export type MirrorCompression = "zstd" | "snappy";

async function compressors(compression: MirrorCompression) {
  if (compression === "snappy") return {};
  const zlib = await import("node:zlib");
  // deno-lint-ignore no-explicit-any
  const zstd = (zlib as any).zstdCompressSync as ((b: Uint8Array) => Uint8Array) | undefined;
  if (typeof zstd !== "function") {
    throw new MirrorError(
      "This runtime's node:zlib has no zstd (Node.js 22.15+ and Deno have it): " +
        'use compression: "snappy" (--compression snappy)',
    );
  }
  return { ZSTD: (b: Uint8Array) => new Uint8Array(zstd(b)) };
}

/** A part being written: add row groups, then `finish()` renames it into place. */
export class PartWriter {
  readonly #tmp: string;
  readonly #fd: number;
  readonly #writer: ByteWriter;
  readonly #parquet: ParquetWriter;
  readonly #columns: readonly PartColumn[];
  #rows = 0;
  readonly #flushed: { bytes: number };
  #done = false;

  private constructor(
    tmp: string,
    fd: number,
    writer: ByteWriter,
    parquet: ParquetWriter,
    columns: readonly PartColumn[],
    flushed: { bytes: number },
  ) {
    this.#flushed = flushed;
    this.#tmp = tmp;
    this.#fd = fd;
    this.#writer = writer;
    this.#parquet = parquet;
    this.#columns = columns;
  }

  /** Opens a temporary file `tmp` for a part with these columns. */
  static async open(
    tmp: string,
    columns: readonly PartColumn[],
    compression: MirrorCompression,
    kvMetadata: { key: string; value: string }[],
  ): Promise<PartWriter> {
    const comp = await compressors(compression);
    const fd = openSync(tmp, "w");
    const writer = new ByteWriter();
    const flushed = { bytes: 0 };
    const flushTo = () => {
      if (writer.index === 0) return;
      const chunk = new Uint8Array(writer.buffer, 0, writer.index);
      let off = 0;
      while (off < chunk.length) off += writeSync(fd, chunk, off, chunk.length - off);
      flushed.bytes += chunk.length;
      writer.index = 0;
    };
    // the writer keeps its `offset` (the file position) while its buffer is emptied into the file
    (writer as ByteWriter & { flush(): void }).flush = flushTo;
    const parquet = new ParquetWriter({
      writer,
      schema: parquetSchema(columns),
      codec: compression === "zstd" ? "ZSTD" : "SNAPPY",
      compressors: comp,
      statistics: true,
      kvMetadata,
      createdBy: "icoscp mirror",
    });
    return new PartWriter(tmp, fd, writer, parquet, columns, flushed);
  }

  /** Rows written so far. */
  get rows(): number {
    return this.#rows;
  }

  /** Bytes written to the file so far (about the part's size). */
  get bytes(): number {
    return this.#flushed.bytes + this.#writer.index;
  }

  /** Writes one row group: `data[i]` is the values of `columns[i]` (nulls where missing). */
  writeRowGroup(data: readonly ArrayLike<unknown>[]): void {
    const n = data[0]?.length ?? 0;
    if (n === 0) return;
    const columnData = this.#columns.map((c, i) => ({ name: c.name, data: data[i] as unknown[] }));
    try {
      this.#parquet.write({ columnData, rowGroupSize: n } as Parameters<ParquetWriter["write"]>[0]);
    } catch (e) {
      throw wrapIo(e, `writing ${this.#tmp}`);
    }
    this.#rows += n;
  }

  /** Ends the file, syncs it to disk and renames it to `path`. */
  finish(path: string): void {
    try {
      this.#parquet.finish();
      (this.#writer as ByteWriter & { flush(): void }).flush();
      fsyncSync(this.#fd);
      closeSync(this.#fd);
      this.#done = true;
      renameSync(this.#tmp, path);
    } catch (e) {
      throw wrapIo(e, `finishing ${path}`);
    }
  }

  /** Closes and removes the temporary file (after a failure). */
  abandon(): void {
    if (!this.#done) {
      try {
        closeSync(this.#fd);
      } catch { /* already closed */ }
    }
    rmSync(this.#tmp, { force: true });
  }
}

/** A file-system failure as a typed error (ENOSPC says so). */
export function wrapIo(e: unknown, what: string): CarbonPortalError {
  if (e instanceof CarbonPortalError) return e;
  const code = (e as { code?: string })?.code;
  const why = code === "ENOSPC" ? "the disk is full" : (e as Error)?.message ?? String(e);
  return new MirrorError(`Mirror stopped ${what}: ${why}`, { cause: e });
}
