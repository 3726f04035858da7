// Private: a response body whose reads are bounded by an idle timeout and
// whose failures are typed. A transfer that keeps making progress is never
// cut; a gap of `idle` ms with a read pending and no byte arriving is a
// TimeoutError; a dropped connection is a NetworkError (the runtime's
// TypeError or DOMException is the `cause`). The user's own abort reason
// passes through unchanged.

import { NetworkError, TimeoutError } from "./errors.ts";
import { redactUrl } from "./_redact.ts";

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

/**
 * Wraps a response so that its body is guarded; the status and headers are
 * kept. A response without a body is returned as is.
 */
export function guardResponse(res: Response, guard: BodyGuard): Response {
  if (!res.body) return res;
  const source = res.body.getReader();
  let received = 0;
  const url = redactUrl(guard.url);
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      let stalled = false;
      const read = source.read();
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
        source.cancel(error).catch(() => {});
        controller.error(error);
        return;
      }
      if (result.done) {
        controller.close();
        return;
      }
      received += result.value.length;
      controller.enqueue(result.value);
    },
    cancel(reason) {
      guard.abort(reason);
      return source.cancel(reason).catch(() => {});
    },
  }, { highWaterMark: 0 });
  return new Response(body, {
    status: res.status,
    statusText: res.statusText,
    headers: res.headers,
  });
}
