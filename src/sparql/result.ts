/**
 * SPARQL SELECT results with typed access to bindings and renderings as an
 * arquero table, CSV, TSV, JSON and HTML.
 *
 * @module
 */

import { type ColumnTable, table } from "../_util/arquero.ts";
import { SparqlError } from "../errors.ts";
import { XSD } from "./terms.ts";
import { getOwn, setOwn } from "../_util/own.ts";

/** One bound value as the SPARQL 1.1 JSON results format gives it. */
export type RawTerm =
  | { type: "uri"; value: string }
  | { type: "literal"; value: string; datatype?: string; "xml:lang"?: string }
  | { type: "typed-literal"; value: string; datatype: string }
  | { type: "bnode"; value: string };

/** The SPARQL 1.1 JSON results document. */
export interface RawResults {
  /** Projected variables. */
  head: { vars: string[] };
  /** One object per solution; unbound variables are absent. */
  results: { bindings: Record<string, RawTerm>[] };
}

const NUMERIC = new Set(
  [
    "integer",
    "long",
    "int",
    "short",
    "byte",
    "decimal",
    "float",
    "double",
    "nonNegativeInteger",
    "positiveInteger",
    "negativeInteger",
    "nonPositiveInteger",
    "unsignedLong",
    "unsignedInt",
    "unsignedShort",
    "unsignedByte",
  ].map((t) => XSD + t),
);
const INTEGER = new Set(
  [...NUMERIC].filter((t) => !/#(decimal|float|double)$/.test(t)),
);

/** A plain JavaScript value of a term: number, boolean, Date or string. */
export type PlainValue = string | number | boolean | Date;

/** The plain JavaScript value of a term (numbers, booleans and date-times converted; the rest as strings). */
export function plainValue(t: RawTerm): PlainValue {
  if (t.type === "literal" || t.type === "typed-literal") {
    const dt = t.datatype;
    if (dt && NUMERIC.has(dt)) return Number(t.value);
    if (dt === XSD + "boolean") return t.value.toLowerCase() === "true" || t.value === "1";
    if (dt === XSD + "dateTime") return new Date(t.value);
  }
  return t.value;
}

/**
 * One solution of a SELECT query, with accessors that check the kind of term.
 * Required accessors throw a {@linkcode SparqlError} when the variable is
 * unbound or of the wrong kind; `opt*` accessors return `undefined` when unbound.
 *
 * @example
 * ```ts
 * import { SparqlRow } from "@icoscp/icoscp/sparql";
 * import assert from "node:assert/strict";
 *
 * const row = new SparqlRow({
 *   station: { type: "uri", value: "http://meta.icos-cp.eu/resources/stations/AS_GAT" },
 *   lat: { type: "literal", value: "53.0657", datatype: "http://www.w3.org/2001/XMLSchema#double" },
 * });
 * assert.equal(row.iri("station"), "http://meta.icos-cp.eu/resources/stations/AS_GAT");
 * assert.equal(row.number("lat"), 53.0657);
 * assert.equal(row.optString("elevation"), undefined);
 * ```
 */
export class SparqlRow {
  /** The raw terms by variable. */
  readonly terms: Readonly<Record<string, RawTerm>>;

  /**
   * Wraps one binding of the JSON results.
   *
   * @param terms The binding.
   */
  constructor(terms: Record<string, RawTerm>) {
    if (typeof terms !== "object" || terms === null) {
      throw new SparqlError("Not a SPARQL solution (an object of terms)", { query: "" });
    }
    this.terms = terms;
  }

  #need(name: string): RawTerm {
    const t = getOwn(this.terms, name);
    if (!t) throw new SparqlError(`Variable ?${name} is unbound in this solution`, { query: "" });
    return t;
  }

  #literal(name: string, what: string, ok: (dt: string | undefined) => boolean): string {
    const t = this.#need(name);
    if ((t.type !== "literal" && t.type !== "typed-literal") || !ok(t.datatype)) {
      throw new SparqlError(
        `Variable ?${name} is not ${what}: ${t.type} ${JSON.stringify(t.value)}${
          "datatype" in t && t.datatype ? `^^${t.datatype}` : ""
        }`,
        { query: "" },
      );
    }
    return t.value;
  }

  /** Whether the variable is bound. */
  has(name: string): boolean {
    return getOwn(this.terms, name) !== undefined;
  }

  /** The IRI bound to `name`. */
  iri(name: string): string {
    const t = this.#need(name);
    if (t.type !== "uri") {
      throw new SparqlError(
        `Variable ?${name} is not an IRI: ${t.type} ${JSON.stringify(t.value)}`,
        {
          query: "",
        },
      );
    }
    return t.value;
  }

  /** The IRI bound to `name`, or `undefined` when unbound. */
  optIri(name: string): string | undefined {
    return this.has(name) ? this.iri(name) : undefined;
  }

  /** The lexical value of any literal (or the text of an IRI) bound to `name`. */
  string(name: string): string {
    const t = this.#need(name);
    if (t.type === "bnode") {
      throw new SparqlError(`Variable ?${name} is a blank node`, { query: "" });
    }
    return t.value;
  }

  /** As {@linkcode SparqlRow.string}, or `undefined` when unbound. */
  optString(name: string): string | undefined {
    return this.has(name) ? this.string(name) : undefined;
  }

  /** A numeric literal (any xsd numeric type) as a number. */
  number(name: string): number {
    return Number(this.#literal(name, "a number", (dt) => dt !== undefined && NUMERIC.has(dt)));
  }

  /** As {@linkcode SparqlRow.number}, or `undefined` when unbound. */
  optNumber(name: string): number | undefined {
    return this.has(name) ? this.number(name) : undefined;
  }

  /** An integer literal (xsd:integer, long, int, …) as a number. */
  int(name: string): number {
    return Number(this.#literal(name, "an integer", (dt) => dt !== undefined && INTEGER.has(dt)));
  }

  /** As {@linkcode SparqlRow.int}, or `undefined` when unbound. */
  optInt(name: string): number | undefined {
    return this.has(name) ? this.int(name) : undefined;
  }

  /** An xsd:boolean literal. */
  bool(name: string): boolean {
    const v = this.#literal(name, "a boolean", (dt) => dt === XSD + "boolean");
    return v.toLowerCase() === "true" || v === "1";
  }

  /** As {@linkcode SparqlRow.bool}, or `undefined` when unbound. */
  optBool(name: string): boolean | undefined {
    return this.has(name) ? this.bool(name) : undefined;
  }

  /** An xsd:dateTime (or xsd:date) literal as a Date. */
  date(name: string): Date {
    const v = this.#literal(
      name,
      "a date-time",
      (dt) => dt === XSD + "dateTime" || dt === XSD + "date",
    );
    return new Date(v);
  }

  /** As {@linkcode SparqlRow.date}, or `undefined` when unbound. */
  optDate(name: string): Date | undefined {
    return this.has(name) ? this.date(name) : undefined;
  }

  /** The datatype IRI of a literal (`undefined` for plain strings, IRIs and language strings). */
  datatype(name: string): string | undefined {
    const t = this.#need(name);
    return "datatype" in t ? t.datatype : undefined;
  }

  /** The language tag of a literal, if any. */
  lang(name: string): string | undefined {
    const t = this.#need(name);
    return t.type === "literal" ? t["xml:lang"] : undefined;
  }

  /** Every bound variable as a plain JavaScript value. */
  toObject(): Record<string, PlainValue> {
    return Object.fromEntries(Object.entries(this.terms).map(([k, t]) => [k, plainValue(t)]));
  }
}

function csvCell(v: string, sep: string): string {
  return v.includes(sep) || /["\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

function html(v: string): string {
  return v.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * The result of a SELECT query.
 *
 * @example
 * ```ts
 * import { SparqlResult } from "@icoscp/icoscp/sparql";
 * import assert from "node:assert/strict";
 *
 * const r = new SparqlResult({
 *   head: { vars: ["id", "lat"] },
 *   results: { bindings: [{ id: { type: "literal", value: "GAT" }, lat: { type: "literal", value: "53.0657", datatype: "http://www.w3.org/2001/XMLSchema#double" } }] },
 * });
 * assert.equal(r.toCsv(), "id,lat\r\nGAT,53.0657\r\n");
 * assert.equal(r.toTable().get("lat", 0), 53.0657);
 * ```
 */
export class SparqlResult {
  /** The projected variables. */
  readonly vars: string[];
  /** The solutions. */
  readonly rows: SparqlRow[];
  /** The JSON document as received. */
  readonly raw: RawResults;

  /**
   * Wraps a SPARQL JSON results document.
   *
   * @param raw The document.
   * @throws {SparqlError} When it is not a SELECT result.
   */
  constructor(raw: RawResults) {
    if (!raw?.head || !Array.isArray(raw.head.vars) || !Array.isArray(raw.results?.bindings)) {
      throw new SparqlError("Not a SPARQL SELECT result", { query: "" });
    }
    this.raw = raw;
    this.vars = raw.head.vars;
    this.rows = raw.results.bindings.map((b) => new SparqlRow(b));
  }

  /** Number of solutions. */
  get length(): number {
    return this.rows.length;
  }

  /** Solutions as plain objects (typed values; unbound variables absent). */
  toRecords(): Record<string, PlainValue>[] {
    return this.rows.map((r) => r.toObject());
  }

  /** An arquero table with one column per variable (typed values; `undefined` where unbound). */
  toTable(): ColumnTable {
    const cols: Record<string, (PlainValue | undefined)[]> = {};
    for (const v of this.vars) {
      setOwn(cols, v, this.rows.map((r) => (r.terms[v] ? plainValue(r.terms[v]) : undefined)));
    }
    return table(cols);
  }

  /** Headers and rows of lexical values (`undefined` where unbound), like icoscp's `array` format. */
  toArray(): [string[], (string | undefined)[][]] {
    return [[...this.vars], this.rows.map((r) => this.vars.map((v) => r.terms[v]?.value))];
  }

  /** Columns of lexical values by variable, like a dict of lists. */
  toColumns(): Record<string, (string | undefined)[]> {
    return Object.fromEntries(this.vars.map((v) => [v, this.rows.map((r) => r.terms[v]?.value)]));
  }

  /** SPARQL 1.1 CSV: lexical values, quoted where needed, CRLF line ends. */
  toCsv(): string {
    const lines = [this.vars.join(",")];
    for (const r of this.rows) {
      lines.push(this.vars.map((v) => csvCell(r.terms[v]?.value ?? "", ",")).join(","));
    }
    return lines.join("\r\n") + "\r\n";
  }

  /** Tab-separated lexical values with a header line. */
  toTsv(): string {
    const clean = (s: string) => s.replace(/[\t\r\n]/g, " ");
    const lines = [this.vars.join("\t")];
    for (const r of this.rows) {
      lines.push(this.vars.map((v) => clean(r.terms[v]?.value ?? "")).join("\t"));
    }
    return lines.join("\n") + "\n";
  }

  /** The JSON results document as text. */
  toJson(): string {
    return JSON.stringify(this.raw);
  }

  /** A standalone HTML table (values escaped). */
  toHtml(): string {
    const head = this.vars.map((v) => `<th>${html(v)}</th>`).join("");
    const body = this.rows.map((r) =>
      `<tr>${this.vars.map((v) => `<td>${html(r.terms[v]?.value ?? "")}</td>`).join("")}</tr>`
    ).join("\n");
    return `<table class="table table-striped table-hover">\n<thead><tr>${head}</tr></thead>\n<tbody>\n${body}\n</tbody>\n</table>`;
  }
}
