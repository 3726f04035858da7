/**
 * The {@linkcode CarbonPortal} client: which portal to talk to, how to fetch,
 * and how long to wait and retry. Every network call of the library goes
 * through one client; nothing happens at import time and no environment
 * variable is read.
 *
 * @module
 */

import { type AuthProvider, authProvider } from "../auth/auth.ts";
import type { BatchItem, BatchOptions, Dobj } from "../dobj/dobj.ts";
import { batchGetColumns } from "../dobj/_batch.ts";
import { fetchDobj } from "../dobj/_fetch.ts";
import type { DobjRef, DobjRefs } from "../dobj/_refs.ts";
import { SparqlApi } from "../sparql/api.ts";
import type { MirrorOptions, MirrorResult, MirrorSelection } from "../mirror/mirror.ts";
import { StationApi } from "../discovery/station.ts";
import { CollectionApi } from "../discovery/collection.ts";
import { StiltApi } from "../stilt/api.ts";
import {
  search,
  type SearchFilters,
  type SearchOptions,
  type SearchResult,
} from "../search/search.ts";
import {
  AuthenticationError,
  CorruptDataError,
  InvalidArgumentError,
  NetworkError,
  TimeoutError,
} from "../errors.ts";
import { guardResponse } from "./_guarded_body.ts";
import { isBrokenBody, Retry } from "./_retry.ts";
import { redactUrl } from "../_util/redact.ts";
import { checkOptions } from "../_util/args.ts";
import type { PortalEndpoints } from "./endpoints.ts";
import type { CarbonPortalOptions, FetchFn, PortalRequestInit, RetryOptions } from "./_options.ts";
import { httpError, notFoundOrQuota } from "./_http_error.ts";
import { CLIENT_KEYS, clientSettings, REQUEST_KEYS } from "./_options.ts";
export type { CarbonPortalOptions, FetchFn, PortalRequestInit, RetryOptions } from "./_options.ts";
export { ICOS, ICOS_CITIES, type PortalEndpoints, type PortalName, SITES } from "./endpoints.ts";

/**
 * The portal client. Holds the endpoints, the injected `fetch`, the timeouts
 * (`timeout` for headers, `idleTimeout` for stalled bodies) and the retry
 * policy; the library's API hangs off it.
 *
 * @example Pointing the client at a portal through an injected fetch
 * ```ts
 * import { CarbonPortal } from "@icoscp/icoscp";
 * import assert from "node:assert/strict";
 *
 * const cp = new CarbonPortal({
 *   endpoints: { meta: "http://127.0.0.1:1" },
 *   fetch: () => Promise.resolve(Response.json({ hash: "abc" })),
 * });
 * assert.equal(cp.endpoints.meta, "http://127.0.0.1:1");
 * assert.equal(cp.endpoints.data, "https://data.icos-cp.eu");
 * const meta = await cp.fetchJson("http://127.0.0.1:1/objects/abc", "Fetching JSON metadata");
 * assert.deepEqual(meta, { hash: "abc" });
 * ```
 */
export class CarbonPortal {
  /** The endpoints this client talks to. */
  readonly endpoints: PortalEndpoints;
  /** Milliseconds to wait for one attempt's response headers (0: forever). */
  readonly timeout: number;
  /** Longest gap between body bytes while reading a body, in ms (0: forever). */
  readonly idleTimeout: number;
  /** The retry policy for idempotent requests. */
  readonly retry: RetryOptions;
  #fetch: FetchFn;
  #signal: AbortSignal | undefined;
  #headers: Record<string, string>;
  #auth: AuthProvider | undefined;
  #credentials: RequestCredentials | undefined;
  #sparql: SparqlApi | undefined;
  #station: StationApi | undefined;
  #collection: CollectionApi | undefined;
  #stilt: StiltApi | undefined;

  /**
   * Creates a client. Nothing is fetched until a method is called, and
   * nothing outside the client changes (no other package's prototypes).
   *
   * @param options Portal, endpoints, fetch, timeout, retry policy and signal.
   * @throws {InvalidArgumentError} When an option has the wrong type or an endpoint is not a URL.
   */
  constructor(options: CarbonPortalOptions = {}) {
    options = checkOptions("new CarbonPortal", options, CLIENT_KEYS);
    const { endpoints, timeout, idleTimeout, retry } = clientSettings(options);
    this.endpoints = endpoints;
    this.timeout = timeout;
    this.idleTimeout = idleTimeout;
    this.retry = retry;
    const f = options.fetch ?? globalThis.fetch;
    if (typeof f !== "function") {
      throw new InvalidArgumentError("No fetch available: pass options.fetch");
    }
    this.#fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.#signal = options.signal;
    this.#headers = { ...options.headers };
    this.#auth = options.auth ? authProvider(options.auth) : undefined;
    this.#credentials = options.credentials;
  }

  /** SPARQL queries against the portal's metadata store. */
  get sparql(): SparqlApi {
    return (this.#sparql ??= new SparqlApi(this));
  }

  /** Stations: lists, details, data, maps. */
  get station(): StationApi {
    return (this.#station ??= new StationApi(this));
  }

  /** Collections of data objects. */
  get collection(): CollectionApi {
    return (this.#collection ??= new CollectionApi(this));
  }

  /** STILT stations, time series and footprints. */
  get stilt(): StiltApi {
    return (this.#stilt ??= new StiltApi(this));
  }

  /**
   * Searches every data object: typed filters (station, spec, variable,
   * level, project, theme, country, class, sampling height, period,
   * submission, keyword, area, collection, file name, PIDs, latest only,
   * NRT), a page of objects as an arquero table, the total and facet counts
   * computed by the portal, and `pages()` over every match; within the
   * portal's SPARQL quotas, with a local cache. See {@linkcode search}.
   *
   * @param filters What to find.
   * @param options Paging, order, facets, cache.
   * @returns The first page with the total and the facets.
   *
   * @example
   * ```ts
   * import { CarbonPortal, UnknownValueError } from "@icoscp/icoscp";
   * import { startEmulator } from "@icoscp/emulator";
   * import assert from "node:assert/strict";
   *
   * await using emu = await startEmulator();
   * const cp = new CarbonPortal({ portal: emu.endpoints });
   * const r = await cp.search({ theme: "AS", level: 2 }, { limit: 5 });
   * assert.ok(r.total! >= r.objects.numRows());
   * await assert.rejects(cp.search({ station: "XYZ" }), UnknownValueError);
   * ```
   */
  search(filters?: SearchFilters, options?: SearchOptions): Promise<SearchResult> {
    return search(this, filters, options);
  }

  /** Whether the client has an `auth` provider. */
  get hasAuth(): boolean {
    return this.#auth !== undefined;
  }

  /**
   * Fetches a data object's metadata.
   *
   * @param ref A bare id, a PID (`11676/<id>`), a landing-page URI, a handle URL, or its DOI
   *   (`10.…/…`, `doi:10.…`, `https://doi.org/10.…`; resolved by SPARQL); or what another
   *   call returned: a `Dobj`, a row of a table (a station's `data()`, a search's `objects`),
   *   a SPARQL row, `d.next`, a table or search result of one object.
   * @returns The data object.
   * @throws {InvalidArgumentError} When `ref` names no object id.
   * @throws {NotFoundError} When the portal has no such object.
   *
   * @example
   * ```ts
   * import { CarbonPortal, NotFoundError } from "@icoscp/icoscp";
   * import assert from "node:assert/strict";
   *
   * const cp = new CarbonPortal({ fetch: () => Promise.resolve(new Response("", { status: 404 })) });
   * await assert.rejects(cp.dobj("IM7PJYcuhiBpHtvEVuLhVk2M"), NotFoundError);
   * ```
   */
  dobj(ref: DobjRef): Promise<Dobj> {
    return fetchDobj(this, ref);
  }

  /**
   * Fetches columns of many data objects of one dataset specification, with
   * at most `concurrency` requests in flight, in input order.
   *
   * @param refs Objects, or their ids, PIDs or URIs: a list, a table (a station's `data()`,
   *   a search's `objects`), its rows, or a search result.
   * @param options Columns, bad-data handling, concurrency, progress callback, signal.
   * @returns Each object with its columns.
   * @throws {InvalidArgumentError} When the objects do not share a dataset specification (the message lists them).
   */
  batchGetColumns(
    refs: DobjRefs,
    options: BatchOptions = {},
  ): Promise<BatchItem[]> {
    return batchGetColumns(this, refs, options);
  }

  /**
   * Mirrors a selection of data objects into a Parquet dataset that DuckDB,
   * Spark, Polars and pandas read directly (Hive-partitioned by spec and
   * year, a GeoParquet index, an atomic manifest). Reruns fetch only what is
   * new; a killed run leaves a consistent folder. Loads the Parquet writer
   * on first use. See `@icoscp/icoscp/mirror` for the layout.
   *
   * @param selection The filters of {@linkcode CarbonPortal.search}, or objects (pids, URIs, ids).
   * @param options The folder (`out`), `concurrency`, `shard`, `compression`, `originals`, progress, signal.
   * @returns What the run did: objects fetched and skipped, the parts, rows and bytes.
   * @throws {InvalidArgumentError} For a misspelt option (an `UnknownOptionError`) or a bad value.
   * @throws {MirrorError} For a full disk or an unreadable manifest.
   *
   * @example
   * ```ts
   * import { CarbonPortal } from "@icoscp/icoscp";
   * import { startEmulator } from "@icoscp/emulator";
   * import assert from "node:assert/strict";
   *
   * await using emu = await startEmulator();
   * const cp = new CarbonPortal({ portal: emu.endpoints, auth: { user: emu.user, password: emu.password } });
   * const gat = emu.dataset.objects.find((o) => o.fileName.includes("2024.1_GAT_341.0_CTS_CO2"))!;
   * const out = await Deno.makeTempDir();
   * const r = await cp.mirror([`11676/${gat.id}`], { out });
   * assert.deepEqual(r.parts.map((p) => p.split("/").slice(0, 2).join("/")), ["spec=atcCo2L2DataObject/year=2022"]);
   * await Deno.remove(out, { recursive: true });
   * ```
   */
  async mirror(selection: MirrorSelection, options: MirrorOptions): Promise<MirrorResult> {
    const { mirror } = await import("../mirror/mirror.ts");
    return await mirror(this, selection, options);
  }

  /**
   * Sends one request with the client's timeout, retries and error mapping.
   * Idempotent requests are retried on network errors, timeouts, 408, 429
   * and 5xx, with exponential backoff (full jitter, `Retry-After` honoured).
   * Redirects are not followed: the portal answers a missing licence with
   * one, which becomes a {@linkcode LicenceError}.
   *
   * @param url The URL.
   * @param init Standard fetch options plus `hint` and `idempotent`.
   * @returns The response, with a 2xx status and an unread body. Reading
   *   the body fails with a {@linkcode NetworkError} when the connection
   *   drops and a {@linkcode TimeoutError} when no byte arrives for
   *   `idleTimeout` ms; a body that keeps arriving is never cut. To retry
   *   such failures, use {@linkcode CarbonPortal.fetchBody}.
   * @throws {HttpError} A subclass per status (401, 403/licence, 404, 5xx).
   * @throws {NetworkError} When no response arrived.
   * @throws {TimeoutError} When the response headers took longer than `timeout`.
   *
   * @example Retrying a flaky endpoint
   * ```ts
   * import { CarbonPortal } from "@icoscp/icoscp";
   * import assert from "node:assert/strict";
   *
   * let calls = 0;
   * const cp = new CarbonPortal({
   *   retry: { minDelay: 1 },
   *   fetch: () => Promise.resolve(++calls < 3 ? new Response("busy", { status: 503 }) : new Response("ok")),
   * });
   * const res = await cp.request("https://meta.icos-cp.eu/sparql", { hint: "SPARQL SELECT" });
   * assert.equal(await res.text(), "ok");
   * assert.equal(calls, 3);
   * ```
   */
  async request(url: string | URL, init: PortalRequestInit = {}): Promise<Response> {
    if (typeof url !== "string" && !(url instanceof URL)) {
      throw new InvalidArgumentError("request", "url", url, "a URL");
    }
    init = checkOptions("request", init, REQUEST_KEYS);
    const { hint = "Request", idempotent, auth, notFound, acceptRedirect, ...rest } = init;
    const method = (rest.method ?? "GET").toUpperCase();
    const retryable = idempotent ?? (method === "GET" || method === "HEAD");
    const href = String(url);
    const headers = new Headers(this.#headers);
    new Headers(rest.headers).forEach((v, k) => headers.set(k, v));
    const userSignals = [this.#signal, rest.signal].filter((s): s is AbortSignal => !!s);
    const retry = new Retry(this.retry, userSignals);
    let reauthenticated = false;
    while (true) {
      userSignals.forEach((s) => s.throwIfAborted());
      if (auth && this.#auth) {
        const token = await this.#auth.getToken(this, rest.signal ?? this.#signal);
        headers.set("cookie", token.cookie);
      }
      // the header timeout and the body guard abort the fetch through `own`;
      // AbortSignal.timeout would also cut a body that is still arriving
      const own = new AbortController();
      let timedOut = false;
      const timer = this.timeout > 0
        ? setTimeout(() => {
          timedOut = true;
          own.abort();
        }, this.timeout)
        : undefined;
      const signal = AbortSignal.any([...userSignals, own.signal]);
      let response: Response;
      try {
        response = await this.#fetch(href, {
          ...rest,
          method,
          headers,
          signal,
          redirect: "manual",
          ...(this.#credentials ? { credentials: this.#credentials } : {}),
        });
      } catch (cause) {
        const aborted = userSignals.find((s) => s.aborted);
        if (aborted) throw aborted.reason;
        const failure = timedOut
          ? new TimeoutError(`${hint} timed out after ${this.timeout} ms at ${redactUrl(href)}`, {
            cause,
          })
          : new NetworkError(`${hint} failed: no response from ${redactUrl(href)}`, { cause });
        if (retryable && retry.another()) {
          await retry.wait();
          continue;
        }
        throw failure;
      } finally {
        clearTimeout(timer);
      }
      // every body, error pages too, is read under the idle timeout
      response = guardResponse(response, {
        hint,
        url: href,
        idle: this.idleTimeout,
        abort: (reason) => own.abort(reason),
        userSignals,
      });
      if (response.status >= 200 && response.status < 300) return response;
      if (acceptRedirect && response.status >= 300 && response.status < 400) return response;
      if (
        response.status === 401 && auth && this.#auth?.invalidate && !reauthenticated
      ) {
        // the token was rejected (expired, revoked): get a fresh one once
        await response.body?.cancel().catch(() => {});
        this.#auth.invalidate();
        reauthenticated = true;
        continue;
      }
      response = await notFoundOrQuota(hint, href, response, notFound);
      const transient = response.status >= 500 || response.status === 408 ||
        response.status === 429;
      if (transient && retryable && retry.another()) {
        await response.body?.cancel().catch(() => {});
        await retry.wait(response.headers.get("retry-after"));
        continue;
      }
      const error = await httpError(hint, href, response, this.endpoints.auth);
      if (error instanceof AuthenticationError && auth && !this.#auth) {
        throw new AuthenticationError(hint, {
          status: error.status,
          url: error.url,
          body:
            `${error.body} (log in: new CarbonPortal({ auth: { user, password } }) or { token })`,
        });
      }
      throw error;
    }
  }

  /**
   * GETs a URL with `Accept: application/json` and parses the body.
   *
   * @param url The URL.
   * @param hint What the request is for, used in error messages.
   * @param init Further request options.
   * @returns The parsed JSON.
   * @throws {HttpError} As {@linkcode CarbonPortal.request}.
   * @throws {CorruptDataError} When a successful answer's body is not JSON.
   *
   * @example
   * ```ts
   * import { CarbonPortal, NotFoundError } from "@icoscp/icoscp";
   * import assert from "node:assert/strict";
   *
   * const cp = new CarbonPortal({ fetch: () => Promise.resolve(new Response("Not found", { status: 404 })) });
   * await assert.rejects(cp.fetchJson("https://meta.icos-cp.eu/objects/x", "Fetching JSON metadata"), NotFoundError);
   * ```
   */
  async fetchJson(
    url: string | URL,
    hint: string,
    init: PortalRequestInit = {},
  ): Promise<unknown> {
    return await this.fetchBody(url, {
      ...init,
      hint,
      headers: { accept: "application/json", ...init.headers as Record<string, string> },
    }, async (response) => {
      const text = await response.text();
      try {
        return JSON.parse(text);
      } catch (cause) {
        // a 2xx answer is no HTTP failure: its bytes are not what was asked for
        throw new CorruptDataError(`${hint} (not JSON) at ${redactUrl(String(url))}`, { cause });
      }
    });
  }

  /**
   * Sends a request as {@linkcode CarbonPortal.request} does and reads its
   * body with `read`. When the body fails mid-way (connection dropped:
   * {@linkcode NetworkError}; stalled longer than `idleTimeout`:
   * {@linkcode TimeoutError}; cut short: {@linkcode TruncatedDataError}) an
   * idempotent request is sent again, up to `retry.retries` times, and the
   * last failure is thrown.
   *
   * @param url The URL.
   * @param init Request options as for {@linkcode CarbonPortal.request}.
   * @param read Reads the response; it should throw one of the errors above for a broken body.
   * @returns What `read` returns.
   *
   * @example A body dropped once is fetched again
   * ```ts
   * import { CarbonPortal } from "@icoscp/icoscp";
   * import assert from "node:assert/strict";
   *
   * let calls = 0;
   * const cp = new CarbonPortal({
   *   retry: { minDelay: 1 },
   *   fetch: () =>
   *     Promise.resolve(
   *       new Response(
   *         new ReadableStream({
   *           start(c) {
   *             c.enqueue(new TextEncoder().encode("a,b"));
   *             if (++calls === 1) c.error(new TypeError("connection reset"));
   *             else c.close();
   *           },
   *         }),
   *       ),
   *     ),
   * });
   * const text = await cp.fetchBody("https://data.icos-cp.eu/csv/x", {}, (r) => r.text());
   * assert.equal(text, "a,b");
   * assert.equal(calls, 2);
   * ```
   */
  async fetchBody<T>(
    url: string | URL,
    init: PortalRequestInit,
    read: (response: Response) => Promise<T>,
  ): Promise<T> {
    init = checkOptions("fetchBody", init, REQUEST_KEYS);
    if (typeof read !== "function") {
      throw new InvalidArgumentError("fetchBody", "read", read, "a function reading the response");
    }
    const method = (init.method ?? "GET").toUpperCase();
    const retryable = init.idempotent ?? (method === "GET" || method === "HEAD");
    const userSignals = [this.#signal, init.signal].filter((s): s is AbortSignal => !!s);
    const retry = new Retry(this.retry, userSignals);
    while (true) {
      const response = await this.request(url, init);
      try {
        return await read(response);
      } catch (e) {
        await response.body?.cancel(e).catch(() => {});
        userSignals.forEach((s) => s.throwIfAborted());
        if (!isBrokenBody(e) || !retryable || !retry.another()) throw e;
        await retry.wait();
      }
    }
  }
}
