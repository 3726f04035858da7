// Private: a byte source over a local file (Deno and Node), read by position
// through a read-ahead cache. The node: modules are imported lazily, by a
// computed specifier, so browser bundles never pull them in.

import { CachedSource } from "./_cached_source.ts";
import { CarbonPortalError, InvalidArgumentError, TruncatedDataError } from "../errors.ts";

/** A file open in Deno (a `Deno.FsFile`): the members read here. */
export interface SeekableFile {
  /** Moves the file position (`whence` 0: from the start). */
  seek(offset: number, whence: number): Promise<number>;
  /** Reads into `p` from the file position; `null` at the end. */
  read(p: Uint8Array): Promise<number | null>;
  /** The file's size. */
  stat(): Promise<{ size: number }>;
  /** Closes the file. */
  close(): void;
}

/** A file open in Node (a `FileHandle` of `node:fs/promises`): the members read here. */
export interface PositionalFile {
  /** The file descriptor. */
  readonly fd: number;
  /** Reads `length` bytes at `position` into `buffer` at `offset`. */
  read(
    buffer: Uint8Array,
    offset: number,
    length: number,
    position: number,
  ): Promise<{ bytesRead: number }>;
  /** The file's size. */
  stat(): Promise<{ size: number }>;
  /** Closes the file. */
  close(): Promise<void>;
}

/**
 * A local file for {@linkcode openNetCDF}: a path, a `file:` URL, or a file
 * already open (a `Deno.FsFile` or a Node `FileHandle`, left open).
 */
export type FileInput = string | URL | SeekableFile | PositionalFile;

/** Whether `x` is a path, a file URL or an open file that {@linkcode fileSource} reads. */
export function isFileInput(x: unknown): x is FileInput {
  if (typeof x === "string" || x instanceof URL) return true;
  if (!x || typeof x !== "object" || x instanceof Uint8Array || x instanceof ArrayBuffer) {
    return false;
  }
  const o = x as Record<string, unknown>;
  if (typeof o.slice === "function") return false;
  return typeof o.read === "function" && typeof o.stat === "function" &&
    (typeof o.seek === "function" || typeof o.fd === "number");
}

/** A cached byte source over the file plus how to close it (when opened here). */
export interface FileSource {
  source: CachedSource;
  close(): void;
}

const CACHE = {
  block: 64 * 1024,
  maxAhead: 4 * 1024 * 1024,
  direct: 64 * 1024,
  maxCache: 32 * 1024 * 1024,
};

interface DenoNs {
  openSync(p: string | URL): SeekableFile;
}

function denoNs(): DenoNs | undefined {
  return (globalThis as { Deno?: DenoNs }).Deno;
}

function short(path: string, at: number, want: number, got: number): never {
  throw new TruncatedDataError(
    `Truncated file ${path}: expected ${want} bytes at ${at}, read ${got} (did it shrink?)`,
    { byteOffset: at + got },
  );
}

/** Opens `input` (a path, a `file:` URL, a `Deno.FsFile` or a Node `FileHandle`). */
export async function fileSource(input: FileInput): Promise<FileSource> {
  let name: string;
  let owned = false;
  let file: SeekableFile | PositionalFile;
  if (typeof input === "string" || input instanceof URL) {
    if (input instanceof URL && input.protocol !== "file:") {
      throw new InvalidArgumentError(
        `Only file: URLs are read as paths, not ${input.protocol} (${input})`,
      );
    }
    name = String(input);
    try {
      const deno = denoNs();
      if (deno) {
        // Synchronous: an async open waits for a pool thread, long on a busy machine.
        file = deno.openSync(input);
      } else {
        const spec = "node:fs/promises";
        const fsp = (await import(spec)) as {
          open(p: string | URL, flags: string): Promise<PositionalFile>;
        };
        file = await fsp.open(input, "r");
      }
    } catch (cause) {
      throw new CarbonPortalError(
        `Opening ${name} failed: ${cause instanceof Error ? cause.message : cause}`,
        { cause },
      );
    }
    owned = true;
  } else {
    file = input;
    name = "the open file";
  }
  const statSync = (file as { statSync?: () => { size: number } }).statSync;
  const size = typeof statSync === "function" ? statSync.call(file).size : (await file.stat()).size;
  let read: (start: number, end: number, into?: Uint8Array) => Promise<Uint8Array>;
  if ("seek" in file && typeof file.seek === "function") {
    const f = file as SeekableFile;
    // seek + read is not atomic: one at a time.
    let queue: Promise<unknown> = Promise.resolve();
    const sync = f as Partial<{
      seekSync(offset: number, whence: number): number;
      readSync(p: Uint8Array): number | null;
    }>;
    if (typeof sync.seekSync === "function" && typeof sync.readSync === "function") {
      // Deno.FsFile: synchronous reads of a local file cost a few µs, the
      // async ones tens (two ops each); page-cache reads block no longer.
      const { seekSync, readSync } = sync as Required<typeof sync>;
      read = (start, end, into) => {
        const b = into ?? new Uint8Array(end - start);
        seekSync.call(f, start, 0);
        let o = 0;
        while (o < b.byteLength) {
          const n = readSync.call(f, b.subarray(o));
          if (n === null || n === 0) short(name, start, b.byteLength, o);
          o += n!;
        }
        return Promise.resolve(b);
      };
    } else {read = (start, end, into) => {
        const run = async () => {
          const b = into ?? new Uint8Array(end - start);
          await f.seek(start, 0);
          let o = 0;
          while (o < b.byteLength) {
            const n = await f.read(b.subarray(o));
            if (n === null || n === 0) short(name, start, b.byteLength, o);
            o += n!;
          }
          return b;
        };
        const p = queue.then(run, run);
        queue = p.catch(() => {});
        return p;
      };}
  } else {
    const f = file as PositionalFile;
    read = async (start, end, into) => {
      const b = into ?? new Uint8Array(end - start);
      let o = 0;
      while (o < b.byteLength) {
        const { bytesRead } = await f.read(b, o, b.byteLength - o, start + o);
        if (bytesRead === 0) short(name, start, b.byteLength, o);
        o += bytesRead;
      }
      return b;
    };
  }
  const source = new CachedSource(size, read, CACHE);
  return {
    source,
    close: () => {
      if (!owned) return;
      owned = false;
      try {
        const r = file.close();
        if (r instanceof Promise) r.catch(() => {});
      } catch {
        // already closed
      }
    },
  };
}
