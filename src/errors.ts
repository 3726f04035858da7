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

import { CarbonPortalError } from "./_errors_base.ts";

export { CarbonPortalError } from "./_errors_base.ts";
export {
  AuthenticationError,
  HttpError,
  type HttpErrorDetails,
  isQuotaMessage,
  LicenceError,
  NotFoundError,
  QuotaExceededError,
  RangeNotSupportedError,
  ServerError,
} from "./_errors_http.ts";
export {
  InvalidArgumentError,
  UnknownColumnError,
  UnknownOptionError,
  UnknownValueError,
} from "./_errors_argument.ts";
export {
  CorruptDataError,
  DecodeError,
  type DecodeErrorKind,
  LimitExceededError,
  TruncatedDataError,
  UnsupportedFormatError,
} from "./_errors_decode.ts";

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
