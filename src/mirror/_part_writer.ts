// Private: one Parquet part written row group by row group to a temporary
// file, then renamed into place. Rows never accumulate past one row group:
// the writer's buffer goes to the file after each. Pages and footer are
// encoded here (_pages.ts, _footer.ts); hyparquet-writer gives the buffer,
// the leading magic and its snappy.

import { rmSync } from "node:fs";
import { type FileHandle, open as openFile, rename } from "node:fs/promises";
import { ByteWriter, ParquetWriter } from "npm:hyparquet-writer@0.17.0";
import { CarbonPortalError, MirrorError } from "../errors.ts";
import {
  type ParquetColumn,
  type ParquetColumnKind,
  parquetSchema,
} from "../_util/parquet_schema.ts";
import { CODEC, type StoredColumn, writeColumnChunk } from "./_pages.ts";
import { footerBytes, type RowGroupMeta } from "./_footer.ts";

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
  const zstd = (zlib as any).zstdCompressSync as
    | ((b: Uint8Array, o: { chunkSize: number }) => Uint8Array)
    | undefined;
  if (typeof zstd !== "function") {
    throw new MirrorError(
      "This runtime's node:zlib has no zstd (Node.js 22.15+ and Deno have it): " +
        'use compression: "snappy" (--compression snappy)',
    );
  }
  // the output buffer is as small as a page's result can be (node:zlib
  // allocates 16 KiB per call otherwise: most pages compress to a few
  // hundred bytes, and the garbage was most of the mirror's memory traffic)
  return {
    ZSTD: (b: Uint8Array) =>
      zstd(b, { chunkSize: Math.min(16384, Math.max(64, b.length + (b.length >> 8) + 128)) }),
  };
}

/**
 * A part being written: add row groups, then `finish()` renames it into
 * place. The file is written, synced and renamed asynchronously, so the
 * event loop keeps reading responses while the disk works.
 */
export class PartWriter {
  readonly #tmp: string;
  readonly #file: FileHandle;
  readonly #writer: ByteWriter;
  readonly #parquet: ParquetWriter;
  readonly #columns: readonly PartColumn[];
  /** Encoded bytes not yet written to the file. */
  readonly #pending: Uint8Array[];
  #rows = 0;
  #done = false;
  /** Row groups written by `writeColumns`. */
  readonly #groups: RowGroupMeta[] = [];
  readonly #kv: { key: string; value: string }[];

  private constructor(
    tmp: string,
    file: FileHandle,
    writer: ByteWriter,
    parquet: ParquetWriter,
    columns: readonly PartColumn[],
    pending: Uint8Array[],
    kv: { key: string; value: string }[],
  ) {
    this.#kv = kv;
    this.#tmp = tmp;
    this.#file = file;
    this.#writer = writer;
    this.#parquet = parquet;
    this.#columns = columns;
    this.#pending = pending;
  }

  /** Opens a temporary file `tmp` for a part with these columns. */
  static async open(
    tmp: string,
    columns: readonly PartColumn[],
    compression: MirrorCompression,
    kvMetadata: { key: string; value: string }[],
  ): Promise<PartWriter> {
    const comp = await compressors(compression);
    let file: FileHandle;
    try {
      file = await openFile(tmp, "w");
    } catch (e) {
      throw wrapIo(e, `opening ${tmp}`);
    }
    const writer = new ByteWriter();
    const pending: Uint8Array[] = [];
    // the writer keeps its `offset` (the file position) while its buffer is
    // emptied (copied out, to be written to the file) after each row group
    (writer as ByteWriter & { flush(): void }).flush = () => {
      if (writer.index === 0) return;
      pending.push(new Uint8Array(writer.buffer.slice(0, writer.index)));
      writer.index = 0;
    };
    const parquet = new ParquetWriter({
      writer,
      schema: parquetSchema(columns),
      codec: compression === "zstd" ? "ZSTD" : "SNAPPY",
      compressors: comp,
      statistics: true,
      kvMetadata,
      createdBy: "icoscp mirror",
    });
    return new PartWriter(tmp, file, writer, parquet, columns, pending, kvMetadata);
  }

  /** Rows written so far. */
  get rows(): number {
    return this.#rows;
  }

  /** Bytes written to the file so far (about the part's size). */
  get bytes(): number {
    return this.#writer.offset;
  }

  async #drain(): Promise<void> {
    while (this.#pending.length) {
      const chunk = this.#pending.shift()!;
      for (let off = 0; off < chunk.length;) {
        const { bytesWritten } = await this.#file.write(chunk, off, chunk.length - off);
        off += bytesWritten;
      }
    }
  }

  /**
   * Writes one row group from stored columns (in the order of the part's
   * columns), encoded straight from their typed arrays.
   */
  async writeColumns(columns: readonly StoredColumn[]): Promise<void> {
    const n = columns[0]?.values.length ?? 0;
    if (n === 0) return;
    const p = this.#parquet as unknown as {
      codec: string;
      compressors: Record<string, (b: Uint8Array) => Uint8Array>;
    };
    try {
      const start = this.#writer.offset;
      const chunks = columns.map((c) =>
        writeColumnChunk(this.#writer, c, CODEC[p.codec], p.compressors[p.codec])
      );
      this.#groups.push({
        chunks,
        numRows: n,
        totalByteSize: chunks.reduce((s, c) => s + c.totalUncompressed, 0),
        totalCompressed: this.#writer.offset - start,
      });
      this.#rows += n;
      (this.#writer as ByteWriter & { flush(): void }).flush();
      await this.#drain();
    } catch (e) {
      throw wrapIo(e, `writing ${this.#tmp}`);
    }
  }

  /** Ends the file, syncs it to disk and renames it to `path`. */
  async finish(path: string): Promise<void> {
    try {
      // the footer is ours: hyparquet-writer's holds none of the row groups
      this.#writer.appendBytes(
        footerBytes(parquetSchema(this.#columns), this.#groups, this.#kv, "icoscp mirror"),
      );
      (this.#writer as ByteWriter & { flush(): void }).flush();
      await this.#drain();
      await this.#file.sync();
      this.#done = true;
      await this.#file.close();
      await rename(this.#tmp, path);
    } catch (e) {
      throw wrapIo(e, `finishing ${path}`);
    }
  }

  /** Closes and removes the temporary file (after a failure). */
  async abandon(): Promise<void> {
    if (!this.#done) {
      this.#done = true;
      await this.#file.close().catch(() => {});
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
