// Private: the errors of bytes that cannot be decoded (errors.ts re-exports them).

import { CarbonPortalError } from "./_errors_base.ts";

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
