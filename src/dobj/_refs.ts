// Private: what `cp.dobj`, `batchGetColumns` and `download` accept as a data
// object, so that whatever one call returns goes into the next: a string
// (id, PID, landing-page URI, handle URL, DOI), a URL, a `Dobj`, a row of a
// table or a search result (`{ dobj }`, `{ uri }`, `{ id }`, `{ pid }`), a
// SPARQL row with a `dobj` binding, and a list of one (`d.next`,
// `d.previous`). A table (arquero, with a `dobj` column) or any iterable of
// those is a list of objects.

import { InvalidArgumentError } from "../errors.ts";
import { isPlainObject } from "../_util/args.ts";

const EXPECTED =
  "a data object: an id, PID, URI or DOI string, a Dobj, or a row with a dobj/uri/id field";

/** Fields of a row or record that name a data object, in the order tried. */
const REF_FIELDS = ["dobj", "uri", "url", "pid", "id", "doi"] as const;

/**
 * One data object reference as a string, or the `Dobj` itself (`isDobj`
 * decides which objects are data objects, to keep this module free of the
 * class).
 */
export function dobjRef<D>(
  where: string,
  value: unknown,
  isDobj: (v: unknown) => v is D,
): string | D {
  if (typeof value === "string" && value.trim() !== "") return value.trim();
  if (isDobj(value)) return value;
  if (value instanceof URL) return value.href;
  if (Array.isArray(value) && value.length === 1) return dobjRef(where, value[0], isDobj);
  if (Array.isArray(value) && value.length > 1) {
    throw new InvalidArgumentError(
      where,
      "ref",
      value,
      `one data object, not ${value.length} (for several, use cp.batchGetColumns)`,
    );
  }
  if (typeof value === "object" && value !== null) {
    // a SPARQL row ({ terms: { dobj: { value } } }) or a plain row
    const terms = (value as { terms?: Record<string, { value?: unknown }> }).terms;
    const row: Record<string, unknown> = terms && typeof terms === "object"
      ? Object.fromEntries(Object.entries(terms).map(([k, t]) => [k, t?.value]))
      : isPlainObject(value)
      ? value
      : {};
    for (const field of REF_FIELDS) {
      const v = row[field];
      if (typeof v === "string" && v.trim() !== "") return v.trim();
      if (v instanceof URL) return v.href;
    }
  }
  throw new InvalidArgumentError(where, "ref", value, EXPECTED);
}

/**
 * Many data object references: an iterable of what {@linkcode dobjRef}
 * accepts, a table with a `dobj` (or `uri`, `id`, `pid`) column, or one
 * reference alone (a list of one).
 */
export function dobjRefs<D>(
  where: string,
  value: unknown,
  isDobj: (v: unknown) => v is D,
): (string | D)[] {
  if (typeof value === "string" || isDobj(value) || value instanceof URL) {
    return [dobjRef(where, value, isDobj)];
  }
  const table = value as { objects?: unknown; columnNames?: unknown };
  if (
    value !== null && typeof value === "object" && typeof table.objects === "function" &&
    typeof table.columnNames === "function"
  ) {
    const rows = (table.objects as () => unknown[]).call(value);
    return rows.map((row) => dobjRef(where, row, isDobj));
  }
  if (
    value !== null && typeof value === "object" &&
    typeof (value as Iterable<unknown>)[Symbol.iterator] === "function"
  ) {
    return [...(value as Iterable<unknown>)].map((v) => dobjRef(where, v, isDobj));
  }
  throw new InvalidArgumentError(
    where,
    "refs",
    value,
    "a list or table of data objects (ids, PIDs, URIs, DOIs, Dobjs or rows)",
  );
}
