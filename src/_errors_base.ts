// Private: the base class of every library error (errors.ts re-exports it).

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
