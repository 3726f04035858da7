// Private: the inflate backends that run outside the wasm: node:zlib and
// DecompressionStream, chosen by `inflate: "node"` or `"stream"` (`"auto"`
// and `"wasm"` inflate inside the wasm, straight into the chunk: see
// `readChunks`).

import { CorruptDataError, InvalidArgumentError } from "../errors.ts";

/** Bytes of deflated input handed to a `DecompressionStream` at a time. */
export const STREAM_PIECE = 4096;

export interface NodeZlib {
  inflateSync(buf: Uint8Array, options?: { maxOutputLength?: number }): Uint8Array;
}

export let nodeZlib: NodeZlib | null | undefined;

/** node:zlib where the runtime has it (Deno, Node, Bun), else null. */
export async function loadNodeZlib(): Promise<NodeZlib | null> {
  if (nodeZlib === undefined) {
    try {
      const spec = "node:zlib";
      nodeZlib = (await import(spec)) as NodeZlib;
      if (typeof nodeZlib.inflateSync !== "function") nodeZlib = null;
    } catch {
      nodeZlib = null;
    }
  }
  return nodeZlib;
}

/**
 * An inflate function: `(raw, max, at)` inflates the zlib stream `raw`
 * (found at byte `at`) to at most `max` bytes, the size its chunk declares; a
 * stream that inflates to more is a {@linkcode CorruptDataError}, found
 * without inflating much past `max` (a deflate bomb never gets more memory
 * than its chunk declares). Only public APIs: node:zlib cannot inflate into
 * a given buffer, so each chunk inflates into one of its own (see
 * docs/performance.md for what that costs).
 */
export type Inflate = (
  raw: Uint8Array,
  max: number,
  at: number,
) => Promise<Uint8Array> | Uint8Array;

/** The {@linkcode Inflate} of the chosen backend. */
export async function inflater(backend: "node" | "stream"): Promise<Inflate> {
  const tooBig = (max: number, at: number, cause?: unknown): never => {
    throw new CorruptDataError(
      `Deflated chunk at byte ${at} inflates to more than its declared ${max} bytes`,
      { byteOffset: at, cause },
    );
  };
  const bad = (e: unknown, at: number): never => {
    throw new CorruptDataError(
      `Corrupt deflated chunk at byte ${at}: ${e instanceof Error ? e.message : e}`,
      { byteOffset: at, cause: e },
    );
  };
  if (backend === "node") {
    const z = await loadNodeZlib();
    if (!z) throw new InvalidArgumentError("node:zlib is not available in this runtime");
    return (raw, max, at) => {
      try {
        return z.inflateSync(raw, { maxOutputLength: Math.max(1, max) });
      } catch (e) {
        if ((e as { code?: string })?.code === "ERR_BUFFER_TOO_LARGE") return tooBig(max, at, e);
        return bad(e, at);
      }
    };
  }
  if (typeof DecompressionStream === "function") {
    return async (raw, max, at) => {
      const out = new Uint8Array(max);
      let n = 0;
      // Fed in small pieces, pulled on demand: one piece inflates to at most
      // about 4 MiB (DEFLATE's ratio is at most 1032:1), so reading stops
      // soon after `max` instead of after the whole stream.
      let fed = 0;
      const input = new ReadableStream<Uint8Array<ArrayBuffer>>({
        pull(c) {
          if (fed >= raw.byteLength) return c.close();
          const piece = raw.slice(fed, fed + STREAM_PIECE) as Uint8Array<ArrayBuffer>;
          fed += STREAM_PIECE;
          c.enqueue(piece);
        },
      }, { highWaterMark: 0 });
      const reader = input.pipeThrough(new DecompressionStream("deflate")).getReader();
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          if (n + value.byteLength > max) {
            await reader.cancel().catch(() => {});
            return tooBig(max, at);
          }
          out.set(value, n);
          n += value.byteLength;
        }
      } catch (e) {
        if (e instanceof CorruptDataError) throw e;
        return bad(e, at);
      }
      return out.subarray(0, n);
    };
  }
  throw new InvalidArgumentError("DecompressionStream is not available");
}
