// Private: recognises the shapes of the data-object queries that the
// client's search and listing send (a page of objects with its filters and
// order, the facet counts by `group by`, the newest submission time, the
// icoscp_core-style listing) and reads them into a description the object
// index answers from arrays — as the portal's own SPARQL server recognises
// data-object queries and answers them from its in-memory index instead of
// the general engine. Anything else, or any variation the description could
// not carry exactly, is `undefined`: the triple store answers it.

/** A property the filters compare or the order sorts by. */
export type IndexProp = "size" | "samplingHeight" | "submTime" | "timeStart" | "timeEnd";
/** A sort key. */
export type IndexOrderKey = IndexProp | "fileName";

/** One comparison of a property with a constant (numbers; instants in ms). */
export interface IndexCond {
  readonly prop: IndexProp;
  readonly op: "<" | ">" | "<=" | ">=" | "=";
  readonly value: number;
  /** For `samplingHeight`: compare as xsd:float (false when the constant is an xsd:double). */
  readonly asFloat: boolean;
}

/** The graph pattern of the matching objects. */
export interface IndexWhere {
  /** Only these object URIs (`values ?dobj`). */
  pids?: Set<string>;
  /** Only members of this collection URI (`dcterms:hasPart`). */
  collection?: string;
  /** Only these spec URIs. */
  specs?: Set<string>;
  /** Only these station URIs (the station is then required). */
  stations?: Set<string>;
  /** Whether objects without a station are left out. */
  stationRequired: boolean;
  /** Whether objects without a sampling height are left out. */
  heightRequired: boolean;
  /** WKT polygon the coverage intersects. */
  polygon?: string;
  /** Whether deprecated objects are left out. */
  latestOnly: boolean;
  conds: IndexCond[];
  /** A case-insensitive regex the file name matches. */
  fileRegex?: RegExp;
  /** Each: the word is in the lower-cased file name or keywords, or the spec is listed. */
  keywords: { word: string; specs: Set<string> }[];
}

/** What a recognised query asks. */
export type IndexQuery =
  | {
    readonly kind: "page";
    readonly where: IndexWhere;
    readonly key: IndexOrderKey;
    readonly descending: boolean;
    readonly offset: number;
    readonly limit: number;
  }
  | {
    /** The icoscp_core listing: no tie-break by URI (ties are then in URI order). */
    readonly kind: "list";
    readonly where: IndexWhere;
    readonly key: IndexOrderKey;
    readonly descending: boolean;
    readonly offset: number;
    readonly limit: number;
  }
  | { readonly kind: "facets"; readonly where: IndexWhere }
  | { readonly kind: "newest" };

const NS: Record<string, string> = {
  cpmeta: "http://meta.icos-cp.eu/ontologies/cpmeta/",
  prov: "http://www.w3.org/ns/prov#",
  dcterms: "http://purl.org/dc/terms/",
  geo: "http://www.opengis.net/ont/geosparql#",
  cc: "http://creativecommons.org/ns#",
  xsd: "http://www.w3.org/2001/XMLSchema#",
  rdfs: "http://www.w3.org/2000/01/rdf-schema#",
};
const XSD = NS.xsd;
/** Prefixes the portal (RDF4J) knows without a declaration. */
const DEFAULT = new Set(["xsd", "rdfs"]);

/**
 * The query with comments dropped, whitespace outside literals and IRIs
 * collapsed to one space, and one space around braces; `undefined` for
 * single-quoted or long literals (never sent by the client).
 */
export function normaliseQuery(q: string): string | undefined {
  let out = "";
  let space = false;
  const put = (s: string) => {
    if (space && out && !out.endsWith(" ")) out += " ";
    space = false;
    out += s;
  };
  for (let i = 0; i < q.length;) {
    const c = q[i];
    if (c === '"') {
      if (q.startsWith('"""', i)) return undefined;
      let j = i + 1;
      while (j < q.length && q[j] !== '"') {
        if (q[j] === "\n") return undefined;
        j += q[j] === "\\" ? 2 : 1;
      }
      if (j >= q.length) return undefined;
      put(q.slice(i, j + 1));
      i = j + 1;
    } else if (c === "'") return undefined;
    else if (c === "<") {
      const m = /^<[^<>"{}|^`\\\s]*>/.exec(q.slice(i, i + 4096));
      const s = m ? m[0] : "<";
      put(s);
      i += s.length;
    } else if (c === "#") {
      while (i < q.length && q[i] !== "\n") i++;
      space = true;
    } else if (/\s/.test(c)) {
      space = true;
      i++;
    } else if (c === "{" || c === "}") {
      space = true;
      put(c);
      space = true;
      i++;
    } else {
      put(c);
      i++;
    }
  }
  return out.trim();
}

/** The value of a double-quoted SPARQL string literal (with its quotes). */
function unquote(lit: string): string | undefined {
  let bad = false;
  const v = lit.slice(1, -1).replace(/\\(u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)/g, (_m, e: string) => {
    const simple: Record<string, string> = {
      n: "\n",
      r: "\r",
      t: "\t",
      b: "\b",
      f: "\f",
      '"': '"',
      "'": "'",
      "\\": "\\",
    };
    if (e.length === 1) {
      if (!(e in simple)) bad = true;
      return simple[e] ?? "";
    }
    return String.fromCodePoint(parseInt(e.slice(1), 16));
  });
  return bad ? undefined : v;
}

const LIT = String.raw`"(?:[^"\\]|\\.)*"`;
const IRI = String.raw`<[^<>"{}|^\x60\\\s]*>`;
const NUM = String.raw`[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?`;
const dtype = (t: string) => `(?:xsd:${t}|<${XSD.replaceAll(".", "\\.")}${t}>)`;
const iris = (s: string) => s.trim() ? s.trim().split(" ").map((x) => x.slice(1, -1)) : [];

/** Sticky clause patterns of the object pattern, each folding into the description. */
const CLAUSES: [RegExp, (m: RegExpExecArray, w: IndexWhere, seen: Set<string>) => boolean][] = [
  [new RegExp(String.raw`values \?dobj \{((?: ${IRI})*) \}`, "y"), (m, w) => {
    w.pids = new Set(iris(m[1]));
    return true;
  }],
  [new RegExp(String.raw`(${IRI}) dcterms:hasPart \?dobj \.`, "y"), (m, w) => {
    w.collection = m[1].slice(1, -1);
    return true;
  }],
  [new RegExp(String.raw`values \?spec \{((?: ${IRI})*) \}`, "y"), (m, w) => {
    w.specs = new Set(iris(m[1]));
    return true;
  }],
  [
    /\?dobj cpmeta:hasObjectSpec \?spec \./y,
    (_m, _w, seen) => !seen.has("spec") && !!seen.add("spec"),
  ],
  [new RegExp(String.raw`values \?station \{((?: ${IRI})*) \}`, "y"), (m, w) => {
    w.stations = new Set(iris(m[1]));
    return true;
  }],
  [/\?dobj cpmeta:wasAcquiredBy\/prov:wasAssociatedWith \?station \./y, (_m, w, seen) => {
    w.stationRequired = true;
    return !seen.has("station") && !!seen.add("station");
  }],
  [
    /optional \{ \?dobj cpmeta:wasAcquiredBy\/prov:wasAssociatedWith \?station \}/y,
    (_m, _w, seen) => !seen.has("station") && !!seen.add("station"),
  ],
  [/\?dobj cpmeta:wasAcquiredBy\/cpmeta:hasSamplingHeight \?samplingHeight \./y, (_m, w, seen) => {
    w.heightRequired = true;
    return !seen.has("height") && !!seen.add("height");
  }],
  [
    /optional \{ \?dobj cpmeta:wasAcquiredBy\/cpmeta:hasSamplingHeight \?samplingHeight \}/y,
    (_m, _w, seen) => !seen.has("height") && !!seen.add("height"),
  ],
  [
    new RegExp(
      [
        String.raw`\?dobj cpmeta:hasSizeInBytes \?size ; cpmeta:hasName \?fileName ;`,
        String.raw`cpmeta:wasSubmittedBy\/prov:endedAtTime \?submTime ;`,
        String
          .raw`cpmeta:hasStartTime \| \(cpmeta:wasAcquiredBy\/prov:startedAtTime\) \?timeStart ;`,
        String.raw`cpmeta:hasEndTime \| \(cpmeta:wasAcquiredBy\/prov:endedAtTime\) \?timeEnd \.`,
      ].join(" "),
      "y",
    ),
    (_m, _w, seen) => !seen.has("main") && !!seen.add("main"),
  ],
  [
    new RegExp(String.raw`\?dobj geo:sfIntersects\/geo:asWKT (${LIT})\^\^geo:wktLiteral \.`, "y"),
    (m, w) => {
      const wkt = unquote(m[1]);
      if (w.polygon !== undefined || wkt === undefined) return false;
      if (!/^\s*POLYGON\s*\(\(([^"]*)\)\)\s*$/.test(wkt)) return false;
      w.polygon = wkt;
      return true;
    },
  ],
  [/filter not exists \{ \[\] cpmeta:isNextVersionOf \?dobj \}/y, (_m, w) => {
    w.latestOnly = true;
    return true;
  }],
  [
    new RegExp(
      String.raw`filter\(regex\(\?fileName, (${LIT}), "i"\)\)`,
      "y",
    ),
    (m, w) => {
      const re = unquote(m[1]);
      // only what a file-name glob becomes: anchors, ".", ".*", escaped and plain characters
      if (
        re === undefined || w.fileRegex ||
        !/^\^?(?:\\[.+^${}()|[\]\\]|\.\*?|[^\\.+*?^${}()|[\]])*\$?$/.test(re)
      ) {
        return false;
      }
      w.fileRegex = new RegExp(re, "iu");
      return true;
    },
  ],
  [
    new RegExp(
      String
        .raw`filter\(\(contains\(lcase\(\?fileName\), (${LIT})\) \|\| exists \{ \?dobj cpmeta:hasKeywords \?kw \. filter\(contains\(lcase\(\?kw\), (${LIT})\)\) \} (?:\|\| \?spec in \((${IRI}(?:, ${IRI})*)\))?\)\)`,
      "y",
    ),
    (m, w) => {
      const a = unquote(m[1]);
      if (a === undefined || a !== unquote(m[2])) return false;
      w.keywords.push({ word: a, specs: new Set(m[3] ? iris(m[3].replaceAll(",", "")) : []) });
      return true;
    },
  ],
  [new RegExp(String.raw`filter\(([^()]*(?:\([^()]*\)[^()]*)?)\)`, "y"), (m, w) => {
    const conds = conditions(m[1]);
    if (!conds) return false;
    w.conds.push(...conds);
    return true;
  }],
];

const CMP = new RegExp(
  String
    .raw`^\?(size|samplingHeight|submTime|timeStart|timeEnd) (<=|>=|<|>|=) (?:(${NUM})|"(${NUM})"\^\^${
    dtype("(integer|long|decimal|float|double)")
  }|"([^"\\]*)"\^\^${dtype("dateTime")})$`,
);

/** `a && b && …` of comparisons, or undefined. */
function conditions(text: string): IndexCond[] | undefined {
  const out: IndexCond[] = [];
  for (const part of text.split(" && ")) {
    const m = CMP.exec(part);
    if (!m) return undefined;
    const prop = m[1] as IndexProp;
    const op = m[2] as IndexCond["op"];
    const date = prop === "submTime" || prop === "timeStart" || prop === "timeEnd";
    // groups: 3 a bare number, 4 a typed one of type 5 or 6, 7 an instant
    if (m[7] !== undefined) {
      if (!date || !/^-?\d{4,}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/.test(m[7])) {
        return undefined;
      }
      out.push({ prop, op, value: Date.parse(m[7]), asFloat: false });
      continue;
    }
    if (date) return undefined;
    const lex = m[3] ?? m[4];
    const type = m[3] !== undefined
      ? /[eE]/.test(lex) ? "double" : /\./.test(lex) ? "decimal" : "integer"
      : m[5] ?? m[6];
    const value = Number(lex);
    if (!Number.isFinite(value)) return undefined;
    out.push({ prop, op, value, asFloat: type !== "double" });
  }
  return out;
}

/** Reads the object pattern; undefined when a part is not one the index knows. */
function parseWhere(body: string): IndexWhere | undefined {
  const w: IndexWhere = {
    stationRequired: false,
    heightRequired: false,
    latestOnly: false,
    conds: [],
    keywords: [],
  };
  const seen = new Set<string>();
  let at = 0;
  const text = body.trim();
  while (at < text.length) {
    if (text[at] === " ") {
      at++;
      continue;
    }
    let matched = false;
    for (const [re, fold] of CLAUSES) {
      re.lastIndex = at;
      const m = re.exec(text);
      if (!m) continue;
      if (!fold(m, w, seen)) return undefined;
      at = re.lastIndex;
      matched = true;
      break;
    }
    if (!matched) return undefined;
  }
  // the spec and the main block must be there; a station list needs the required station
  if (!seen.has("spec") || !seen.has("main")) return undefined;
  if (w.stations && !w.stationRequired) return undefined;
  return w;
}

/** `prefix p: <iri>` declarations at the head, and the rest; undefined on a non-standard one. */
export function prologue(q: string): { body: string } | undefined {
  const re = /^prefix ([\w-]*): (<[^>]*>) /i;
  let rest = q + " ";
  const declared = new Map<string, string>();
  for (let m = re.exec(rest); m; m = re.exec(rest)) {
    declared.set(m[1], m[2].slice(1, -1));
    rest = rest.slice(m[0].length);
  }
  // every namespace the shapes use must be declared as the client declares it (xsd has a default)
  for (const [p, iri] of Object.entries(NS)) {
    const d = declared.get(p);
    if (d !== undefined ? d !== iri : !DEFAULT.has(p) && new RegExp(`\\b${p}:`).test(rest)) {
      return undefined;
    }
  }
  return { body: rest.trim() };
}

const ORDER = String.raw`(?:desc\(\?(\w+)\)|\?(\w+))`;
const OBJ_VARS =
  "?dobj ?spec ?station ?samplingHeight ?fileName ?size ?submTime ?timeStart ?timeEnd";
const ORDER_KEYS = ["size", "samplingHeight", "submTime", "timeStart", "timeEnd", "fileName"];

const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const PAGE = new RegExp(
  "^" + esc(`select ${OBJ_VARS} ?rows ?doi ?licence ?next where { { select ${OBJ_VARS} where {`) +
    " (.*) " + esc("} order by ") + ORDER + esc(" ?dobj offset ") + "(\\d+) limit (\\d+) " +
    esc(
      [
        "} optional { ?dobj cpmeta:hasNumberOfRows ?rows }",
        "optional { ?dobj cpmeta:hasDoi ?doi }",
        "optional { ?dobj cc:license ?licence }",
        "optional { ?next cpmeta:isNextVersionOf ?dobj } } order by ",
      ].join(" "),
    ) + ORDER + esc(" ?dobj") + "$",
);

const LIST = new RegExp(
  "^" + esc(`select ${OBJ_VARS} where {`) + " (.*) " + esc("} order by ") + ORDER +
    " offset (\\d+) limit (\\d+)$",
);

/** The facets query's fixed part after the object pattern (normalised). */
export const FACETS_TAIL = [
  '} } { bind("total" as ?facet) } union { bind("spec" as ?facet) } union { bind("station" as ?facet) }',
  'union { bind("level" as ?facet) ?spec cpmeta:hasDataLevel ?level }',
  'union { bind("project" as ?facet) ?spec cpmeta:hasAssociatedProject ?project }',
  'union { bind("theme" as ?facet) ?spec cpmeta:hasDataTheme ?theme }',
  'union { bind("country" as ?facet) ?st cpmeta:countryCode ?country }',
  'union { bind("samplingHeight" as ?facet) } union { bind("year" as ?facet) }',
  'bind(if(?facet = "spec", ?spec, if(?facet = "station" && ?st != <urn:icoscp:no-station>, ?st,',
  'if(?facet = "level", ?level, if(?facet = "project", ?project,',
  'if(?facet = "theme", ?theme, if(?facet = "country", ?country,',
  'if(?facet = "samplingHeight", ?samplingHeight, if(?facet = "year", concat(str(year(?timeStart)), " ",',
  "str(year(?timeEnd) - if(month(?timeEnd) = 1 && day(?timeEnd) = 1 && hours(?timeEnd) = 0 &&",
  "minutes(?timeEnd) = 0 && seconds(?timeEnd) = 0, 1, 0))),",
  '"")))))))) as ?value) } group by ?facet ?value',
].join(" ");
const FACETS_HEAD =
  "select ?facet ?value (count(?dobj) as ?count) where { { select ?dobj ?spec (coalesce(?station, <urn:icoscp:no-station>) as ?st) ?samplingHeight ?timeStart ?timeEnd where {";

const NEWEST =
  "select (max(?t) as ?newest) where { ?dobj cpmeta:wasSubmittedBy/prov:endedAtTime ?t }";

function order(
  m: RegExpExecArray,
  i: number,
): { key: IndexOrderKey; descending: boolean } | undefined {
  const key = m[i] ?? m[i + 1];
  if (!ORDER_KEYS.includes(key) || key === "samplingHeight") return undefined;
  return { key: key as IndexOrderKey, descending: m[i] !== undefined };
}

/** What a query asks, when it is one of the shapes the index answers. */
export function recogniseQuery(query: string): IndexQuery | undefined {
  const norm = normaliseQuery(query);
  if (norm === undefined) return undefined;
  const p = prologue(norm);
  if (!p) return undefined;
  const body = p.body;
  if (body === NEWEST) return { kind: "newest" };
  if (body.startsWith(FACETS_HEAD) && body.endsWith(FACETS_TAIL)) {
    const where = parseWhere(body.slice(FACETS_HEAD.length, body.length - FACETS_TAIL.length));
    return where && { kind: "facets", where };
  }
  let m = PAGE.exec(body);
  if (m) {
    const o1 = order(m, 2);
    const o2 = order(m, 6);
    const where = parseWhere(m[1]);
    if (!where || !o1 || !o2 || o1.key !== o2.key || o1.descending !== o2.descending) {
      return undefined;
    }
    return { kind: "page", where, ...o1, offset: Number(m[4]), limit: Number(m[5]) };
  }
  m = LIST.exec(body);
  if (m) {
    const o = order(m, 2);
    const where = parseWhere(m[1]);
    if (!where || !o) return undefined;
    return { kind: "list", where, ...o, offset: Number(m[4]), limit: Number(m[5]) };
  }
  return undefined;
}
