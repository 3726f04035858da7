// Private: the errors of a caller's argument (wrong type, unknown option, value
// or column; errors.ts re-exports them).

import { CarbonPortalError } from "./_errors_base.ts";

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
