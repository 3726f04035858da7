// Private: the bytes of a data object's original file, streamed from
// `<data>/objects/<id>` with resume (HTTP Range) after a dropped connection
// and a bounded number of retries. Shared by Dobj.fileStream() and
// download().

import type { CarbonPortal } from "./client.ts";
import { CarbonPortalError, HttpError, NetworkError, TruncatedDataError } from "../errors.ts";

/** Progress of a transfer. */
export interface Progress {
  /** Bytes received so far (including bytes resumed from disk). */
  received: number;
  /** Total bytes, when known. */
  total: number | undefined;
}

/** File name from a `Content-Disposition` header, as the Python client reads it. */
export function dispositionName(header: string | null): string | undefined {
  const m = /filename="(.*)"/.exec(header ?? "");
  if (!m) return undefined;
  try {
    return decodeURIComponent(m[1]);
  } catch {
    return m[1];
  }
}

export interface BodyOptions {
  start: number;
  total?: number;
  signal?: AbortSignal;
  retries: number;
  minDelay: number;
  onResponse?(res: Response, resumed: boolean): void;
}

/** A piece of the file and where it starts in it. */
export interface Piece {
  offset: number;
  bytes: Uint8Array;
}

/**
 * Yields the file's bytes from `start`, resuming with Range on network
 * failures. A piece whose offset is below the consumer's position means the
 * server ignored a Range request and sends the file from `offset` (0) again.
 */
export async function* objectBytes(
  cp: CarbonPortal,
  id: string,
  options: BodyOptions,
): AsyncGenerator<Piece> {
  const url = `${cp.endpoints.data}/objects/${id}`;
  let pos = options.start;
  let failures = 0;
  while (true) {
    const headers: Record<string, string> = {};
    if (pos > 0) headers.range = `bytes=${pos}-`;
    const res = await cp.request(url, {
      hint: "Fetching data object",
      auth: true,
      signal: options.signal,
      headers,
    });
    let resumed = false;
    if (pos > 0) {
      if (res.status === 206) {
        const m = /bytes (\d+)-/.exec(res.headers.get("content-range") ?? "");
        if (!m || Number(m[1]) !== pos) {
          await res.body?.cancel();
          throw new HttpError("Fetching data object", {
            status: 206,
            url,
            body: `Range answer starts at ${m?.[1]}, not ${pos}`,
          });
        }
        resumed = true;
      } else {
        pos = 0; // the server ignored the range: the body is the whole file
      }
    }
    options.onResponse?.(res, resumed);
    const expected = Number(res.headers.get("content-length") ?? NaN);
    let got = 0;
    const reader = res.body!.getReader();
    try {
      while (true) {
        const { done, value } = await reader.read();
        if (done) break;
        got += value.length;
        yield { offset: pos, bytes: value };
        pos += value.length;
      }
    } catch (cause) {
      options.signal?.throwIfAborted();
      if (++failures > options.retries) {
        throw new NetworkError(
          `Fetching data object failed: connection lost at byte ${pos} of ${url}`,
          {
            cause,
          },
        );
      }
      await new Promise((r) => setTimeout(r, options.minDelay * 2 ** (failures - 1)));
      continue;
    } finally {
      reader.releaseLock();
    }
    if (Number.isFinite(expected) && got < expected) {
      if (++failures > options.retries) {
        throw new TruncatedDataError(
          `Truncated download of ${url}: the body ended at byte ${pos}, ${
            expected - got
          } bytes early`,
          { byteOffset: pos },
        );
      }
      continue;
    }
    if (options.total !== undefined && pos < options.total) {
      if (++failures > options.retries) {
        throw new TruncatedDataError(
          `Truncated download of ${url}: got ${pos} of ${options.total} bytes`,
          { byteOffset: pos },
        );
      }
      continue;
    }
    if (options.total !== undefined && pos > options.total) {
      throw new CarbonPortalError(
        `Download of ${url} is longer (${pos}) than the object (${options.total})`,
      );
    }
    return;
  }
}
