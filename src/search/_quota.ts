// Private: the client's side of the portal's SPARQL quotas — its own
// account of query time per minute and per hour and of queries in flight,
// so that a search never sends the query that would spend the quota.

import { QuotaExceededError } from "../errors.ts";

/** The portal's SPARQL limits (meta `application.conf`, `cpmeta.sparql`). */
export interface SparqlLimits {
  /** A query running longer is stopped (s). */
  readonly maxQueryRuntimeSec: number;
  /** Query time a client may spend per minute (s). */
  readonly quotaPerMinute: number;
  /** Query time a client may spend per hour (s). */
  readonly quotaPerHour: number;
  /** Queries a client may have running at once. */
  readonly maxParallelQueries: number;
}

/** The ICOS portal's values. */
export const PORTAL_LIMITS: SparqlLimits = Object.freeze({
  maxQueryRuntimeSec: 9,
  quotaPerMinute: 20,
  quotaPerHour: 300,
  maxParallelQueries: 5,
});

/** Counts the client's query time and queries in flight against the limits. */
export class QuotaGate {
  readonly limits: SparqlLimits;
  #runs: { start: number; cost: number }[] = [];
  #inFlight = 0;
  #waiting: (() => void)[] = [];
  #now: () => number;

  constructor(limits: SparqlLimits = PORTAL_LIMITS, now: () => number = Date.now) {
    this.limits = limits;
    this.#now = now;
  }

  /** Query time spent in the last `windowMs`, in seconds. */
  spent(windowMs: number): number {
    const t = this.#now();
    return this.#runs.filter((r) => t - r.start < windowMs).reduce((s, r) => s + r.cost, 0);
  }

  /**
   * Runs a query within the limits: at most `maxParallelQueries - 1` at once
   * (others wait their turn), none when the minute's or hour's budget is
   * spent (a {@linkcode QuotaExceededError} with the wait instead).
   */
  async run<T>(hint: string, url: string, query: () => Promise<T>): Promise<T> {
    this.#check(hint, url);
    while (this.#inFlight >= this.limits.maxParallelQueries - 1) {
      await new Promise<void>((r) => this.#waiting.push(r));
    }
    this.#check(hint, url);
    this.#inFlight++;
    const start = this.#now();
    try {
      return await query();
    } finally {
      this.#inFlight--;
      const cost = Math.min((this.#now() - start) / 1000, this.limits.maxQueryRuntimeSec);
      this.#runs.push({ start, cost });
      this.#runs = this.#runs.filter((r) => this.#now() - r.start < 3_600_000);
      this.#waiting.shift()?.();
    }
  }

  #check(hint: string, url: string): void {
    const t = this.#now();
    for (
      const [windowMs, budget, limit] of [
        [60_000, this.limits.quotaPerMinute, "minute"],
        [3_600_000, this.limits.quotaPerHour, "hour"],
      ] as const
    ) {
      let spent = this.spent(windowMs);
      if (spent < budget * 0.9) continue;
      // wait until enough of the window's runs have aged out
      let waitMs = 0;
      for (const r of [...this.#runs].sort((a, b) => a.start - b.start)) {
        if (t - r.start >= windowMs) continue;
        spent -= r.cost;
        waitMs = r.start + windowMs - t;
        if (spent < budget * 0.9) break;
      }
      throw new QuotaExceededError(hint, {
        status: 503,
        url,
        body: `The client held this query back: it has spent ${
          this.spent(windowMs).toFixed(1)
        } s of the portal's ${budget} s per-${limit} SPARQL quota (wait ${
          Math.ceil(waitMs / 1000)
        } s)`,
        waitMs,
      });
    }
  }
}
