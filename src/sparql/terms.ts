/**
 * SPARQL terms and a query builder that keeps user input from changing a
 * query's shape: values interpolated into {@linkcode sparql} templates become
 * escaped literals or validated IRIs, never raw query text.
 *
 * @module
 */

import { InvalidArgumentError } from "../errors.ts";
import { checkOptions } from "../_util/args.ts";

/** XML Schema datatypes the portal uses. */
export const XSD = "http://www.w3.org/2001/XMLSchema#";

/** A term ready to be written into a query. */
export class SparqlTerm {
  /** The term in SPARQL syntax (`<iri>`, `"text"^^<type>`, …). */
  readonly text: string;

  /**
   * Wraps already-valid SPARQL term text; use {@linkcode iri} and {@linkcode literal} instead.
   *
   * @param text The term's SPARQL syntax.
   */
  constructor(text: string) {
    this.text = text;
  }

  /** The term's SPARQL syntax. */
  toString(): string {
    return this.text;
  }
}

// Characters RFC 3987 / the SPARQL grammar forbid inside <…>.
// deno-lint-ignore no-control-regex
const BAD_IRI = /[\u0000-\u0020<>"{}|^`\\]/;

/**
 * An IRI term, validated: it must be absolute and contain none of the
 * characters that could close the `<…>` or inject text.
 *
 * @param value The IRI.
 * @returns The term `<value>`.
 * @throws {InvalidArgumentError} When `value` is not an absolute IRI or contains forbidden characters.
 *
 * @example
 * ```ts
 * import { iri } from "@icoscp/icoscp/sparql";
 * import { InvalidArgumentError } from "@icoscp/icoscp";
 * import assert from "node:assert/strict";
 *
 * assert.equal(String(iri("http://meta.icos-cp.eu/resources/stations/AS_GAT")), "<http://meta.icos-cp.eu/resources/stations/AS_GAT>");
 * assert.throws(() => iri("http://x/> } ; DROP ALL ; {<"), InvalidArgumentError);
 * ```
 */
export function iri(value: string): SparqlTerm {
  if (
    typeof value !== "string" || !/^[A-Za-z][A-Za-z0-9+.-]*:/.test(value) || BAD_IRI.test(value)
  ) {
    throw new InvalidArgumentError(`Not an absolute IRI: ${JSON.stringify(value)}`);
  }
  return new SparqlTerm(`<${value}>`);
}

/**
 * Escapes text for a double-quoted SPARQL string literal.
 *
 * @param text Any text.
 * @returns The escaped text (without the quotes).
 *
 * @example
 * ```ts
 * import { escapeString } from "@icoscp/icoscp/sparql";
 * import assert from "node:assert/strict";
 *
 * assert.equal(escapeString('a"b\\c\n'), 'a\\"b\\\\c\\n');
 * ```
 */
export function escapeString(text: string): string {
  return String(text).replace(/[\\"\n\r\t\b\f']/g, (c) =>
    ({
      "\\": "\\\\",
      '"': '\\"',
      "'": "\\'",
      "\n": "\\n",
      "\r": "\\r",
      "\t": "\\t",
      "\b": "\\b",
      "\f": "\\f",
    })[c] ?? c);
}

/**
 * A literal term: strings escaped, with an optional datatype IRI or language tag.
 *
 * @param value The lexical value.
 * @param options `datatype` (an IRI, or an `xsd:` local name like `"float"`) or `lang`.
 * @returns The term.
 * @throws {InvalidArgumentError} When the datatype is not an IRI or the language tag is malformed.
 *
 * @example
 * ```ts
 * import { literal } from "@icoscp/icoscp/sparql";
 * import assert from "node:assert/strict";
 *
 * assert.equal(String(literal("341.0", { datatype: "float" })), '"341.0"^^<http://www.w3.org/2001/XMLSchema#float>');
 * assert.equal(String(literal("Gartow", { lang: "de" })), '"Gartow"@de');
 * ```
 */
export function literal(
  value: string,
  options: { datatype?: string; lang?: string } = {},
): SparqlTerm {
  options = checkOptions("literal", options, { datatype: true, lang: true });
  if (typeof value !== "string") {
    throw new InvalidArgumentError("literal", "value", value, "a string");
  }
  const body = `"${escapeString(value)}"`;
  if (options.lang !== undefined) {
    if (!/^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$/.test(options.lang)) {
      throw new InvalidArgumentError(`Not a language tag: ${JSON.stringify(options.lang)}`);
    }
    return new SparqlTerm(`${body}@${options.lang}`);
  }
  if (options.datatype !== undefined) {
    const dt = /^[A-Za-z]+$/.test(options.datatype) ? XSD + options.datatype : options.datatype;
    return new SparqlTerm(`${body}^^${iri(dt)}`);
  }
  return new SparqlTerm(body);
}

/**
 * Turns a JavaScript value into a term: a {@linkcode SparqlTerm} as is,
 * strings as escaped plain literals, integers as `xsd:integer`, other numbers
 * as `xsd:double`, booleans as `xsd:boolean`, dates as `xsd:dateTime`.
 *
 * @param value The value.
 * @returns The term.
 * @throws {InvalidArgumentError} For other types and non-finite numbers.
 *
 * @example
 * ```ts
 * import { term } from "@icoscp/icoscp/sparql";
 * import assert from "node:assert/strict";
 *
 * assert.equal(String(term(new Date("2020-01-01T00:00:00Z"))), '"2020-01-01T00:00:00.000Z"^^<http://www.w3.org/2001/XMLSchema#dateTime>');
 * assert.equal(String(term(3)), '"3"^^<http://www.w3.org/2001/XMLSchema#integer>');
 * ```
 */
export function term(value: unknown): SparqlTerm {
  if (value instanceof SparqlTerm) return value;
  if (typeof value === "string") return literal(value);
  if (typeof value === "number") {
    if (!Number.isFinite(value)) {
      throw new InvalidArgumentError(`Cannot write ${value} into a query`);
    }
    return literal(String(value), { datatype: Number.isInteger(value) ? "integer" : "double" });
  }
  if (typeof value === "boolean") return literal(String(value), { datatype: "boolean" });
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) {
      throw new InvalidArgumentError("Cannot write an invalid date into a query");
    }
    return literal(value.toISOString(), { datatype: "dateTime" });
  }
  throw new InvalidArgumentError(`Cannot write a ${typeof value} into a query`);
}

/**
 * A tagged template for queries: every interpolated value goes through
 * {@linkcode term}, arrays become space-separated term lists (for `VALUES`),
 * so user input can never change the query's shape.
 *
 * @param strings The template's text.
 * @param values The interpolated values.
 * @returns The query text.
 *
 * @example A station filter that cannot be escaped from
 * ```ts
 * import { iri, sparql } from "@icoscp/icoscp/sparql";
 * import assert from "node:assert/strict";
 *
 * const name = 'Gartow" } . ?s ?p ?o . { "';
 * const q = sparql`select ?s where { ?s <http://meta.icos-cp.eu/ontologies/cpmeta/hasName> ${name} ; a ${iri("http://meta.icos-cp.eu/ontologies/cpmeta/AS")} }`;
 * assert.equal(q, 'select ?s where { ?s <http://meta.icos-cp.eu/ontologies/cpmeta/hasName> "Gartow\\" } . ?s ?p ?o . { \\"" ; a <http://meta.icos-cp.eu/ontologies/cpmeta/AS> }');
 * ```
 */
export function sparql(strings: TemplateStringsArray, ...values: unknown[]): string {
  if (!Array.isArray(strings) || strings.length !== values.length + 1) {
    throw new InvalidArgumentError(
      "sparql",
      "strings",
      strings,
      "the strings of a tagged template (use sparql`…${value}…`)",
    );
  }
  let out = strings[0];
  values.forEach((v, i) => {
    out += Array.isArray(v) ? v.map((x) => term(x).text).join(" ") : term(v).text;
    out += strings[i + 1];
  });
  return out;
}
