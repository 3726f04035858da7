// Private: a response body whose reads are bounded by an idle timeout and
// whose failures are typed. A transfer that keeps making progress is never
// cut; a gap of `idle` ms with a read pending and no byte arriving is a
// TimeoutError; a dropped connection is a NetworkError (the runtime's
// TypeError or DOMException is the `cause`). The user's own abort reason
// passes through unchanged.

import { NetworkError, TimeoutError } from "../errors.ts";
import { redactUrl } from "../_util/redact.ts";

/** What the guard needs to know about the request. */
export interface BodyGuard {
  /** What the request is for, for messages. */
  hint: string;
  /** The URL, for messages (credentials are redacted). */
  url: string;
  /** Longest gap between body bytes while a read is pending, in ms; 0: none. */
  idle: number;
  /** Aborts the underlying fetch (cancels the connection). */
  abort(reason: unknown): void;
  /** The caller's signals: an abort by them is not a network failure. */
  userSignals: readonly AbortSignal[];
}

/** The guarded reads behind the body stream. */
interface GuardedSource {
  /** Reads the next bytes, into `view` where the connection allows (BYOB). */
  read(view?: Uint8Array): Promise<ReadableStreamReadResult<Uint8Array>>;
  /** Cancels the body and the connection. */
  cancel(reason?: unknown): Promise<void>;
}

/**
 * Wraps a response so that its body is guarded; the status and headers are
 * kept. A response without a body is returned as is.
 */
export function guardResponse(res: Response, guard: BodyGuard): Response {
  if (!res.body) return res;
  // a byte stream in and out: a BYOB read of the guarded body reads the
  // connection straight into the caller's buffer
  let byob: ReadableStreamBYOBReader | undefined;
  try {
    byob = res.body.getReader({ mode: "byob" });
  } catch {
    byob = undefined; // not a byte stream
  }
  const inner = byob ?? res.body.getReader();
  let received = 0;
  const url = redactUrl(guard.url);
  const source: GuardedSource = {
    async read(view) {
      const read: Promise<ReadableStreamReadResult<Uint8Array>> = byob && view
        ? byob.read(view)
        : (inner as ReadableStreamDefaultReader<Uint8Array>).read();
      let timer: ReturnType<typeof setTimeout> | undefined;
      let stalled = false;
      const result = guard.idle > 0
        ? await Promise.race([
          read,
          new Promise<never>((_, reject) => {
            timer = setTimeout(() => {
              stalled = true;
              reject(
                new TimeoutError(
                  `${guard.hint} stalled: no data for ${guard.idle} ms after ${received} bytes of ${url}`,
                ),
              );
            }, guard.idle);
          }),
        ]).catch((e) => ({ error: e }))
        : await read.catch((e) => ({ error: e }));
      clearTimeout(timer);
      if ("error" in result) {
        const user = guard.userSignals.find((s) => s.aborted);
        const error = user ? user.reason : stalled ? result.error : new NetworkError(
          `${guard.hint} failed: connection lost after ${received} bytes of ${url}`,
          { cause: result.error },
        );
        guard.abort(error);
        read.catch(() => {});
        inner.cancel(error).catch(() => {});
        throw error;
      }
      if (!result.done) received += result.value.length;
      return result;
    },
    cancel(reason) {
      guard.abort(reason);
      return inner.cancel(reason).catch(() => {});
    },
  };
  // a default reader (`text()`, `json()`) reads into buffers of this size:
  // no larger than the announced body (+1 byte, so the end needs no second
  // buffer of the same size), up to 64 KiB. A 64 KiB buffer per read of a
  // 5 KB answer was most of the mirror's external (ArrayBuffer) memory.
  const length = Number(res.headers.get("content-length") ?? NaN);
  const chunkSize = Number.isSafeInteger(length) && length >= 0
    ? Math.min(1 << 16, Math.max(256, length + 1))
    : 1 << 16;
  const body = new ReadableStream({
    type: "bytes",
    autoAllocateChunkSize: chunkSize,
    async pull(controller) {
      const request = controller.byobRequest;
      const view = request?.view;
      let result: ReadableStreamReadResult<Uint8Array>;
      try {
        result = await source.read(
          view ? new Uint8Array(view.buffer, view.byteOffset, view.byteLength) : undefined,
        );
      } catch (error) {
        controller.error(error);
        return;
      }
      if (result.done) {
        controller.close();
        if (byob && view && result.value) request!.respondWithNewView(result.value);
        else request?.respond(0);
        return;
      }
      if (byob && view) request!.respondWithNewView(result.value);
      else controller.enqueue(result.value.slice()); // enqueue detaches: the source may share it
    },
    cancel(reason) {
      return source.cancel(reason);
    },
  });
  const guarded = new Response(body, {
    status: res.status,
    statusText: res.statusText,
    headers: res.headers,
  });
  return guarded;
}
