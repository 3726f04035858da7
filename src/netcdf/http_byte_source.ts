/**
 * A byte source over a remote file read by HTTP range requests, for
 * {@linkcode openNetCDF}: only the parts a read touches are fetched.
 *
 * @module
 */

import type { CarbonPortal, PortalRequestInit } from "../client/client.ts";
import { CachedSource } from "./_cached_source.ts";
import {
  CarbonPortalError,
  HttpError,
  InvalidArgumentError,
  RangeNotSupportedError,
  SourceChangedError,
  TruncatedDataError,
} from "../errors.ts";
import { readAtMost } from "../_util/read_at_most.ts";

/** Options of {@linkcode httpByteSource}. */
export interface HttpByteSourceOptions {
  /**
   * The client whose fetch, timeout, retries and signal the requests use
   * (default: a `new CarbonPortal()` with its defaults).
   */
  client?: Pick<CarbonPortal, "request">;
  /** Send the client's login cookie (default false). */
  auth?: boolean;
  /** Smallest request in bytes (default 256 KiB). */
  blockSize?: number;
  /**
   * Largest request that forward reads (one record after another) grow to,
   * in bytes (default 8 MiB); reads at least this long are requested as
   * they are, uncached.
   */
  maxReadAhead?: number;
  /** Bound on the bytes kept in the cache (default 64 MiB). */
  maxCacheBytes?: number;
  /**
   * Chunks a read needs that lie at most this many bytes apart are fetched
   * in one request, and the requests of one read go out together (default:
   * `blockSize`; 0 fetches each chunk apart, still together).
   */
  coalesceGap?: number;
  /** Aborts the requests when signalled. */
  signal?: AbortSignal;
  /** Further request headers (e.g. a licence cookie). */
  headers?: Readonly<Record<string, string>>;
}

/** What an {@linkcode HttpByteSource} has requested so far. */
export interface HttpByteSourceStats {
  /** Range requests sent (retries not counted). */
  requests: number;
  /** Bytes received. */
  bytes: number;
}

/** A `{ byteLength, slice }` source over a remote file. */
export interface HttpByteSource {
  /** Total length of the remote file. */
  readonly byteLength: number;
  /** The URL. */
  readonly url: string;
  /** The `ETag` of the first response, if the server sent one. */
  readonly etag: string | undefined;
  /** Requests and bytes so far. */
  readonly stats: Readonly<HttpByteSourceStats>;
  /** The bytes `[start, end)` (a view into the cache: do not modify). */
  slice(start: number, end: number): Uint8Array | Promise<Uint8Array>;
  /** Starts fetching ranges a read will ask for (close ones merged); the NetCDF reader calls it. */
  prefetch(ranges: readonly (readonly [number, number])[]): void;
}

const CONTENT_RANGE = /^bytes (\d+)-(\d+)\/(\d+|\*)$/i;

function nonNegative(name: string, v: number | undefined, d: number): number {
  if (v === undefined) return d;
  if (!Number.isSafeInteger(v) || v <= 0) {
    throw new InvalidArgumentError(`${name} must be a positive integer, not ${v}`);
  }
  return v;
}

/**
 * Opens a remote file for reading by HTTP `Range` requests through the
 * client's fetch, with its timeout and retries. The first request reads the
 * first block and learns the file's length and `ETag`; later reads are
 * cached, and reads that run forward through the file (a record variable,
 * one record at a time) fetch ever larger blocks, so they cost a handful of
 * requests. Every response is checked against the first: a changed `ETag`
 * or length is a {@linkcode SourceChangedError}; a server that ignores
 * `Range` (status 200) a {@linkcode RangeNotSupportedError}.
 *
 * @param url The file's URL.
 * @param options Client, cache sizes, signal.
 * @returns A byte source for {@linkcode openNetCDF}.
 * @throws {RangeNotSupportedError} When the server ignores `Range`.
 * @throws {HttpError} For a failed response (after the client's retries).
 * @throws {NetworkError} When no response arrived.
 *
 * @example Reading a variable of a remote file
 * ```ts
 * import { httpByteSource, openNetCDF } from "@icoscp/icoscp/netcdf";
 * import { CarbonPortal } from "@icoscp/icoscp";
 * import assert from "node:assert/strict";
 *
 * // CDF-1: one dimension x = 3, one variable `short v(x)` = 1, 2, 3.
 * const file = new Uint8Array([
 *   67, 68, 70, 1, 0, 0, 0, 0, 0, 0, 0, 10, 0, 0, 0, 1, 0, 0, 0, 1, 120, 0, 0, 0,
 *   0, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 11, 0, 0, 0, 1, 0, 0, 0, 1,
 *   118, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3,
 *   0, 0, 0, 8, 0, 0, 0, 80, 0, 1, 0, 2, 0, 3, 0, 0,
 * ]);
 * // A server answering Range requests (here an injected fetch).
 * const fetch = (_url: string | URL | Request, init?: RequestInit) => {
 *   const [, a, b] = /bytes=(\d+)-(\d+)/.exec(new Headers(init?.headers).get("range")!)!;
 *   const end = Math.min(Number(b) + 1, file.byteLength);
 *   return Promise.resolve(new Response(file.slice(Number(a), end), {
 *     status: 206,
 *     headers: { "content-range": `bytes ${a}-${end - 1}/${file.byteLength}`, etag: '"v1"' },
 *   }));
 * };
 * const source = await httpByteSource("https://example.org/v.nc", { client: new CarbonPortal({ fetch }) });
 * using nc = await openNetCDF(source);
 * assert.deepEqual(await nc.read("v"), new Int16Array([1, 2, 3]));
 * assert.equal(source.stats.requests, 1);
 * ```
 */
export async function httpByteSource(
  url: string | URL,
  options: HttpByteSourceOptions = {},
): Promise<HttpByteSource> {
  const href = String(url);
  const block = nonNegative("blockSize", options.blockSize, 256 * 1024);
  const maxAhead = Math.max(block, nonNegative("maxReadAhead", options.maxReadAhead, 8 << 20));
  const maxCache = Math.max(
    maxAhead,
    nonNegative("maxCacheBytes", options.maxCacheBytes, 64 << 20),
  );
  const client = options.client ??
    new (await import("../client/client.ts")).CarbonPortal();
  const stats: HttpByteSourceStats = { requests: 0, bytes: 0 };
  let total = -1;
  let etag: string | undefined;

  const get = async (start: number, end: number): Promise<Uint8Array> => {
    const range = `bytes=${start}-${end - 1}`;
    const hint = `Reading ${range.slice(6)} of a remote file`;
    const init: PortalRequestInit = {
      hint,
      auth: options.auth,
      headers: { ...options.headers, range, "accept-encoding": "identity" },
      signal: options.signal,
    };
    stats.requests++;
    const res = await client.request(href, init);
    if (res.status !== 206) {
      await res.body?.cancel().catch(() => {});
      throw new RangeNotSupportedError(hint, {
        status: res.status,
        url: href,
        body: "the server answered the whole file: it does not support Range requests",
      });
    }
    const cr = CONTENT_RANGE.exec(res.headers.get("content-range") ?? "");
    const tag = res.headers.get("etag") ?? undefined;
    const len = cr && cr[3] !== "*" ? Number(cr[3]) : -1;
    if (total >= 0 && ((etag !== undefined && tag !== etag) || (len >= 0 && len !== total))) {
      await res.body?.cancel().catch(() => {});
      throw new SourceChangedError(
        `${href} changed while being read: ETag ${etag} / ${total} bytes became ${tag} / ${len} bytes`,
      );
    }
    if (!cr || Number(cr[1]) !== start || len < 0) {
      await res.body?.cancel().catch(() => {});
      throw new HttpError(hint, {
        status: res.status,
        url: href,
        body: `unexpected Content-Range ${JSON.stringify(res.headers.get("content-range"))}`,
      });
    }
    if (total < 0) {
      total = len;
      etag = tag;
    }
    const want = Math.min(end, total) - start;
    let bytes: Uint8Array;
    try {
      // never more than was asked for, however long the body
      bytes = await readAtMost(res.body, want);
    } catch (cause) {
      throw new CarbonPortalError(`${hint} failed while reading the body from ${href}`, { cause });
    }
    stats.bytes += bytes.byteLength;
    if (bytes.byteLength < want) {
      throw new TruncatedDataError(
        `${hint}: got ${bytes.byteLength} bytes of ${want} from ${href}`,
        { byteOffset: start + bytes.byteLength },
      );
    }
    return bytes.byteLength === want ? bytes : bytes.subarray(0, want);
  };

  const first = await get(0, block);
  const cache = new CachedSource(total, get, {
    block,
    maxAhead,
    direct: maxAhead,
    maxCache,
    gap: options.coalesceGap === undefined ? block : Math.max(0, options.coalesceGap),
  });
  cache.prime(0, first);
  return {
    byteLength: total,
    url: href,
    get etag() {
      return etag;
    },
    stats,
    slice: (start, end) => cache.slice(start, end),
    prefetch: (ranges) => cache.prefetch(ranges),
  };
}
