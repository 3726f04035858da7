// Private: what each public call accepts, checked at run time. One function
// per kind of input (an options object, a count, a list of names, a date, a
// pair that must be in order …), used by every call, so that a JavaScript or
// notebook user who never runs a type checker gets a typed error naming the
// argument instead of a silently ignored option, a wrong result or a raw
// TypeError/RangeError from deep inside.

import { InvalidArgumentError, UnknownOptionError, UnknownValueError } from "../errors.ts";

/** The complete set of keys of an options type, checked by the compiler both ways. */
export type OptionKeys<T> = { readonly [K in keyof Required<T>]: true };

/**
 * Checks an options object: `undefined`/`null` become `{}`; anything but a
 * plain object (a string, an array, a number given positionally) is an
 * {@linkcode InvalidArgumentError}; a key that is no option is an
 * {@linkcode UnknownOptionError} naming the nearest option.
 *
 * @param where The call, for messages (`"getColumns"`).
 * @param value What was given.
 * @param valid Every option of the call (an {@linkcode OptionKeys} record, so the compiler keeps it complete).
 * @param aliases Other spellings (Python's names whose camelCase differs) → the option meant.
 */
export function checkOptions<T extends object>(
  where: string,
  value: T | undefined | null,
  valid: OptionKeys<T> | readonly string[],
  aliases: Readonly<Record<string, string>> = {},
): T {
  if (value === undefined || value === null) return {} as T;
  if (!isPlainObject(value)) {
    throw new InvalidArgumentError(where, "options", value, "an options object ({ … })");
  }
  const names = Array.isArray(valid) ? valid as readonly string[] : Object.keys(valid);
  for (const key of Object.keys(value)) {
    if (names.includes(key)) continue;
    throw new UnknownOptionError(where, key, {
      valid: names,
      suggestion: nearest(key, names, aliases),
    });
  }
  return value;
}

/** Whether `value` is an object literal (or has no prototype): options, not an instance. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === null || proto === Object.prototype || proto?.constructor?.name === "Object";
}

const squash = (s: string) => s.toLowerCase().replace(/[\s_-]/g, "");

/**
 * The name among `valid` that `given` most likely meant: an alias, the same
 * letters in another case or with underscores (Python's snake_case), the
 * singular or plural, or one within a small edit distance.
 */
export function nearest(
  given: string,
  valid: readonly string[],
  aliases: Readonly<Record<string, string>> = {},
): string | undefined {
  const alias = aliases[given] ?? aliases[squash(given)];
  if (alias !== undefined) return alias;
  const g = squash(given);
  const exact = valid.find((v) => squash(v) === g);
  if (exact) return exact;
  const plural = valid.find((v) => squash(v) === g + "s" || squash(v) + "s" === g);
  if (plural) return plural;
  let best: string | undefined;
  let bestDistance = Math.max(1, Math.floor(g.length / 3)) + 1;
  for (const v of valid) {
    const d = editDistance(g, squash(v));
    if (d < bestDistance) [best, bestDistance] = [v, d];
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(
        prev[j] + 1,
        row[j - 1] + 1,
        prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    prev = row;
  }
  return prev[b.length];
}

const INTEGER = /^\s*[+-]?\d+\s*$/;
const NUMBER = /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/;

/**
 * An integer argument: a safe integer >= `min` (and <= `max`), or the same
 * written as a decimal string (`"12"`). Fractions, NaN, infinities, other
 * strings and other types are an {@linkcode InvalidArgumentError}.
 */
export function integer(
  where: string,
  name: string,
  value: unknown,
  { min = 0, max = Number.MAX_SAFE_INTEGER }: { min?: number; max?: number } = {},
): number {
  const n = typeof value === "string" && INTEGER.test(value) ? Number(value) : value;
  if (typeof n !== "number" || !Number.isSafeInteger(n) || n < min || n > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `from ${min} to ${max}`;
    throw new InvalidArgumentError(where, name, value, `an integer ${range}`);
  }
  return n;
}

/** As {@linkcode integer}, `undefined` passing through. */
export function optionalInteger(
  where: string,
  name: string,
  value: unknown,
  bounds?: { min?: number; max?: number },
): number | undefined {
  return value === undefined ? undefined : integer(where, name, value, bounds);
}

/** A finite number, or one written as a decimal string (`"55.7"`). */
export function finiteNumber(
  where: string,
  name: string,
  value: unknown,
  { min = -Infinity, max = Infinity }: { min?: number; max?: number } = {},
): number {
  const n = typeof value === "string" && NUMBER.test(value) ? Number(value) : value;
  if (typeof n !== "number" || !Number.isFinite(n) || n < min || n > max) {
    const range = min === -Infinity && max === Infinity
      ? ""
      : max === Infinity
      ? ` >= ${min}`
      : min === -Infinity
      ? ` <= ${max}`
      : ` from ${min} to ${max}`;
    throw new InvalidArgumentError(where, name, value, `a finite number${range}`);
  }
  return n;
}

/** A boolean option; `undefined` gives `fallback`. Strings such as `"false"` are errors (they are truthy). */
export function boolean(where: string, name: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== "boolean") {
    throw new InvalidArgumentError(where, name, value, "true or false");
  }
  return value;
}

/** A non-empty string. */
export function text(where: string, name: string, value: unknown): string {
  if (typeof value !== "string" || value.trim() === "") {
    throw new InvalidArgumentError(where, name, value, "a non-empty string");
  }
  return value;
}

/**
 * A list of strings: one string is a list of one (Python's `"co2"` for
 * `["co2"]`), any iterable of strings (array, Set) is copied; empty strings,
 * non-strings and other types are an {@linkcode InvalidArgumentError}.
 */
export function stringList(where: string, name: string, value: unknown): string[] {
  const list = typeof value === "string"
    ? [value]
    : isIterable(value) && typeof value !== "string"
    ? [...value]
    : undefined;
  if (!list || list.some((v) => typeof v !== "string" || v.trim() === "")) {
    throw new InvalidArgumentError(where, name, value, "a string or a list of strings");
  }
  return list as string[];
}

/** As {@linkcode stringList}, `undefined` passing through. */
export function optionalStringList(
  where: string,
  name: string,
  value: unknown,
): string[] | undefined {
  return value === undefined ? undefined : stringList(where, name, value);
}

function isIterable(value: unknown): value is Iterable<unknown> {
  return value !== null && value !== undefined &&
    typeof (value as Iterable<unknown>)[Symbol.iterator] === "function";
}

/**
 * One of a fixed set of names, matched without regard to case (and to `_`
 * / `-`): returns the canonical spelling, or throws an
 * {@linkcode UnknownValueError} listing them.
 */
export function oneOf<T extends string>(
  where: string,
  name: string,
  value: unknown,
  valid: readonly T[],
): T {
  if (typeof value === "string") {
    const hit = valid.find((v) => v === value) ??
      valid.find((v) => squash(v) === squash(value));
    if (hit !== undefined) return hit;
  }
  throw new UnknownValueError(`${name} (${where})`, showish(value), { valid });
}

function showish(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value) ?? String(value);
}

/**
 * Two bounds that must be in order (`start <= end`, `min <= max`): throws
 * an {@linkcode InvalidArgumentError} on `end` when they are swapped.
 */
export function ordered(
  where: string,
  names: readonly [string, string],
  low: number,
  high: number,
): void {
  if (low > high) {
    throw new InvalidArgumentError(
      where,
      names[1],
      high,
      `>= ${names[0]} (${low}); the two are swapped`,
    );
  }
}

/**
 * A point in time: a `Date`, an ISO 8601 date or date-time string
 * (`"2016-05-10"`, `"2016-05-10T12:00"`, `"2016/05/10"` as Python's STILT
 * tools accept), or milliseconds since 1970. Returns the `Date`; an invalid
 * date is an {@linkcode InvalidArgumentError}.
 */
export function date(where: string, name: string, value: unknown): Date {
  let d: Date | undefined;
  if (value instanceof Date) d = new Date(value.getTime());
  else if (typeof value === "number") d = new Date(value);
  else if (typeof value === "string") {
    const s = value.trim().replace(
      /^(\d{4})\/(\d{1,2})\/(\d{1,2})/,
      (_, y, m, dd) => `${y}-${m.padStart(2, "0")}-${dd.padStart(2, "0")}`,
    );
    if (/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(s)) {
      // a date-time without a zone is UTC, as everywhere on the portal
      const iso = s.replace(" ", "T");
      d = new Date(/T.*(Z|[+-]\d{2}:?\d{2})$/.test(iso) || iso.length === 10 ? iso : iso + "Z");
    }
  }
  if (!d || isNaN(d.getTime())) {
    throw new InvalidArgumentError(
      where,
      name,
      value,
      'a Date, an ISO 8601 date ("2016-05-10") or date-time, or milliseconds since 1970',
    );
  }
  return d;
}

/**
 * Python keyword arguments passed positionally: throws when more than `max`
 * arguments were given (the extra ones would otherwise be ignored).
 */
export function noExtraArguments(where: string, args: ArrayLike<unknown>, max: number): void {
  if (args.length > max) {
    throw new InvalidArgumentError(
      where,
      `argument ${max + 1}`,
      args[max],
      `absent (the call takes ${max} argument${max === 1 ? "" : "s"}; options go in an object)`,
    );
  }
}

/** Bytes: a `Uint8Array` (or any byte view, or an `ArrayBuffer`) as a `Uint8Array`. */
export function bytes(where: string, name: string, value: unknown): Uint8Array {
  if (value instanceof Uint8Array) return value;
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  if (ArrayBuffer.isView(value)) {
    return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  }
  throw new InvalidArgumentError(where, name, value, "a Uint8Array or an ArrayBuffer");
}

/** A portal client (anything with the client's `request` and `endpoints`). */
export function client<C>(where: string, value: C): C {
  const c = value as { request?: unknown; endpoints?: unknown } | null | undefined;
  if (typeof c?.request !== "function" || typeof c.endpoints !== "object") {
    throw new InvalidArgumentError(where, "cp", value, "a CarbonPortal client");
  }
  return value;
}

/** An array (or other list-like object) of items. */
export function list<T>(where: string, name: string, value: unknown): T[] {
  if (Array.isArray(value)) return value as T[];
  if (isIterable(value) && typeof value !== "string") return [...value] as T[];
  throw new InvalidArgumentError(where, name, value, "a list");
}

/** A non-null object (a record, a table, an instance). */
export function object<T extends object>(where: string, name: string, value: T): T {
  if (typeof value !== "object" || value === null) {
    throw new InvalidArgumentError(where, name, value, "an object");
  }
  return value;
}
