// Private: what `cp.dobj`, `batchGetColumns` and `download` accept as a data
// object, so that whatever one call returns goes into the next: a string
// (id, PID, landing-page URI, handle URL, DOI), a URL, a `Dobj`, a row of a
// table or a search result (`{ dobj }`, `{ uri }`, `{ id }`, `{ pid }`), a
// SPARQL row with a `dobj` binding, and a list of one (`d.next`,
// `d.previous`). A table (arquero, with a `dobj` column) or any iterable of
// those is a list of objects.

import { InvalidArgumentError } from "../errors.ts";
import { isPlainObject } from "../_util/args.ts";
import type { Dobj } from "./dobj.ts";

/**
 * A row that names a data object: a row of a table the library returns
 * (`{ dobj }` of a station's `data()`, `{ pid, uri }` of a search, …), or a
 * SPARQL row with a `dobj` binding.
 */
export interface DobjRow {
  /** The object's URI (station `data()`, SPARQL rows). */
  readonly dobj?: string | URL;
  /** The object's URI (search results). */
  readonly uri?: string | URL;
  /** A URL of the object. */
  readonly url?: string | URL;
  /** The object's PID. */
  readonly pid?: string;
  /** The object's id. */
  readonly id?: string;
  /** The object's DOI. */
  readonly doi?: string;
  /** SPARQL bindings (a `SparqlRow`). */
  readonly terms?: object;
}

/**
 * What names one data object: an id, PID, landing-page URI, handle URL or
 * DOI, a URL, a `Dobj`, a row ({@linkcode DobjRow}), a list of one
 * (`d.next`), or a table or search result of one object.
 */
export type DobjRef =
  | string
  | URL
  | Dobj
  | DobjRow
  | readonly DobjRef[]
  | DobjTable
  | { readonly objects: DobjTable };

/** A table of data objects (arquero) with a `dobj`, `uri`, `pid` or `id` column. */
export interface DobjTable {
  /** The rows. */
  objects(): object[];
  /** The column names. */
  columnNames(): string[];
}

/**
 * Many data objects: a list (or any iterable) of what {@linkcode DobjRef}
 * names, a table of them (a station's `data()`, a search's `objects`), a
 * search result, or one alone.
 */
export type DobjRefs = Iterable<DobjRef> | DobjTable | { readonly objects: DobjTable } | DobjRef;

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
  const rows = tableRows(value);
  if (rows) {
    if (rows.length === 1) return dobjRef(where, rows[0], isDobj);
    throw new InvalidArgumentError(
      where,
      "ref",
      `a table of ${rows.length} rows`,
      `one data object, not ${rows.length} (for several, use cp.batchGetColumns)`,
    );
  }
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
  const rows = tableRows(value);
  if (rows) return rows.map((row) => dobjRef(where, row, isDobj));
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

function isTable(value: unknown): value is DobjTable {
  const t = value as Partial<DobjTable> | null;
  return typeof t === "object" && t !== null && typeof t.objects === "function" &&
    typeof t.columnNames === "function";
}

/** The rows of a table, or of a search result's `objects` table; undefined for anything else. */
function tableRows(value: unknown): unknown[] | undefined {
  if (isTable(value)) return value.objects();
  const objects = (value as { objects?: unknown } | null)?.objects;
  if (typeof value === "object" && value !== null && isTable(objects)) return objects.objects();
  return undefined;
}
