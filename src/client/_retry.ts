// Private: the one retry policy of the client. Every loop that tries again
// (a request without an answer or with a transient status, a body that
// broke and is fetched again, a cpb read or a download resumed where it
// broke) counts its failures and waits here: full-jitter exponential backoff
// from `minDelay`, capped by `maxDelay`, `Retry-After` honoured, and an abort
// by the caller ends the wait with the caller's reason.

import type { RetryOptions } from "./client.ts";
import { NetworkError, TimeoutError, TruncatedDataError } from "../errors.ts";

/** Whether `e` is a body that broke: dropped, stalled or cut short (worth fetching again). */
export function isBrokenBody(e: unknown): boolean {
  return e instanceof NetworkError || e instanceof TimeoutError || e instanceof TruncatedDataError;
}

/** The failures of one operation, counted against the policy. */
export class Retry {
  readonly #policy: RetryOptions;
  readonly #signals: readonly AbortSignal[];
  readonly #retries: number;
  #failures = 0;

  /** `retries` overrides the policy's count (a download's own option). */
  constructor(policy: RetryOptions, signals: readonly AbortSignal[], retries = policy.retries) {
    this.#policy = policy;
    this.#signals = signals;
    this.#retries = retries;
  }

  /** Counts a failure: whether another attempt is allowed. */
  another(): boolean {
    if (this.#failures >= this.#retries) return false;
    this.#failures++;
    return true;
  }

  /** Progress was made: failures are counted afresh. */
  reset(): void {
    this.#failures = 0;
  }

  /**
   * Waits before the next attempt: a random delay up to `minDelay × 2^(n-1)`
   * after the n-th failure, at most `maxDelay`, or what `retryAfter` (a
   * `Retry-After` header in seconds) asks within `maxDelay`. Rejects with
   * the caller's reason when one of the signals aborts.
   */
  async wait(retryAfter?: string | null): Promise<void> {
    const { minDelay, maxDelay } = this.#policy;
    const exp = Math.min(maxDelay, minDelay * 2 ** Math.max(0, this.#failures - 1));
    let delay = Math.random() * exp;
    const seconds = retryAfter ? Number(retryAfter) : NaN;
    if (Number.isFinite(seconds) && seconds >= 0) delay = Math.min(maxDelay, seconds * 1000);
    const signals = this.#signals;
    signals.forEach((s) => s.throwIfAborted());
    await new Promise<void>((resolve, reject) => {
      const done = () => {
        clearTimeout(id);
        signals.forEach((s) => s.removeEventListener("abort", abort));
      };
      const abort = () => {
        done();
        reject(signals.find((s) => s.aborted)?.reason);
      };
      const id = setTimeout(() => {
        done();
        resolve();
      }, delay);
      signals.forEach((s) => s.addEventListener("abort", abort, { once: true }));
    });
  }
}
