// Private: a variable's stored bytes for a hyperslab: its storage layout,
// contiguous or chunked reads, filters, strings; the bytes come in the byte
// order the file stores (`be` remembers which).

import { stringsOf, swapIntoWasm } from "../_wasm/decoder.ts";
import { CorruptDataError, LimitExceededError, UnsupportedFormatError } from "../errors.ts";
import { chunkPlan, copyBox, storageLayout, WASM_FILTERS } from "./_chunk_plan.ts";
import type { InflateBackend, Parser, Reader } from "./_io.ts";
import { FILTERS } from "./_metadata.ts";
import { readChunks, readRecords, readSwapped, stridesOf, zeros } from "./_read.ts";
import { type ArrayCtor, unpackColumn } from "./_values.ts";
import type { NetCDFColumn, NetCDFVariable } from "./types.ts";

/** Values the decoder read from the element bytes (sequences, compounds with strings, arrays of strings). */
export interface Decoded {
  readonly column: NetCDFColumn;
}

/** What a raw read needs of its file. */
export interface RawReadIo {
  parser: Parser;
  reader: Reader;
  inflate: InflateBackend;
  /** Whether a variable (by id) is stored big-endian, filled in by the read. */
  be: Map<number, boolean>;
}

/** Implementation of `NetCDFFile`'s raw read of `v` (id `id`) over `[start, start + count)`. */
export async function readRaw(
  io: RawReadIo,
  v: NetCDFVariable,
  id: number,
  shape: number[],
  start: number[],
  count: number[],
  maxBytes: number,
  direct: ArrayCtor | undefined,
  signal?: AbortSignal,
): Promise<Uint8Array | string[] | Decoded> {
  signal?.throwIfAborted();
  const p = io.parser;
  const lay = await p.call((h) => storageLayout(h.layout(id)));
  const { kind, elem, be, strings } = lay;
  io.be.set(id, be);
  const total = count.reduce((a, b) => a * b, 1);
  const nbytes = total * elem;
  // The result, plus the decoded chunk held while it is copied in.
  const chunkBytes = kind === "chunked" && v.chunks ? v.chunks.reduce((a, b) => a * b, elem) : 0;
  if (nbytes + chunkBytes > maxBytes) {
    throw new LimitExceededError(
      `Reading ${v.path} needs ${nbytes + chunkBytes} bytes (result ${nbytes}, decoded ` +
        `chunk ${chunkBytes}), more than maxBytes ${maxBytes}`,
    );
  }
  let bytes: Uint8Array;
  if (direct && strings === "none") {
    if (direct.BYTES_PER_ELEMENT !== elem) {
      throw new UnsupportedFormatError(`Element size ${elem} of ${v.path} for type ${v.type}`);
    }
    bytes = new Uint8Array(new direct(total).buffer, 0, nbytes);
  } else {
    bytes = new Uint8Array(nbytes);
  }
  const rank = shape.length;
  // Element size to byte-swap by (0: none), unless a read path does it.
  // Compound values (no `direct` array) are swapped member by member later.
  let swap = direct && be && elem > 1 && strings === "none" ? elem : 0;
  /** Fills the result with the fill value, in native order when `swapped`. */
  const fill = async (swapped = false) => {
    if (strings === "vlen" || strings === "tree") return;
    const f = await p.call((h) => h.fill(id));
    if (f.byteLength === elem) {
      if (swapped) f.reverse();
      for (let i = 0; i < nbytes; i += elem) bytes.set(f, i);
    }
  };
  if (kind === "contiguous") {
    const { addr, size, recSize } = lay;
    if (recSize === 0) {
      const need = shape.reduce((a, b) => a * b, 1) * elem;
      if (size < need) {
        throw new CorruptDataError(`Data of ${v.path} is shorter than its shape`, {
          byteOffset: addr,
        });
      }
      if (total > 0) {
        // Only the span from the first to the last element of the box.
        const strides = stridesOf(shape);
        let first = 0, last = 0;
        for (let i = 0; i < shape.length; i++) {
          first += start[i] * strides[i];
          last += (start[i] + count[i] - 1) * strides[i];
        }
        if (last - first + 1 === total) {
          // One run in the file: straight into the result (swapped on the way).
          await readSwapped(io.reader, addr + first * elem, bytes, swap);
          swap = 0;
        } else {
          const region = await io.reader.read(addr + first * elem, (last - first + 1) * elem);
          copyBox(region, shape, start, bytes, count, zeros(rank), count, elem, first * elem);
        }
      }
    } else if (total > 0) {
      await readRecords(io.reader, addr, recSize, shape, start, count, bytes, elem, swap);
      swap = 0;
    }
  } else if (kind === "compact") {
    const b = await p.call((h) => h.compact(id));
    if (b.byteLength < shape.reduce((a, c) => a * c, 1) * elem) {
      throw new CorruptDataError(`Compact data of ${v.path} is shorter than its shape`);
    }
    copyBox(b, shape, start, bytes, count, zeros(rank), count, elem);
  } else if (kind === "chunked" && total > 0) {
    for (const f of lay.filters) {
      if (!WASM_FILTERS.has(f)) {
        throw new UnsupportedFormatError(
          `HDF5 filter ${FILTERS[f] ?? f} of ${v.path} is not supported`,
        );
      }
    }
    const plan = await p.call((h) =>
      chunkPlan(h.plan(id, new Float64Array(start), new Float64Array(count), swap > 0), elem)
    );
    try {
      // The work of one read: every chunk it touches is decoded whole.
      // Bounded by maxBytes, or by 64 times the result when that is more.
      const cbytes = plan.chunk.reduce((a, b) => a * b, elem);
      const decoded = plan.addrs.length * cbytes;
      if (decoded > Math.max(maxBytes, 64 * nbytes)) {
        throw new LimitExceededError(
          `Reading ${v.path} decodes ${plan.addrs.length} chunks of ${cbytes} bytes ` +
            `(${decoded} bytes for a result of ${nbytes}), more than maxBytes ${maxBytes}: ` +
            `read a smaller box or raise maxBytes`,
        );
      }
      // Chunks are swapped as they are decoded; gaps show the fill value.
      if (plan.needsFill) await fill(swap > 0);
      await readChunks(
        plan,
        io.reader,
        lay,
        count,
        bytes,
        elem,
        io.inflate,
        swap > 0,
        signal,
      );
    } finally {
      plan.free();
    }
    swap = 0;
  } else {
    await fill();
  }
  if (swap) swapIntoWasm(bytes, bytes, swap);
  if (strings === "fixed") {
    const d = new TextDecoder();
    const s: string[] = new Array(total);
    for (let i = 0; i < total; i++) {
      const e = bytes.subarray(i * elem, (i + 1) * elem);
      const z = e.indexOf(0);
      s[i] = d.decode(z < 0 ? e : e.subarray(0, z));
    }
    return s;
  }
  if (strings === "vlen") {
    return await p.call((h) => stringsOf(h.vlenStrings(bytes)));
  }
  if (strings === "tree") {
    // the decoded values count against maxBytes too
    const left = Math.max(0, maxBytes - nbytes);
    const packed = await p.call((h) => h.decodeValues(id, bytes, left));
    return { column: unpackColumn(packed) };
  }
  return bytes;
}
