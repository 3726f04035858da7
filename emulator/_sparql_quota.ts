// Private: the portal's SPARQL quota manager as the emulator enforces it
// (meta `QuotaManager` and `application.conf` `cpmeta.sparql`): per client,
// the seconds of query time spent in the last minute and hour (a query still
// running costs its age, at most the longest run), queries running at once
// with the others waiting in a queue, and a ban when the queue overflows.
// Over a limit the query is refused with 503 and the portal's own message.
// The client is the `X-Forwarded-For` address, as behind the portal's proxy,
// or the loopback peer when there is none (the portal does no accounting
// without the header; the emulator does, so that tests can see it).

/** Limits in seconds of query time, queries at once, the queue and the ban. */
export interface SparqlQuota {
  /** Seconds of query time per minute. Default 20, as the portal. */
  readonly perMinute?: number;
  /** Seconds of query time per hour. Default 300, as the portal. */
  readonly perHour?: number;
  /** Queries running at once; more wait in a queue. Default 5, as the portal. */
  readonly parallel?: number;
  /**
   * Queries that may wait; one more bans the client and drops the waiting
   * ones. Default 100, as the portal (`maxQueryQueue`).
   */
  readonly queue?: number;
  /** Length of a ban in minutes. Default 10, as the portal (`banLength`). */
  readonly banMinutes?: number;
}

interface Run {
  start: number;
  stop?: number;
}

interface Client {
  runs: Run[];
  running: number;
  queue: ((admitted: boolean) => void)[];
  banTo?: number;
}

/** Java's `Instant.toString()` of an epoch time in ms (no fraction when it is zero). */
function instant(ms: number): string {
  return new Date(ms).toISOString().replace(".000Z", "Z");
}

/** Per-client query accounting. */
export class QuotaManager {
  readonly #perMinute: number;
  readonly #perHour: number;
  readonly #parallel: number;
  readonly #queue: number;
  readonly #banMs: number;
  readonly #maxRunMs: number;
  readonly #now: () => number;
  readonly #clients = new Map<string, Client>();

  /**
   * @param quota The limits.
   * @param now The clock (ms).
   * @param maxRunMs The longest a query runs (a running query costs its age up to this).
   */
  constructor(quota: SparqlQuota, now: () => number, maxRunMs = 9_000) {
    this.#perMinute = quota.perMinute ?? 20;
    this.#perHour = quota.perHour ?? 300;
    this.#parallel = quota.parallel ?? 5;
    this.#queue = quota.queue ?? 100;
    this.#banMs = (quota.banMinutes ?? 10) * 60_000;
    this.#maxRunMs = maxRunMs;
    this.#now = now;
  }

  #client(id: string): Client {
    let c = this.#clients.get(id);
    if (!c) this.#clients.set(id, c = { runs: [], running: 0, queue: [] });
    return c;
  }

  /** The portal's refusal for a client that is banned or over its quota, or undefined. */
  excess(client: string): string | undefined {
    const c = this.#clients.get(client);
    if (!c) return undefined;
    const t = this.#now();
    if (c.banTo !== undefined && t < c.banTo) {
      return `You are banned for service overuse until ${instant(c.banTo)}`;
    }
    let minute = 0;
    let hour = 0;
    c.runs = c.runs.filter((r) => {
      const age = t - r.start;
      if (age >= 3_600_000) return r.stop === undefined; // old finished runs are forgotten
      const cost = (r.stop === undefined ? Math.min(age, this.#maxRunMs) : r.stop - r.start) / 1000;
      hour += cost;
      if (age < 60_000) minute += cost;
      return true;
    });
    if (hour >= this.#perHour) {
      return "You have exceeded your hourly query quota. Please wait 1 hour to run more queries.";
    }
    if (minute >= this.#perMinute) {
      return "You have exceeded your per-minute query quota. Please wait 1 minute to run more queries.";
    }
    return undefined;
  }

  /**
   * Admits a query: at once while fewer than `parallel` run, else after
   * waiting its turn. Resolves to the function to call when it ends, or to
   * `undefined` when the queue overflowed: the client is then banned and
   * every waiting query dropped (on the portal they never run and their
   * answers break off; their runs count as the longest run).
   */
  async admit(client: string): Promise<(() => void) | undefined> {
    const c = this.#client(client);
    if (c.running >= this.#parallel || c.queue.length > 0) {
      const turn = new Promise<boolean>((resolve) => c.queue.push(resolve));
      if (c.queue.length > this.#queue) {
        c.banTo = this.#now() + this.#banMs;
        for (const drop of c.queue.splice(0)) drop(false);
        return undefined;
      }
      // the portal records the run when it is queued: waiting costs quota too
      const run: Run = { start: this.#now() };
      c.runs.push(run);
      if (!(await turn)) {
        run.stop = run.start + this.#maxRunMs;
        return undefined;
      }
      c.running++;
      return () => this.#finish(c, run);
    }
    const run: Run = { start: this.#now() };
    c.runs.push(run);
    c.running++;
    return () => this.#finish(c, run);
  }

  #finish(c: Client, run: Run): void {
    if (run.stop !== undefined) return;
    run.stop = this.#now();
    c.running--;
    if (c.running < this.#parallel) c.queue.shift()?.(true);
  }
}
