/**
 * Fault injection for the emulator: latency, error statuses, connections
 * dropped mid-body, truncated bodies and wrong `Content-Length` headers,
 * per path and per request count, changeable while the emulator runs.
 *
 * @module
 */

/**
 * One fault rule. A rule matches requests by path (and method); it counts
 * the requests it matched, from 1, and fires on the counts listed in `nth`
 * (every match when absent), at most `times` times. The effects of a firing
 * rule combine: a delay, then either a replaced status or a damaged body.
 */
export interface FaultRule {
  /** Path to match: a prefix such as `"/data/cpb"`, or a RegExp tested on the path. Default: every path. */
  readonly path?: string | RegExp;
  /** HTTP method to match, e.g. `"POST"`. Default: any. */
  readonly method?: string;
  /** Which matching requests fire (1-based counts since the rule was added). Default: all. */
  readonly nth?: number | readonly number[];
  /** Fire at most this many times. Default: unlimited. */
  readonly times?: number;
  /** Wait this many milliseconds before answering. */
  readonly latency?: number;
  /** Answer with this status (e.g. 503) instead of the real response. */
  readonly status?: number;
  /** Body of the replaced status. Default: a short text naming the fault. */
  readonly body?: string;
  /** Send the real headers and `Content-Length`, then close the connection after this many body bytes. */
  readonly dropAfterBytes?: number;
  /** Send only the first bytes of the body, as a complete response with a matching length. */
  readonly truncateToBytes?: number;
  /** Declare a `Content-Length` this many bytes off the real length (negative cuts the body short). */
  readonly contentLengthDelta?: number;
  /** Flip (XOR 0xFF) this many bytes spread over the body, keeping its length: a corrupted download. */
  readonly corruptBytes?: number;
}

interface Armed {
  readonly rule: FaultRule;
  seen: number;
  fired: number;
}

/**
 * What the server does to one request: the combined effect of the rules that
 * fired (their latencies add up; the first rule that sets a field wins).
 */
export type FaultPlan =
  & {
    /** Total delay in ms. */
    readonly latency: number;
  }
  & Pick<
    FaultRule,
    | "status"
    | "body"
    | "dropAfterBytes"
    | "truncateToBytes"
    | "contentLengthDelta"
    | "corruptBytes"
  >;

/**
 * The fault rules of a running emulator (`emulator.faults`).
 *
 * @example The second request to /data/cpb gets a 503
 * ```ts
 * import { Faults } from "@icoscp/emulator";
 * import assert from "node:assert/strict";
 *
 * const faults = new Faults();
 * faults.add({ path: "/data/cpb", nth: 2, status: 503 });
 * assert.equal(faults.plan("POST", "/data/cpb"), undefined);
 * assert.equal(faults.plan("POST", "/data/cpb")?.status, 503);
 * assert.equal(faults.plan("POST", "/data/cpb"), undefined);
 * faults.clear();
 * assert.equal(faults.rules.length, 0);
 * ```
 */
export class Faults {
  #armed: Armed[] = [];

  /**
   * Creates a rule set.
   *
   * @param rules Rules active from the start.
   */
  constructor(rules: readonly FaultRule[] = []) {
    for (const r of rules) this.add(r);
  }

  /** The active rules, in the order added. */
  get rules(): readonly FaultRule[] {
    return this.#armed.map((a) => a.rule);
  }

  /**
   * Adds a rule; its request count starts at zero.
   *
   * @param rule The rule.
   * @throws {RangeError} When a number in the rule is negative or not finite.
   *
   * @example
   * ```ts
   * import { Faults } from "@icoscp/emulator";
   * import assert from "node:assert/strict";
   *
   * const faults = new Faults();
   * faults.add({ path: /^\/meta\/sparql/, latency: 5 });
   * assert.equal(faults.plan("POST", "/meta/sparql")?.latency, 5);
   * ```
   */
  add(rule: FaultRule): void {
    for (
      const k of [
        "latency",
        "status",
        "dropAfterBytes",
        "truncateToBytes",
        "times",
        "corruptBytes",
      ] as const
    ) {
      const v = rule[k];
      if (v !== undefined && !(Number.isFinite(v) && v >= 0)) {
        throw new RangeError(`Fault rule ${k} must be a number >= 0, not ${v}`);
      }
    }
    this.#armed.push({ rule, seen: 0, fired: 0 });
  }

  /**
   * Removes every rule.
   *
   * @example
   * ```ts
   * import { Faults } from "@icoscp/emulator";
   * import assert from "node:assert/strict";
   *
   * const faults = new Faults([{ status: 500 }]);
   * faults.clear();
   * assert.equal(faults.plan("GET", "/meta/sparql"), undefined);
   * ```
   */
  clear(): void {
    this.#armed = [];
  }

  /**
   * Counts a request against the rules and says what to do with it.
   *
   * @param method The request method.
   * @param path The request path (without the query).
   * @returns The combined effect, or undefined when no rule fires.
   *
   * @example
   * ```ts
   * import { Faults } from "@icoscp/emulator";
   * import assert from "node:assert/strict";
   *
   * const faults = new Faults([{ path: "/data/objects/", times: 1, dropAfterBytes: 10 }]);
   * assert.equal(faults.plan("GET", "/data/objects/abc")?.dropAfterBytes, 10);
   * assert.equal(faults.plan("GET", "/data/objects/abc"), undefined);
   * ```
   */
  plan(method: string, path: string): FaultPlan | undefined {
    let plan: { -readonly [K in keyof FaultPlan]: FaultPlan[K] } | undefined;
    for (const a of this.#armed) {
      const r = a.rule;
      if (r.method && r.method.toUpperCase() !== method.toUpperCase()) continue;
      if (r.path !== undefined) {
        const hit = typeof r.path === "string" ? path.startsWith(r.path) : r.path.test(path);
        if (!hit) continue;
      }
      a.seen++;
      const nth = r.nth === undefined ? undefined : typeof r.nth === "number" ? [r.nth] : r.nth;
      if (nth && !nth.includes(a.seen)) continue;
      if (r.times !== undefined && a.fired >= r.times) continue;
      a.fired++;
      plan ??= { latency: 0 };
      plan.latency += r.latency ?? 0;
      if (r.status !== undefined && plan.status === undefined) {
        plan.status = r.status;
        plan.body = r.body ?? `Injected fault: HTTP ${r.status}`;
      }
      plan.dropAfterBytes ??= r.dropAfterBytes;
      plan.truncateToBytes ??= r.truncateToBytes;
      plan.contentLengthDelta ??= r.contentLengthDelta;
      plan.corruptBytes ??= r.corruptBytes;
    }
    return plan;
  }
}

/** Applies a plan's body damage to a response. */
export async function damage(res: Response, plan: FaultPlan): Promise<Response> {
  if (
    plan.dropAfterBytes === undefined && plan.truncateToBytes === undefined &&
    plan.contentLengthDelta === undefined && plan.corruptBytes === undefined
  ) return res;
  const bytes = new Uint8Array(await res.arrayBuffer());
  if (plan.corruptBytes !== undefined && bytes.length > 0) {
    const n = Math.min(plan.corruptBytes, bytes.length);
    for (let k = 0; k < n; k++) bytes[Math.floor(((k + 0.5) * bytes.length) / n)] ^= 0xff;
    if (
      plan.dropAfterBytes === undefined && plan.truncateToBytes === undefined &&
      plan.contentLengthDelta === undefined
    ) {
      return new Response(bytes, {
        status: res.status,
        statusText: res.statusText,
        headers: res.headers,
      });
    }
  }
  const headers = new Headers(res.headers);
  const init = { status: res.status, statusText: res.statusText, headers };
  if (plan.dropAfterBytes !== undefined) {
    headers.set("content-length", String(bytes.length));
    const part = bytes.subarray(0, Math.min(plan.dropAfterBytes, bytes.length));
    return new Response(ReadableStream.from([part]), init);
  }
  if (plan.truncateToBytes !== undefined) {
    headers.delete("content-length");
    return new Response(bytes.subarray(0, Math.min(plan.truncateToBytes, bytes.length)), init);
  }
  headers.set("content-length", String(Math.max(0, bytes.length + plan.contentLengthDelta!)));
  return new Response(ReadableStream.from([bytes]), init);
}
