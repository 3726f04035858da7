// Private: the errors of an HTTP answer that is not the one asked for
// (errors.ts re-exports them).

import { CarbonPortalError } from "./_errors_base.ts";
import { redactUrl } from "./_util/redact.ts";

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
