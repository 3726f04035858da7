/**
 * Running SPARQL SELECT queries against the portal's metadata store:
 * {@linkcode SparqlApi} (as `cp.sparql`) and the icoscp-compatible
 * {@linkcode RunSparql}.
 *
 * @module
 */

import type { ColumnTable } from "../_util/arquero.ts";
import type { CarbonPortal } from "../client/client.ts";
import { HttpError, InvalidArgumentError, SparqlError, UnknownValueError } from "../errors.ts";
import { forPortal } from "./queries.ts";
import { type RawResults, SparqlResult } from "./result.ts";
import { boolean, checkOptions, client, noExtraArguments, type OptionKeys } from "../_util/args.ts";

const SELECT_KEYS: OptionKeys<SelectOptions> = { disableCache: true, signal: true };
const RUN_KEYS: OptionKeys<RunSparqlOptions> = { format: true, disableCache: true };

/** Options of {@linkcode SparqlApi.select}. */
export interface SelectOptions {
  /** Ask the portal to bypass its query cache. Default false. */
  disableCache?: boolean;
  /** Aborts the query. */
  signal?: AbortSignal;
}

/**
 * SPARQL access of a client (`cp.sparql`).
 *
 * @example
 * ```ts
 * import { CarbonPortal } from "@icoscp/icoscp";
 * import assert from "node:assert/strict";
 *
 * const answer = { head: { vars: ["n"] }, results: { bindings: [{ n: { type: "literal", value: "141", datatype: "http://www.w3.org/2001/XMLSchema#integer" } }] } };
 * const cp = new CarbonPortal({ fetch: () => Promise.resolve(Response.json(answer)) });
 * const r = await cp.sparql.select("select (count(*) as ?n) where { ?s a ?t }");
 * assert.equal(r.rows[0].int("n"), 141);
 * ```
 */
export class SparqlApi {
  #cp: CarbonPortal;

  /**
   * Creates the API for a client; use `cp.sparql`.
   *
   * @param cp The client.
   */
  constructor(cp: CarbonPortal) {
    this.#cp = cp;
  }

  /**
   * Runs a SELECT query (POSTed as the raw body, as the portal's own clients do).
   * A built-in query (from `@icoscp/icoscp/sparql`, built without an explicit
   * `prefix`) is first retargeted to this client's portal ({@linkcode forPortal}).
   *
   * @param query The query text (build it with {@linkcode sparql} when it holds user input).
   * @param options Cache bypass and abort signal.
   * @returns The solutions.
   * @throws {SparqlError} When the portal rejects the query (syntax, timeout) or the answer is not a SELECT result.
   * @throws {HttpError} For other HTTP failures (quota exceeded is a 503 {@linkcode ServerError}).
   */
  async select(query: string, options: SelectOptions = {}): Promise<SparqlResult> {
    if (typeof query !== "string" || !query.trim()) {
      throw new InvalidArgumentError("sparql.select", "query", query, "a non-empty query");
    }
    noExtraArguments("sparql.select", arguments, 2);
    options = checkOptions("sparql.select", options, SELECT_KEYS, {
      disable_cache: "disableCache",
    });
    if (options.signal !== undefined && !(options.signal instanceof AbortSignal)) {
      throw new InvalidArgumentError("sparql.select", "signal", options.signal, "an AbortSignal");
    }
    boolean("sparql.select", "disableCache", options.disableCache, false);
    const ep = this.#cp.endpoints;
    query = forPortal(query, ep.metaInstancePrefix, {
      defaultStationClass: ep.defaultStationClass,
    });
    const headers: Record<string, string> = {
      accept: "application/sparql-results+json, application/json",
      "content-type": "text/plain",
    };
    if (options.disableCache) {
      headers["cache-control"] = "no-cache";
      headers.pragma = "no-cache";
    }
    let text: string;
    try {
      // read-only: a body dropped mid-way is fetched again, as GETs are
      text = await this.#cp.fetchBody(this.#cp.endpoints.sparql, {
        method: "POST",
        hint: "SPARQL SELECT",
        idempotent: true,
        headers,
        body: query,
        signal: options.signal,
      }, (res) => res.text());
    } catch (e) {
      if (e instanceof HttpError && e.status === 400) {
        throw new SparqlError(`SPARQL SELECT failed: ${e.body || "HTTP 400"}`, { query, cause: e });
      }
      throw e;
    }
    try {
      return new SparqlResult(JSON.parse(text) as RawResults);
    } catch (cause) {
      throw new SparqlError(`SPARQL SELECT answer is not SPARQL JSON: ${text.slice(0, 200)}`, {
        query,
        cause,
      });
    }
  }

  /**
   * The icoscp-compatible form: `cp.sparql.runSparql(query, "csv").run()`.
   *
   * @param query The query.
   * @param format One of `json` (alias `txt`), `csv`, `dict`, `pandas` (alias `table`), `array`, `html`, any case.
   * @returns A runner.
   */
  runSparql<F extends SparqlFormat = "json">(query: string, format?: F): RunSparql<F> {
    noExtraArguments("sparql.runSparql", arguments, 2);
    return new RunSparql(this.#cp, query, format === undefined ? {} : { format });
  }
}

/** Output formats of {@linkcode RunSparql}: icoscp's six plus `txt` (its documented default, = `json`) and `table` (= `pandas`). */
export type SparqlFormat = "json" | "txt" | "csv" | "dict" | "table" | "pandas" | "array" | "html";

/** What {@linkcode RunSparql.run} returns for each format. */
export interface SparqlOutputs {
  /** The JSON results as text. */
  json: string;
  /** The JSON results as text (icoscp's default format name). */
  txt: string;
  /** SPARQL CSV text. */
  csv: string;
  /** The parsed JSON results. */
  dict: RawResults;
  /** An arquero table. */
  table: ColumnTable;
  /** An arquero table (icoscp's name for its DataFrame output). */
  pandas: ColumnTable;
  /** Headers and rows of values. */
  array: [string[], (string | undefined)[][]];
  /** An HTML table. */
  html: string;
}

/** Options of {@linkcode RunSparql}. */
export interface RunSparqlOptions<F extends SparqlFormat = "json"> {
  /** The output format, any case. Default `json`. */
  format?: F;
  /** Bypass the portal's cache. Default false. */
  disableCache?: boolean;
}

const FORMATS: readonly SparqlFormat[] = [
  "json",
  "txt",
  "csv",
  "dict",
  "table",
  "pandas",
  "array",
  "html",
];

/**
 * icoscp's `RunSparql`: a query plus an output format, run with `run()`.
 * Every format of the Python class is accepted in any case (`json`, `csv`,
 * `dict`, `pandas`, `array`, `html`, and its default `txt`, which is
 * `json`). Unlike the Python class it throws on failure instead of printing
 * and returning a tuple `(false, reason)`, and an unknown format is an
 * {@linkcode UnknownValueError}, not a silent `json`. A built-in query is
 * run against the client's portal.
 *
 * @example
 * ```ts
 * import { CarbonPortal } from "@icoscp/icoscp";
 * import { RunSparql } from "@icoscp/icoscp/sparql";
 * import assert from "node:assert/strict";
 *
 * const answer = { head: { vars: ["id"] }, results: { bindings: [{ id: { type: "literal", value: "GAT" } }] } };
 * const cp = new CarbonPortal({ fetch: () => Promise.resolve(Response.json(answer)) });
 * const [vars, rows] = await new RunSparql(cp, "select ?id where {}", { format: "array" }).run();
 * assert.deepEqual(vars, ["id"]);
 * assert.deepEqual(rows, [["GAT"]]);
 * ```
 */
export class RunSparql<F extends SparqlFormat = "json"> {
  /** The query. */
  query: string;
  /** Bypass the portal's cache. */
  disableCache: boolean;
  #format: F;
  #result: SparqlOutputs[F] | undefined;
  #cp: CarbonPortal;

  /**
   * Creates a runner.
   *
   * @param cp The client.
   * @param query The query.
   * @param options The output format (any case, default `json`) and whether to bypass the
   *   portal's cache; or the format alone, as Python's `RunSparql(query, "csv")`.
   * @throws {UnknownValueError} For an unknown format.
   */
  constructor(cp: CarbonPortal, query: string, options: RunSparqlOptions<F> | F = {}) {
    const where = "RunSparql";
    client(where, cp);
    noExtraArguments(where, arguments, 3);
    // Python: RunSparql(sparql_query, output_format) takes the format second
    const o = checkOptions(
      where,
      typeof options === "string" ? { format: options } : options,
      RUN_KEYS,
      { output_format: "format", outputformat: "format", sparql_query: "query" },
    );
    if (typeof query !== "string" || !query.trim()) {
      throw new InvalidArgumentError(where, "query", query, "a non-empty query");
    }
    this.#cp = cp;
    this.query = query;
    this.#format = checkFormat(o.format ?? "json") as F;
    this.disableCache = boolean(where, "disableCache", o.disableCache, false);
  }

  /** The output format (lower case); settable as in Python, validated. */
  get format(): F {
    return this.#format;
  }
  set format(f: F) {
    this.#format = checkFormat(f) as F;
  }

  /**
   * The result of the last {@linkcode RunSparql.run} (icoscp's `data()`).
   *
   * @returns The result, or `undefined` before the first run.
   */
  data(): SparqlOutputs[F] | undefined {
    return this.#result;
  }

  /**
   * Runs the query.
   *
   * @returns The result in the runner's format.
   * @throws {SparqlError} When the portal rejects the query.
   */
  async run(): Promise<SparqlOutputs[F]> {
    const r = await this.#cp.sparql.select(this.query, { disableCache: this.disableCache });
    const out: { [K in SparqlFormat]: () => SparqlOutputs[K] } = {
      json: () => r.toJson(),
      txt: () => r.toJson(),
      csv: () => r.toCsv(),
      dict: () => r.raw,
      table: () => r.toTable(),
      pandas: () => r.toTable(),
      array: () => r.toArray(),
      html: () => r.toHtml(),
    };
    this.#result = out[this.#format]() as SparqlOutputs[F];
    return this.#result;
  }
}

function checkFormat(format: unknown): SparqlFormat {
  const f = String(format).toLowerCase() as SparqlFormat;
  if (!FORMATS.includes(f)) throw new UnknownValueError("format", format, { valid: FORMATS });
  return f;
}
