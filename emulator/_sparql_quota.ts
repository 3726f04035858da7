// Private: the portal's SPARQL quota manager as the emulator enforces it
// (meta `QuotaManager` and `application.conf` `cpmeta.sparql`): per client,
// the seconds of query time spent in the last minute and hour, and the
// queries running at once; over a limit the query is refused with 503 and
// the portal's own message. The client is the `X-Forwarded-For` address, as
// behind the portal's proxy, or the loopback peer when there is none.

/** Limits in seconds of query time (and a count of parallel queries). */
export interface SparqlQuota {
  /** Seconds of query time per minute. Default 20, as the portal. */
  readonly perMinute?: number;
  /** Seconds of query time per hour. Default 300, as the portal. */
  readonly perHour?: number;
  /** Queries running at once. Default 5, as the portal. */
  readonly parallel?: number;
}

interface Run {
  start: number;
  stop?: number;
}

/** Per-client query accounting. */
export class QuotaManager {
  readonly #perMinute: number;
  readonly #perHour: number;
  readonly #parallel: number;
  readonly #now: () => number;
  readonly #runs = new Map<string, Run[]>();

  constructor(quota: SparqlQuota, now: () => number) {
    this.#perMinute = quota.perMinute ?? 20;
    this.#perHour = quota.perHour ?? 300;
    this.#parallel = quota.parallel ?? 5;
    this.#now = now;
  }

  /** The portal's refusal for a client over a limit, or undefined. */
  excess(client: string): string | undefined {
    const runs = this.#runs.get(client);
    if (!runs) return undefined;
    const t = this.#now();
    let minute = 0;
    let hour = 0;
    let running = 0;
    const kept: Run[] = [];
    for (const r of runs) {
      if (r.stop === undefined) running++;
      const age = t - r.start;
      if (age >= 3_600_000 && r.stop !== undefined) continue;
      kept.push(r);
      const cost = ((r.stop ?? t) - r.start) / 1000;
      hour += cost;
      if (age < 60_000) minute += cost;
    }
    this.#runs.set(client, kept);
    if (running >= this.#parallel) {
      return `You have ${running} running queries. Please try again in a few seconds. ` +
        "Contact Carbon Portal if the problem persists.";
    }
    if (hour >= this.#perHour) {
      return "You have exceeded your hourly query quota. Please wait 1 hour to run more queries.";
    }
    if (minute >= this.#perMinute) {
      return "You have exceeded your per-minute query quota. Please wait 1 minute to run more queries.";
    }
    return undefined;
  }

  /** Records a query's start; call the returned function when it ends. */
  start(client: string): () => void {
    const run: Run = { start: this.#now() };
    const runs = this.#runs.get(client);
    if (runs) runs.push(run);
    else this.#runs.set(client, [run]);
    return () => {
      run.stop = this.#now();
    };
  }
}
