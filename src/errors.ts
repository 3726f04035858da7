/**
 * The error hierarchy of the library. Every failure throws one of these,
 * bad arguments too (never a raw `TypeError` / `RangeError`); nothing returns
 * `null` or `false` to mean failure.
 *
 * ```
 * CarbonPortalError
 * ├─ HttpError                 status, url, body excerpt
 * │  ├─ AuthenticationError    401: login required or token rejected
 * │  ├─ LicenceError           403 or licence redirect: data licence not accepted
 * │  ├─ NotFoundError          404
 * │  ├─ ServerError            5xx
 * │  │  └─ QuotaExceededError  503 from the SPARQL quota manager (or held back): limit, waitMs
 * │  └─ RangeNotSupportedError a range request answered with the whole file
 * ├─ NetworkError              no answer, or the connection dropped mid-body
 * ├─ TimeoutError              no headers within `timeout`, or a body stalled past `idleTimeout`
 * ├─ SparqlError               the SPARQL endpoint rejected a query
 * ├─ IntegrityError            downloaded bytes do not match the object's hash
 * ├─ SourceChangedError        a remote file changed while it was being read
 * ├─ InvalidArgumentError      an argument of the wrong type, shape or range
 * │  └─ UnknownOptionError     an options key that is no option (names the nearest one)
 * ├─ UnknownValueError         an argument names nothing known (lists the valid values)
 * ├─ UnknownColumnError        a column name the table does not have (lists its columns)
 * ├─ WasmUnavailableError      this runtime cannot load the wasm decoder (says what to do)
 * ├─ NoParserError             no parser for an original file's format (says what to use instead)
 * └─ DecodeError               byteOffset, kind (also a 2xx answer that is not the format asked for)
 *    ├─ TruncatedDataError     fewer bytes than the layout needs
 *    ├─ CorruptDataError       bytes contradict their own structure
 *    ├─ UnsupportedFormatError valid but not supported
 *    └─ LimitExceededError     a declared size exceeds a safety limit
 * ```
 *
 * @module
 */

import { redactUrl } from "./_util/redact.ts";

/**
 * Base class of every error the library throws on purpose.
 *
 * @example Catching any library error
 * ```ts
 * import { CarbonPortalError, NotFoundError } from "@icoscp/icoscp";
 * import assert from "node:assert/strict";
 *
 * const err = new NotFoundError("Fetching JSON metadata", { status: 404, url: "https://meta.icos-cp.eu/objects/x" });
 * assert.ok(err instanceof CarbonPortalError);
 * ```
 */
export class CarbonPortalError extends Error {
  /**
   * Creates the error.
   *
   * @param message What went wrong, capitalised, without a trailing period.
   * @param options Standard error options (`cause`).
   */
  constructor(message: string, options?: ErrorOptions) {
    // a URL's `user:password@` never reaches a message, here or in the cause
    super(redactUrl(message), redactCause(options));
    this.name = new.target.name;
  }
}

function redactCause(options: ErrorOptions | undefined): ErrorOptions | undefined {
  const cause = options?.cause;
  if (!(cause instanceof Error) || cause instanceof CarbonPortalError) return options;
  const message = redactUrl(cause.message);
  if (message === cause.message) return options;
  const clean = new Error(message);
  clean.name = cause.name;
  return { ...options, cause: clean };
}

/** What an {@linkcode HttpError} records about the failed exchange. */
export interface HttpErrorDetails {
  /** HTTP status code. */
  status: number;
  /** The URL requested (no credentials are ever part of it). */
  url: string;
  /** The start of the response body, at most 500 characters. */
  body?: string;
  /** The underlying error, if any. */
  cause?: unknown;
}

/**
 * A response with a status that is not a success.
 *
 * @example Reading the status of a failed request
 * ```ts
 * import { HttpError } from "@icoscp/icoscp";
 * import assert from "node:assert/strict";
 *
 * const err = new HttpError("Fetching binary", { status: 400, url: "https://data.icos-cp.eu/cpb", body: "Expected a proper binary table request" });
 * assert.equal(err.status, 400);
 * assert.match(err.message, /^Fetching binary failed: HTTP 400/);
 * ```
 */
export class HttpError extends CarbonPortalError {
  /** HTTP status code. */
  readonly status: number;
  /** The URL requested. */
  readonly url: string;
  /** The start of the response body (at most 500 characters). */
  readonly body: string;

  /**
   * Creates the error.
   *
   * @param hint What the request was for, e.g. `"Fetching binary"`.
   * @param details Status, URL, body excerpt and cause.
   */
  constructor(hint: string, details: HttpErrorDetails) {
    const body = (details.body ?? "").slice(0, 500);
    super(
      `${hint} failed: HTTP ${details.status} at ${redactUrl(details.url)}${
        body ? `: ${body}` : ""
      }`,
      { cause: details.cause },
    );
    this.status = details.status;
    this.url = redactUrl(details.url);
    this.body = redactUrl(body);
  }
}

/**
 * HTTP 401: the request needs a login, or the token was rejected or expired;
 * also a 403 that is not about the licence (a wrong password at login).
 *
 * @example
 * ```ts
 * import { AuthenticationError, HttpError } from "@icoscp/icoscp";
 * import assert from "node:assert/strict";
 *
 * const err = new AuthenticationError("Fetching binary", { status: 401, url: "https://data.icos-cp.eu/cpb" });
 * assert.ok(err instanceof HttpError);
 * ```
 */
export class AuthenticationError extends HttpError {}

/**
 * HTTP 403 (or the portal's licence redirect): the user has not accepted the
 * data licence in their portal profile.
 *
 * @example
 * ```ts
 * import { LicenceError } from "@icoscp/icoscp";
 * import assert from "node:assert/strict";
 *
 * const err = new LicenceError("Fetching data object", { status: 302, url: "https://data.icos-cp.eu/objects/x" });
 * assert.equal(err.status, 302);
 * ```
 */
export class LicenceError extends HttpError {}

/**
 * HTTP 404: no such object, collection, station or file.
 *
 * @example
 * ```ts
 * import { NotFoundError } from "@icoscp/icoscp";
 * import assert from "node:assert/strict";
 *
 * assert.equal(new NotFoundError("Fetching JSON metadata", { status: 404, url: "u" }).status, 404);
 * ```
 */
export class NotFoundError extends HttpError {}

/**
 * HTTP 5xx: the portal failed. Idempotent requests are retried before this
 * is thrown.
 *
 * @example
 * ```ts
 * import { ServerError } from "@icoscp/icoscp";
 * import assert from "node:assert/strict";
 *
 * assert.equal(new ServerError("SPARQL SELECT", { status: 503, url: "u" }).status, 503);
 * ```
 */
export class ServerError extends HttpError {}

/**
 * The request got no response at all (connection refused or dropped, DNS
 * failure). The original error is the `cause`.
 *
 * @example
 * ```ts
 * import { NetworkError } from "@icoscp/icoscp";
 * import assert from "node:assert/strict";
 *
 * const err = new NetworkError("SPARQL SELECT failed: connection refused at https://meta.icos-cp.eu/sparql", { cause: new TypeError("refused") });
 * assert.ok(err.cause instanceof TypeError);
 * ```
 */
export class NetworkError extends CarbonPortalError {}

/**
 * No response headers arrived within the client's `timeout`, or a body being
 * read stalled (no byte) for longer than its `idleTimeout`.
 *
 * @example
 * ```ts
 * import { TimeoutError } from "@icoscp/icoscp";
 * import assert from "node:assert/strict";
 *
 * assert.equal(new TimeoutError("Fetching binary timed out after 10 ms").name, "TimeoutError");
 * ```
 */
export class TimeoutError extends CarbonPortalError {}

/**
 * The SPARQL endpoint rejected a query (syntax error, timeout on the server).
 *
 * @example
 * ```ts
 * import { SparqlError } from "@icoscp/icoscp";
 * import assert from "node:assert/strict";
 *
 * const err = new SparqlError("SPARQL SELECT failed: Malformed query", { query: "select ?x where {" });
 * assert.equal(err.query, "select ?x where {");
 * ```
 */
export class SparqlError extends CarbonPortalError {
  /** The query that failed. */
  readonly query: string;

  /**
   * Creates the error.
   *
   * @param message What went wrong.
   * @param options The query and the cause.
   */
  constructor(message: string, options: { query: string; cause?: unknown }) {
    super(message, { cause: options.cause });
    this.query = options.query;
  }
}

/**
 * Downloaded bytes do not match the SHA-256 hash that the object's persistent
 * identifier names.
 *
 * @example
 * ```ts
 * import { IntegrityError } from "@icoscp/icoscp";
 * import assert from "node:assert/strict";
 *
 * const err = new IntegrityError("Download of x does not match its hash", { expected: "abc", actual: "def" });
 * assert.equal(err.expected, "abc");
 * ```
 */
export class IntegrityError extends CarbonPortalError {
  /** The hash the identifier promises. */
  readonly expected: string;
  /** The hash of the bytes received. */
  readonly actual: string;

  /**
   * Creates the error.
   *
   * @param message What was checked.
   * @param hashes The expected and the actual hash.
   */
  constructor(message: string, hashes: { expected: string; actual: string }) {
    super(message);
    this.expected = hashes.expected;
    this.actual = hashes.actual;
  }
}

/**
 * An argument has the wrong type, shape or range: a string where a list of
 * strings or an options object belongs, a fractional or negative count, an
 * end before its start. `argument` names it; the message says what was
 * expected and what was given.
 *
 * @example
 * ```ts
 * import { CarbonPortalError, InvalidArgumentError } from "@icoscp/icoscp";
 * import assert from "node:assert/strict";
 *
 * const err = new InvalidArgumentError("getColumns", "length", 2.5, "an integer >= 0");
 * assert.ok(err instanceof CarbonPortalError);
 * assert.equal(err.message, "getColumns: length must be an integer >= 0, not 2.5");
 * ```
 */
export class InvalidArgumentError extends CarbonPortalError {
  /** The call that was given the argument (`getColumns`, `station.getList` …). */
  readonly where: string;
  /** Which argument or option. */
  readonly argument: string;
  /** The value given. */
  readonly value: unknown;

  /**
   * Creates the error.
   *
   * @param where The call, e.g. `"getColumns"`.
   * @param argument Which argument or option.
   * @param value The value given.
   * @param expected What would have been accepted, e.g. `"an integer >= 0"`.
   * @param options The standard error options (`cause`).
   */
  constructor(
    where: string,
    argument: string,
    value: unknown,
    expected: string,
    options?: ErrorOptions,
  );
  /**
   * Creates the error from a whole message (`where` and `argument` stay empty).
   *
   * @param message What is wrong with the argument.
   * @param options The standard error options (`cause`).
   */
  constructor(message: string, options?: ErrorOptions);
  constructor(
    where: string,
    argumentOrOptions?: string | ErrorOptions,
    value?: unknown,
    expected?: string,
    options?: ErrorOptions,
  ) {
    if (typeof argumentOrOptions !== "string") {
      super(where, argumentOrOptions);
      this.where = "";
      this.argument = "";
      return;
    }
    super(`${where}: ${argumentOrOptions} must be ${expected}, not ${showValue(value)}`, options);
    this.where = where;
    this.argument = argumentOrOptions;
    this.value = value;
  }
}

/**
 * An options object has a key that is no option of the call, such as a
 * Python spelling (`keep_bad_data`) or a misspelling. The message and
 * {@linkcode UnknownOptionError.suggestion} name the nearest valid option;
 * {@linkcode UnknownOptionError.valid} lists them all. Nothing is ignored
 * silently.
 *
 * @example
 * ```ts
 * import { InvalidArgumentError, UnknownOptionError } from "@icoscp/icoscp";
 * import assert from "node:assert/strict";
 *
 * const err = new UnknownOptionError("getColumns", "keep_bad_data", {
 *   valid: ["keepBadData", "offset", "length"],
 *   suggestion: "keepBadData",
 * });
 * assert.ok(err instanceof InvalidArgumentError);
 * assert.equal(
 *   err.message,
 *   "getColumns: unknown option keep_bad_data (did you mean keepBadData? options: keepBadData, offset, length)",
 * );
 * ```
 */
export class UnknownOptionError extends InvalidArgumentError {
  /** The nearest valid option, when one is near. */
  readonly suggestion: string | undefined;
  /** The options the call accepts. */
  readonly valid: readonly string[];

  /**
   * Creates the error.
   *
   * @param where The call, e.g. `"getColumns"`.
   * @param option The key given.
   * @param options `valid`: the call's options; `suggestion`: the nearest of them.
   */
  constructor(
    where: string,
    option: string,
    options: { valid: readonly string[]; suggestion?: string } & ErrorOptions,
  ) {
    const { valid, suggestion, ...errorOptions } = options;
    super(where, "option", option, "", errorOptions);
    this.message = `${where}: unknown option ${option} (${
      suggestion ? `did you mean ${suggestion}? ` : ""
    }options: ${valid.join(", ")})`;
    this.suggestion = suggestion;
    this.valid = valid;
  }
}

/** A short, safe rendering of a value for a message. */
function showValue(value: unknown): string {
  if (typeof value === "string") {
    return JSON.stringify(value.length > 80 ? value.slice(0, 80) + "…" : value);
  }
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") {
    return String(value);
  }
  if (value === undefined || value === null) return String(value);
  if (value instanceof Date) {
    return `Date ${isNaN(value.getTime()) ? "Invalid" : value.toISOString()}`;
  }
  if (Array.isArray(value)) {
    try {
      const s = JSON.stringify(value);
      return `array ${s.length > 80 ? s.slice(0, 80) + "…" : s}`;
    } catch {
      return `array of ${value.length}`;
    }
  }
  if (typeof value === "function") return "a function";
  const name = (value as object).constructor?.name;
  return name && name !== "Object" ? `a ${name}` : "an object";
}

/**
 * An argument names something that does not exist (a theme, project, format,
 * citation style …); the message and {@linkcode UnknownValueError.valid}
 * list what would have been accepted. Values that differ from a valid one
 * only in case are accepted, never reported with this error.
 *
 * @example
 * ```ts
 * import { CarbonPortalError, UnknownValueError } from "@icoscp/icoscp";
 * import assert from "node:assert/strict";
 *
 * const err = new UnknownValueError("theme", "XS", { valid: ["AS", "ES", "OS"] });
 * assert.ok(err instanceof CarbonPortalError);
 * assert.equal(err.message, "Unknown theme XS (valid: AS, ES, OS)");
 * assert.deepEqual(err.valid, ["AS", "ES", "OS"]);
 * ```
 */
export class UnknownValueError extends CarbonPortalError {
  /** Which argument (`theme`, `project`, `format` …). */
  readonly argument: string;
  /** The value given. */
  readonly value: unknown;
  /** The values that would have been accepted. */
  readonly valid: readonly string[];

  /**
   * Creates the error.
   *
   * @param argument Which argument.
   * @param value The value given.
   * @param options `valid`: the accepted values; and the standard error options (`cause`).
   */
  constructor(
    argument: string,
    value: unknown,
    options: { valid: readonly string[] } & ErrorOptions,
  ) {
    const { valid, ...errorOptions } = options;
    super(`Unknown ${argument} ${String(value)} (valid: ${valid.join(", ")})`, errorOptions);
    this.argument = argument;
    this.value = value;
    this.valid = valid;
  }
}

/**
 * A column name that the table does not have (after case-insensitive
 * matching). `columns` lists the table's columns.
 *
 * @example
 * ```ts
 * import { UnknownColumnError } from "@icoscp/icoscp";
 * import assert from "node:assert/strict";
 *
 * const err = new UnknownColumnError("x", { unknown: ["notValid"], columns: ["TIMESTAMP", "ch4"] });
 * assert.match(err.message, /has no column notValid \(columns: TIMESTAMP, ch4\)/);
 * assert.deepEqual(err.unknown, ["notValid"]);
 * ```
 */
export class UnknownColumnError extends CarbonPortalError {
  /** The names asked for that match no column. */
  readonly unknown: string[];
  /** The columns the table has. */
  readonly columns: string[];

  /**
   * Creates the error.
   *
   * @param table What has the columns (a data object id, say).
   * @param names `unknown`: the names that match no column; `columns`: the columns there are.
   */
  constructor(
    table: string,
    { unknown, columns }: { unknown: readonly string[]; columns: readonly string[] },
  ) {
    super(
      `${table} has no column ${unknown.join(", ")} (columns: ${columns.join(", ")})`,
    );
    this.unknown = [...unknown];
    this.columns = [...columns];
  }
}

/** The kinds of decode failure, one subclass of {@linkcode DecodeError} each. */
export type DecodeErrorKind = "truncated" | "corrupt" | "unsupported" | "limit";

/**
 * Bytes that could not be decoded. `byteOffset` says where the problem was
 * found (relative to the start of the decoded input).
 *
 * @example
 * ```ts
 * import { decodeCpb, DecodeError } from "@icoscp/icoscp";
 * import assert from "node:assert/strict";
 *
 * assert.throws(
 *   () => decodeCpb(new Uint8Array(3), { columns: ["INT"], size: 1 }),
 *   (e) => e instanceof DecodeError && e.byteOffset === 3,
 * );
 * ```
 */
export class DecodeError extends CarbonPortalError {
  /** Offset of the problem in the input, when known. */
  readonly byteOffset: number | undefined;
  /** Which kind of failure this is. */
  readonly kind: DecodeErrorKind;

  /**
   * Creates the error.
   *
   * @param message What went wrong.
   * @param options Kind, byte offset and cause.
   */
  constructor(
    message: string,
    options: { kind: DecodeErrorKind; byteOffset?: number; cause?: unknown },
  ) {
    super(message, { cause: options.cause });
    this.kind = options.kind;
    this.byteOffset = options.byteOffset;
  }
}

/**
 * Fewer bytes arrived than the layout needs: a short body is an error, never
 * a short table.
 *
 * @example
 * ```ts
 * import { TruncatedDataError } from "@icoscp/icoscp";
 * import assert from "node:assert/strict";
 *
 * const err = new TruncatedDataError("Truncated cpb table: expected 16 bytes, got 8", { byteOffset: 8 });
 * assert.equal(err.kind, "truncated");
 * ```
 */
export class TruncatedDataError extends DecodeError {
  /**
   * Creates the error.
   *
   * @param message What was cut short.
   * @param options Byte offset and cause.
   */
  constructor(message: string, options: { byteOffset?: number; cause?: unknown } = {}) {
    super(message, { ...options, kind: "truncated" });
  }
}

/**
 * The bytes contradict their own structure.
 *
 * @example
 * ```ts
 * import { CorruptDataError } from "@icoscp/icoscp";
 * import assert from "node:assert/strict";
 *
 * assert.equal(new CorruptDataError("Bad magic", { byteOffset: 0 }).kind, "corrupt");
 * ```
 */
export class CorruptDataError extends DecodeError {
  /**
   * Creates the error.
   *
   * @param message What is wrong.
   * @param options Byte offset and cause.
   */
  constructor(message: string, options: { byteOffset?: number; cause?: unknown } = {}) {
    super(message, { ...options, kind: "corrupt" });
  }
}

/**
 * Well-formed input that uses a feature this library does not support.
 *
 * @example
 * ```ts
 * import { UnsupportedFormatError } from "@icoscp/icoscp";
 * import assert from "node:assert/strict";
 *
 * assert.equal(new UnsupportedFormatError("Unknown record 0x73", { byteOffset: 4 }).kind, "unsupported");
 * ```
 */
export class UnsupportedFormatError extends DecodeError {
  /**
   * Creates the error.
   *
   * @param message What is not supported.
   * @param options Byte offset and cause.
   */
  constructor(message: string, options: { byteOffset?: number; cause?: unknown } = {}) {
    super(message, { ...options, kind: "unsupported" });
  }
}

/**
 * A declared size exceeds a safety limit; nothing was allocated for it.
 *
 * @example
 * ```ts
 * import { LimitExceededError } from "@icoscp/icoscp";
 * import assert from "node:assert/strict";
 *
 * assert.equal(new LimitExceededError("2^31 strings declared", { byteOffset: 6 }).kind, "limit");
 * ```
 */
export class LimitExceededError extends DecodeError {
  /**
   * Creates the error.
   *
   * @param message Which limit.
   * @param options Byte offset and cause.
   */
  constructor(message: string, options: { byteOffset?: number; cause?: unknown } = {}) {
    super(message, { ...options, kind: "limit" });
  }
}

/**
 * A server answered a range request with the whole file (status 200): it
 * does not support `Range`, so a remote file cannot be read in parts.
 *
 * @example
 * ```ts
 * import { HttpError, RangeNotSupportedError } from "@icoscp/icoscp";
 * import assert from "node:assert/strict";
 *
 * const err = new RangeNotSupportedError("Reading bytes 0-65535", { status: 200, url: "https://example.org/f.nc" });
 * assert.ok(err instanceof HttpError);
 * ```
 */
export class RangeNotSupportedError extends HttpError {}

/**
 * A remote file changed while it was being read: its `ETag` or length
 * differs from the first response's, so bytes read before and after would
 * not belong together.
 *
 * @example
 * ```ts
 * import { CarbonPortalError, SourceChangedError } from "@icoscp/icoscp";
 * import assert from "node:assert/strict";
 *
 * const err = new SourceChangedError("https://example.org/f.nc changed: ETag \"a\" became \"b\"");
 * assert.ok(err instanceof CarbonPortalError);
 * ```
 */
export class SourceChangedError extends CarbonPortalError {}

/**
 * The wasm decoder cannot be loaded in this runtime: WebAssembly (with
 * simd128) is missing, or the runtime forbids compiling wasm from bytes at
 * run time (Cloudflare Workers, Vercel Edge). The message says what to do:
 * there, call `initDecoder` with the module a `.wasm` import gives. The
 * runtime's own error (a `CompileError`) is the `cause`. Reading cpb tables
 * never needs it: they fall back to the TypeScript engine.
 *
 * @example
 * ```ts
 * import { CarbonPortalError, WasmUnavailableError } from "@icoscp/icoscp";
 * import assert from "node:assert/strict";
 *
 * const err = new WasmUnavailableError("Compiling wasm is forbidden here: call initDecoder with the imported .wasm module");
 * assert.ok(err instanceof CarbonPortalError);
 * ```
 */
export class WasmUnavailableError extends CarbonPortalError {}

/**
 * There is no parser for an object's format: the error names the format
 * and what to do instead (the binary table, `openNetCDF`, `fileStream`).
 *
 * @example
 * ```ts
 * import { NoParserError } from "@icoscp/icoscp";
 * import assert from "node:assert/strict";
 *
 * const e = new NoParserError("pdf", "emulated_readme.pdf");
 * assert.equal(e.format, "pdf");
 * assert.match(e.message, /fileStream/);
 * ```
 */
export class NoParserError extends CarbonPortalError {
  /** The object format (ontology local name, e.g. `"pdf"`). */
  readonly format: string;

  /**
   * Creates the error.
   *
   * @param format The object format.
   * @param fileName The file name.
   */
  constructor(format: string, fileName?: string) {
    super(
      `No parser for the original file ${
        fileName ?? ""
      } of format ${format}: read its bytes with ` +
        "fileStream() or download(), its data with getColumns() when it is tabular, or a NetCDF " +
        "object with openNetCDF()",
    );
    this.format = format;
  }
}

/**
 * The portal's SPARQL quota is spent (HTTP 503 from its quota manager: per
 * minute, per hour, too many parallel queries, or a temporary ban), or the
 * client held a query back because sending it would spend it. `waitMs` is
 * how long to wait before trying again. Never retried automatically.
 *
 * @example
 * ```ts
 * import { QuotaExceededError, ServerError } from "@icoscp/icoscp";
 * import assert from "node:assert/strict";
 *
 * const err = new QuotaExceededError("SPARQL SELECT", {
 *   status: 503,
 *   url: "https://meta.icos-cp.eu/sparql",
 *   body: "You have exceeded your per-minute query quota. Please wait 1 minute to run more queries.",
 * });
 * assert.ok(err instanceof ServerError);
 * assert.equal(err.limit, "minute");
 * assert.equal(err.waitMs, 60_000);
 * ```
 */
export class QuotaExceededError extends ServerError {
  /** Which limit: `minute`, `hour`, `parallel` or `ban`. */
  readonly limit: "minute" | "hour" | "parallel" | "ban";
  /** How long to wait before querying again, in ms. */
  readonly waitMs: number;

  /**
   * Creates the error from the portal's answer (or the client's own accounting).
   *
   * @param hint What the request was for.
   * @param details Status, URL, the portal's message; `waitMs` overrides the wait read from it.
   */
  constructor(hint: string, details: HttpErrorDetails & { waitMs?: number }) {
    super(hint, details);
    const body = details.body ?? "";
    const until = /banned .*until (\S+)/i.exec(body)?.[1];
    this.limit = /hour/i.test(body)
      ? "hour"
      : /running queries/i.test(body)
      ? "parallel"
      : /banned/i.test(body)
      ? "ban"
      : "minute";
    const untilMs = until ? Date.parse(until.replace(/[.,;]$/, "")) - Date.now() : NaN;
    this.waitMs = details.waitMs ??
      (this.limit === "hour"
        ? 3_600_000
        : this.limit === "parallel"
        ? 5_000
        : this.limit === "ban"
        ? (Number.isFinite(untilMs) ? Math.max(0, untilMs) : 600_000)
        : 60_000);
  }
}

/** Whether a 503 body is the portal's SPARQL quota manager speaking. */
export function isQuotaMessage(body: string): boolean {
  return /query quota|running queries|banned for service overuse/i.test(body);
}

/**
 * A mirror could not go on: the disk is full, its folder holds a manifest it
 * cannot read, or an option does not fit the folder (another compression or
 * shard than the run that wrote it). The manifest stays consistent: a rerun
 * continues from the last finished spec.
 *
 * @example
 * ```ts
 * import { CarbonPortalError, MirrorError } from "@icoscp/icoscp";
 * import assert from "node:assert/strict";
 *
 * const err = new MirrorError("Mirror stopped writing a part: the disk is full");
 * assert.ok(err instanceof CarbonPortalError);
 * ```
 */
export class MirrorError extends CarbonPortalError {}
