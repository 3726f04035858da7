// Private: the portal's CSV has no quoting and one `\n`-terminated line per
// row after the header, so a body cut short — even one whose framing looks
// complete (a truncated chunked body, a `Content-Length` too small) — shows
// as a missing final newline or too few lines.

import type { CarbonPortal, PortalRequestInit } from "../client/client.ts";
import { TruncatedDataError } from "../errors.ts";
import type { CsvOptions } from "./_options.ts";
import { redactUrl } from "../_util/redact.ts";

/** Rows the portal sends for `offset`/`limit` of a table of `nRows` rows. */
export function csvRows(
  nRows: number | undefined,
  offset: number | undefined,
  limit: number | undefined,
): number | undefined {
  if (nRows === undefined) return undefined;
  const from = Math.max(0, offset ?? 0);
  const to = Math.min(nRows, limit === undefined ? Infinity : from + Math.max(0, limit));
  return Math.max(0, to - from);
}

/**
 * Passes the CSV bytes through and errors the stream with a
 * {@linkcode TruncatedDataError} at its end when lines are missing.
 */
export function checkCsv(
  body: ReadableStream<Uint8Array>,
  rows: number | undefined,
  url: string,
): ReadableStream<Uint8Array> {
  let lines = 0;
  let bytes = 0;
  let last = -1;
  return body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        for (let i = chunk.indexOf(10); i >= 0; i = chunk.indexOf(10, i + 1)) lines++;
        if (chunk.length) last = chunk[chunk.length - 1];
        bytes += chunk.length;
        controller.enqueue(chunk);
      },
      flush() {
        const expected = rows === undefined ? undefined : rows + 1;
        if (last !== 10 || (expected !== undefined && lines < expected)) {
          throw new TruncatedDataError(
            `Truncated CSV from ${redactUrl(url)}: ${lines} complete lines${
              expected === undefined ? "" : ` of ${expected}`
            } in ${bytes} bytes`,
            { byteOffset: bytes },
          );
        }
      },
    }),
  );
}

/** The request of `Dobj.csvStream` / `Dobj.getCsv`: `<data>/csv/<id>` with columns and rows. */
export function csvRequest(
  cp: CarbonPortal,
  id: string,
  options: CsvOptions,
): { url: string; init: PortalRequestInit } {
  const q = new URLSearchParams();
  for (const c of options.columns ?? []) q.append("col", c);
  if (options.offset !== undefined) q.set("offset", String(options.offset));
  if (options.limit !== undefined) q.set("limit", String(options.limit));
  const query = q.size ? `?${q}` : "";
  return {
    url: `${cp.endpoints.data}/csv/${id}${query}`,
    init: { hint: "Fetching CSV", auth: true, signal: options.signal },
  };
}

/** The CSV body of an answer, checked for missing lines (a table of `nRows` rows). */
export function checkedCsv(
  res: Response,
  url: string,
  nRows: number | undefined,
  options: CsvOptions,
): ReadableStream<Uint8Array> {
  const body = res.body ?? new ReadableStream({ start: (c) => c.close() });
  return checkCsv(body, csvRows(nRows, options.offset, options.limit), url);
}
