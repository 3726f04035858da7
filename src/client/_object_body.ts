// Private: the bytes of a data object's original file, streamed from
// `<data>/objects/<id>` with resume (HTTP Range) after a dropped connection,
// retried under the client's policy (`_retry.ts`) with the transfer's own
// count. Shared by Dobj.fileStream() and download().

import type { CarbonPortal } from "./client.ts";
import {
  CarbonPortalError,
  HttpError,
  LicenceError,
  NetworkError,
  TruncatedDataError,
} from "../errors.ts";
import { acceptLicence, consentHint } from "./_licence.ts";
import { Retry } from "./_retry.ts";

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
  onResponse?(res: Response, resumed: boolean): void;
  /**
   * The user's consent to the data licence: the object's full hash, for the
   * portal's licence acceptance; the file is then fetched without a login.
   */
  acceptLicenceFor?: string;
  /** The licence's URL, named in the error when consent is missing. */
  licenceUrl?: string;
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
  const retry = new Retry(
    cp.retry,
    options.signal ? [options.signal] : [],
    options.retries,
  );
  // with consent the licence cookie stands in for a login; it is asked for
  // again once when the portal no longer honours it (it deletes it after use)
  let cookie: string | undefined;
  let renewed = false;
  // a resumed range asks for the same file version: a changed one comes whole
  let etag: string | undefined;
  while (true) {
    const headers: Record<string, string> = {};
    if (pos > 0) headers.range = `bytes=${pos}-`;
    if (pos > 0 && etag) headers["if-range"] = etag;
    if (options.acceptLicenceFor !== undefined) {
      cookie ??= await acceptLicence(cp, options.acceptLicenceFor, options.signal);
      headers.cookie = cookie;
    }
    let res: Response;
    try {
      res = await cp.request(url, {
        hint: "Fetching data object",
        auth: options.acceptLicenceFor === undefined,
        signal: options.signal,
        headers,
      });
    } catch (e) {
      if (!(e instanceof LicenceError)) throw e;
      if (options.acceptLicenceFor !== undefined && !renewed) {
        renewed = true;
        cookie = undefined;
        continue;
      }
      throw new LicenceError("Fetching data object", {
        status: e.status,
        url: e.url,
        body: options.acceptLicenceFor === undefined
          ? consentHint(options.licenceUrl, cp.hasAuth)
          : `the portal did not honour the accepted licence: ${e.body}`,
        cause: e,
      });
    }
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
    const tag = res.headers.get("etag");
    if (tag && !tag.startsWith("W/")) etag = tag; // If-Range takes strong tags only
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
      if (!retry.another()) {
        throw new NetworkError(
          `Fetching data object failed: connection lost at byte ${pos} of ${url}`,
          {
            cause,
          },
        );
      }
      await retry.wait();
      continue;
    } finally {
      reader.releaseLock();
    }
    if (Number.isFinite(expected) && got < expected) {
      if (!retry.another()) {
        throw new TruncatedDataError(
          `Truncated download of ${url}: the body ended at byte ${pos}, ${
            expected - got
          } bytes early`,
          { byteOffset: pos },
        );
      }
      await retry.wait();
      continue;
    }
    if (options.total !== undefined && pos < options.total) {
      if (!retry.another()) {
        throw new TruncatedDataError(
          `Truncated download of ${url}: got ${pos} of ${options.total} bytes`,
          { byteOffset: pos },
        );
      }
      await retry.wait();
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
