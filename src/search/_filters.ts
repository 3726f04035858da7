// Private: the filters people type, checked and resolved against the
// vocabulary into one SPARQL graph pattern shared by the page, the count and
// the facets queries.

import { UnknownValueError } from "../errors.ts";
import { checkOptions } from "../_util/args.ts";
import { lookupCountry } from "../discovery/country.ts";
import { iri, literal } from "../sparql/terms.ts";
import type { SpecInfo, StationInfo, Vocabulary } from "./_vocabulary.ts";

import type { OneOrMany } from "../dobj/meta_types.ts";

/**
 * What to search for. Every filter is optional; all given must hold. Text
 * values match in any case; a list means "any of".
 */
export interface SearchFilters {
  /** Station ids (`GAT`, `SE-Htm`) or station URIs. */
  station?: OneOrMany<string>;
  /** Data types: spec URI, label (`ICOS ATC CO2 Release`) or short name (`atcCo2L2DataObject`). */
  spec?: OneOrMany<string>;
  /** Variables (column titles such as `co2`, `ch4`, `TA_F`): objects whose spec has that column. */
  variable?: OneOrMany<string>;
  /** Data levels, 0 to 3. */
  level?: OneOrMany<number>;
  /** Projects: URI, label (`ICOS`) or short name (`icos`). */
  project?: OneOrMany<string>;
  /** Themes: `AS`/`atmosphere`, `ES`/`ecosystem`, `OS`/`ocean`, a theme label or URI. */
  theme?: OneOrMany<string>;
  /** Countries of the station, in any spelling `lookupCountry` takes (`DE`, `DEU`, `Germany`). */
  country?: OneOrMany<string>;
  /** ICOS station classes: `1`, `2`, `Associated`. */
  stationClass?: OneOrMany<string | number>;
  /** A sampling height in metres, or a range `[min, max]`. */
  samplingHeight?: number | readonly [number, number];
  /** File size in bytes: at least this, or a range `[min, max]`. */
  size?: number | readonly [number, number];
  /** Objects whose coverage ends on or after this time. */
  from?: Date | string;
  /** Objects whose coverage starts on or before this time. */
  to?: Date | string;
  /** Objects submitted at or after this time. */
  submittedAfter?: Date | string;
  /** Objects submitted at or before this time. */
  submittedBefore?: Date | string;
  /** Words: keywords of the object, its spec or project, or text in its file name. */
  keyword?: OneOrMany<string>;
  /** `[minLon, minLat, maxLon, maxLat]` or a WKT `POLYGON((lon lat, …))`: coverage intersects it. */
  bbox?: readonly [number, number, number, number] | string;
  /** A collection: its DOI (`10.18160/…`) or URI. */
  collection?: string;
  /** A file-name pattern with `*` and `?` (any case). */
  fileName?: string;
  /** Object ids, PIDs or landing-page URIs. */
  pids?: OneOrMany<string>;
  /** Only objects without a newer version. Default true. */
  latestOnly?: boolean;
  /** Near-real-time objects only (true) or none (false). */
  nrt?: boolean;
}

/** The names of every filter. */
export const FILTER_NAMES: readonly (keyof SearchFilters)[] = [
  "station",
  "spec",
  "variable",
  "level",
  "project",
  "theme",
  "country",
  "stationClass",
  "samplingHeight",
  "size",
  "from",
  "to",
  "submittedAfter",
  "submittedBefore",
  "keyword",
  "bbox",
  "collection",
  "fileName",
  "pids",
  "latestOnly",
  "nrt",
];

/** Filters checked and resolved to URIs and literals. */
export interface ResolvedFilters {
  specs?: string[];
  stations?: string[];
  heightRange?: [number, number];
  sizeRange?: [number, number];
  from?: Date;
  to?: Date;
  submittedAfter?: Date;
  submittedBefore?: Date;
  keywords?: { words: string[]; specs: string[] }[];
  polygon?: string;
  collection?: string;
  fileRegex?: string;
  pids?: string[];
  latestOnly: boolean;
}

const list = <T>(v: OneOrMany<T> | undefined): T[] =>
  v === undefined ? [] : Array.isArray(v) ? [...v as readonly T[]] : [v as T];

const THEME_ALIASES: Record<string, string> = {
  as: "atmosphere",
  atm: "atmosphere",
  atmospheric: "atmosphere",
  es: "ecosystem",
  eco: "ecosystem",
  os: "ocean",
  oce: "ocean",
  oceanic: "ocean",
};

const localName = (uri: string) => uri.replace(/^.*[/#]/, "");
const unique = <T>(xs: T[]) => [...new Set(xs)];

function date(name: string, value: Date | string): Date {
  const d = value instanceof Date ? value : typeof value === "string" ? new Date(value) : undefined;
  if (!d || Number.isNaN(d.getTime())) {
    throw new UnknownValueError(name, value, {
      valid: ["a Date or an ISO 8601 date or time such as 2020-01-01 or 2020-01-01T12:00:00Z"],
    });
  }
  return d;
}

/** Specs matching one typed value (URI, short name or label, any case; theme/project by alias). */
function matchSpecs(
  specs: readonly SpecInfo[],
  name: string,
  value: unknown,
  key: (s: SpecInfo) => string[],
  valid: (s: SpecInfo) => string,
): string[] {
  if (typeof value !== "string" || !value.trim()) {
    throw new UnknownValueError(name, value, { valid: unique(specs.map(valid)).sort() });
  }
  const v = value.trim().toLowerCase();
  const hit = specs.filter((s) => key(s).some((k) => k.toLowerCase() === v)).map((s) => s.uri);
  if (!hit.length) {
    throw new UnknownValueError(name, value, { valid: unique(specs.map(valid)).sort() });
  }
  return hit;
}

const intersect = (a: string[] | undefined, b: string[]) =>
  a === undefined ? b : a.filter((x) => b.includes(x));

/** The object id in a bare id, a PID or a landing-page URI. */
function objectIdIn(ref: unknown): string {
  const m = typeof ref === "string" ? /([A-Za-z0-9_-]{24})\/?$/.exec(ref.trim()) : null;
  if (!m) {
    throw new UnknownValueError("pids", ref, {
      valid: ["a 24-character object id, a PID 11676/<id> or a landing-page URI"],
    });
  }
  return m[1];
}

function polygonOf(bbox: unknown): string {
  if (typeof bbox === "string") {
    if (
      !/^\s*POLYGON\s*\(\(\s*-?[\d.]+\s+-?[\d.]+(\s*,\s*-?[\d.]+\s+-?[\d.]+)+\s*\)\)\s*$/i.test(
        bbox,
      )
    ) {
      throw new UnknownValueError("bbox", bbox, {
        valid: ["[minLon, minLat, maxLon, maxLat]", "a WKT POLYGON((lon lat, …))"],
      });
    }
    return bbox.trim();
  }
  const b = bbox as number[];
  if (
    !Array.isArray(b) || b.length !== 4 || !b.every((x) => typeof x === "number" && isFinite(x)) ||
    b[0] > b[2] || b[1] > b[3] || Math.abs(b[1]) > 90 || Math.abs(b[3]) > 90
  ) {
    throw new UnknownValueError("bbox", bbox, {
      valid: ["[minLon, minLat, maxLon, maxLat] with min ≤ max", "a WKT POLYGON((lon lat, …))"],
    });
  }
  const [x0, y0, x1, y1] = b;
  return `POLYGON((${x0} ${y0}, ${x1} ${y0}, ${x1} ${y1}, ${x0} ${y1}, ${x0} ${y0}))`;
}

/**
 * Checks every filter and resolves it against the vocabulary. Unknown
 * filter names and values are {@linkcode UnknownValueError}s naming the
 * valid ones.
 */
export async function resolveFilters(
  filters: SearchFilters,
  vocab: Vocabulary,
  resolveCollection: (doiOrUri: string) => Promise<string>,
): Promise<ResolvedFilters> {
  // a misspelt filter is an UnknownOptionError naming the nearest one (Python's snake_case too)
  filters = checkOptions("search", filters, FILTER_NAMES, {
    sampling_height: "samplingHeight",
    station_class: "stationClass",
    file_name: "fileName",
    latest_only: "latestOnly",
    submitted_after: "submittedAfter",
    submitted_before: "submittedBefore",
    datatype: "spec",
  });
  const specsAll = vocab.specs;
  let specs: string[] | undefined;
  const narrow = (uris: string[]) => (specs = intersect(specs, unique(uris)));

  const specValues = list(filters.spec);
  if (specValues.length) {
    narrow(
      specValues.flatMap((v) =>
        matchSpecs(specsAll, "spec", v, (s) => [s.uri, s.name, s.label], (s) => s.name)
      ),
    );
  }
  const levels = list(filters.level);
  if (levels.length) {
    const valid = unique(specsAll.map((s) => String(s.level))).sort();
    narrow(levels.flatMap((l) => {
      const n = typeof l === "string" ? Number(l) : l;
      if (!Number.isInteger(n) || !valid.includes(String(n))) {
        throw new UnknownValueError("level", l, { valid });
      }
      return specsAll.filter((s) => s.level === n).map((s) => s.uri);
    }));
  }
  const projects = list(filters.project);
  if (projects.length) {
    narrow(projects.flatMap((v) =>
      matchSpecs(
        specsAll,
        "project",
        v,
        (s) => [s.project, localName(s.project), s.projectLabel],
        (s) => localName(s.project),
      )
    ));
  }
  const themes = list(filters.theme);
  if (themes.length) {
    narrow(themes.flatMap((v) =>
      matchSpecs(
        specsAll,
        "theme",
        typeof v === "string" ? THEME_ALIASES[v.trim().toLowerCase()] ?? v : v,
        (s) => [s.theme, localName(s.theme), s.themeLabel],
        (s) => localName(s.theme),
      )
    ));
  }
  const variables = list(filters.variable);
  if (variables.length) {
    const valid = unique(specsAll.flatMap((s) => s.columns)).sort();
    narrow(variables.flatMap((v) => {
      const c = typeof v === "string" ? v.trim().toLowerCase() : "";
      if (!valid.includes(c)) throw new UnknownValueError("variable", v, { valid });
      return specsAll.filter((s) => s.columns.includes(c)).map((s) => s.uri);
    }));
  }
  if (filters.nrt !== undefined) {
    if (typeof filters.nrt !== "boolean") {
      throw new UnknownValueError("nrt", filters.nrt, { valid: ["true", "false"] });
    }
    const isNrt = (s: SpecInfo) => s.level === 1 || /\bnrt\b/i.test(s.label);
    narrow(specsAll.filter((s) => isNrt(s) === filters.nrt).map((s) => s.uri));
  }

  let stations: string[] | undefined;
  const narrowSt = (uris: string[]) => (stations = intersect(stations, unique(uris)));
  const stationValues = list(filters.station);
  if (stationValues.length) {
    narrowSt(stationValues.flatMap((v) => {
      const t = typeof v === "string" ? v.trim().toLowerCase() : "";
      const hit = vocab.stations.filter((s) => s.id.toLowerCase() === t || s.uri === v);
      if (!hit.length) {
        throw new UnknownValueError("station", v, {
          valid: unique(vocab.stations.map((s) => s.id)).sort(),
        });
      }
      return hit.map((s) => s.uri);
    }));
  }
  const countries = list(filters.country);
  if (countries.length) {
    const codes: string[] = [];
    for (const c of countries) {
      const text = typeof c === "string" ? c.trim() : "";
      const found = text
        ? (await lookupCountry({ code: text })).concat(
          /^[A-Za-z]{2,3}$/.test(text) ? [] : await lookupCountry({ name: text }),
        )
        : [];
      const known = unique(vocab.stations.map((s) => s.country).filter((x) => x) as string[]);
      const cc = unique(found.map((f) => String(f.cca2).toUpperCase()));
      if (!cc.length) {
        throw new UnknownValueError("country", c, { valid: known.sort() });
      }
      codes.push(...cc);
    }
    narrowSt(
      vocab.stations.filter((s) => s.country && codes.includes(s.country)).map((s) => s.uri),
    );
  }
  const classes = list(filters.stationClass);
  if (classes.length) {
    const valid = unique(vocab.stations.map((s) => s.stationClass).filter((x) => x) as string[])
      .sort();
    narrowSt(classes.flatMap((c) => {
      const t = String(c).trim().toLowerCase();
      const hit = vocab.stations.filter((s: StationInfo) => s.stationClass?.toLowerCase() === t);
      if (!valid.some((v) => v.toLowerCase() === t)) {
        throw new UnknownValueError("stationClass", c, { valid });
      }
      return hit.map((s) => s.uri);
    }));
  }

  let heightRange: [number, number] | undefined;
  const h = filters.samplingHeight;
  if (h !== undefined) {
    const ok = (x: unknown) => typeof x === "number" && Number.isFinite(x);
    if (ok(h)) heightRange = [h as number, h as number];
    else if (Array.isArray(h) && h.length === 2 && ok(h[0]) && ok(h[1]) && h[0] <= h[1]) {
      heightRange = [h[0], h[1]];
    } else {
      throw new UnknownValueError("samplingHeight", h, {
        valid: ["a number of metres", "a range [min, max] with min ≤ max"],
      });
    }
  }

  let sizeRange: [number, number] | undefined;
  const z = filters.size;
  if (z !== undefined) {
    const ok = (x: unknown) => typeof x === "number" && Number.isFinite(x) && x >= 0;
    if (ok(z)) sizeRange = [z as number, Infinity];
    else if (Array.isArray(z) && z.length === 2 && ok(z[0]) && ok(z[1]) && z[0] <= z[1]) {
      sizeRange = [z[0], z[1]];
    } else {
      throw new UnknownValueError("size", z, {
        valid: ["a minimum number of bytes", "a range [min, max] with min ≤ max"],
      });
    }
  }

  const keywordValues = list(filters.keyword);
  const keywords = keywordValues.map((k) => {
    if (typeof k !== "string" || !k.trim()) {
      throw new UnknownValueError("keyword", k, { valid: ["a non-empty word"] });
    }
    const w = k.trim().toLowerCase();
    return {
      words: [w],
      specs: specsAll.filter((s) => s.keywords.some((x) => x.includes(w))).map((s) => s.uri),
    };
  });

  let fileRegex: string | undefined;
  if (filters.fileName !== undefined) {
    if (typeof filters.fileName !== "string" || !filters.fileName) {
      throw new UnknownValueError("fileName", filters.fileName, {
        valid: ["a pattern such as ICOS_ATC_*_CO2.zip"],
      });
    }
    fileRegex = "^" +
      filters.fileName.replace(/[.+^${}()|[\]\\]/g, "\\$&").replaceAll("*", ".*").replaceAll(
        "?",
        ".",
      ) + "$";
  }
  const latestOnly = filters.latestOnly ?? true;
  if (typeof latestOnly !== "boolean") {
    throw new UnknownValueError("latestOnly", latestOnly, { valid: ["true", "false"] });
  }
  const pidValues = list(filters.pids);
  return {
    ...(specs ? { specs } : {}),
    ...(stations ? { stations } : {}),
    ...(heightRange ? { heightRange } : {}),
    ...(sizeRange ? { sizeRange } : {}),
    ...(filters.from !== undefined ? { from: date("from", filters.from) } : {}),
    ...(filters.to !== undefined ? { to: date("to", filters.to) } : {}),
    ...(filters.submittedAfter !== undefined
      ? { submittedAfter: date("submittedAfter", filters.submittedAfter) }
      : {}),
    ...(filters.submittedBefore !== undefined
      ? { submittedBefore: date("submittedBefore", filters.submittedBefore) }
      : {}),
    ...(keywords.length ? { keywords } : {}),
    ...(filters.bbox !== undefined ? { polygon: polygonOf(filters.bbox) } : {}),
    ...(filters.collection !== undefined
      ? { collection: await resolveCollection(filters.collection) }
      : {}),
    ...(fileRegex ? { fileRegex } : {}),
    ...(pidValues.length ? { pids: unique(pidValues.map(objectIdIn)) } : {}),
    latestOnly,
  };
}

const dt = (d: Date) => literal(d.toISOString(), { datatype: "dateTime" }).text;

/**
 * The graph pattern of the matching objects, binding `?dobj ?spec ?station
 * ?samplingHeight ?fileName ?size ?submTime ?timeStart ?timeEnd`. An empty
 * spec or station list matches nothing (`values` with no rows).
 */
export function wherePattern(f: ResolvedFilters, objectPrefix: string): string {
  const lines: string[] = [];
  if (f.pids) lines.push(`values ?dobj { ${f.pids.map((p) => iri(objectPrefix + p)).join(" ")} }`);
  if (f.collection) lines.push(`${iri(f.collection)} dcterms:hasPart ?dobj .`);
  if (f.specs) lines.push(`values ?spec { ${f.specs.map((s) => iri(s).text).join(" ")} }`);
  lines.push("?dobj cpmeta:hasObjectSpec ?spec .");
  if (f.stations) {
    lines.push(`values ?station { ${f.stations.map((s) => iri(s).text).join(" ")} }`);
    lines.push("?dobj cpmeta:wasAcquiredBy/prov:wasAssociatedWith ?station .");
  } else {
    lines.push("optional { ?dobj cpmeta:wasAcquiredBy/prov:wasAssociatedWith ?station }");
  }
  if (f.heightRange) {
    lines.push("?dobj cpmeta:wasAcquiredBy/cpmeta:hasSamplingHeight ?samplingHeight .");
  } else {
    lines.push("optional { ?dobj cpmeta:wasAcquiredBy/cpmeta:hasSamplingHeight ?samplingHeight }");
  }
  lines.push(
    "?dobj cpmeta:hasSizeInBytes ?size ; cpmeta:hasName ?fileName ;",
    "  cpmeta:wasSubmittedBy/prov:endedAtTime ?submTime ;",
    "  cpmeta:hasStartTime | (cpmeta:wasAcquiredBy/prov:startedAtTime) ?timeStart ;",
    "  cpmeta:hasEndTime | (cpmeta:wasAcquiredBy/prov:endedAtTime) ?timeEnd .",
  );
  if (f.polygon) {
    lines.push(`?dobj geo:sfIntersects/geo:asWKT ${literal(f.polygon).text}^^geo:wktLiteral .`);
  }
  if (f.latestOnly) lines.push("filter not exists { [] cpmeta:isNextVersionOf ?dobj }");
  const conds: string[] = [];
  if (f.heightRange) {
    const [a, b] = f.heightRange;
    conds.push(`?samplingHeight >= ${a} && ?samplingHeight <= ${b}`);
  }
  if (f.sizeRange) {
    const [a, b] = f.sizeRange;
    conds.push(`?size >= ${a}${Number.isFinite(b) ? ` && ?size <= ${b}` : ""}`);
  }
  if (f.from) conds.push(`?timeEnd >= ${dt(f.from)}`);
  if (f.to) conds.push(`?timeStart <= ${dt(f.to)}`);
  if (f.submittedAfter) conds.push(`?submTime >= ${dt(f.submittedAfter)}`);
  if (f.submittedBefore) conds.push(`?submTime <= ${dt(f.submittedBefore)}`);
  if (f.fileRegex) conds.push(`regex(?fileName, ${literal(f.fileRegex).text}, "i")`);
  for (const k of f.keywords ?? []) {
    const w = literal(k.words[0]).text;
    const parts = [
      `contains(lcase(?fileName), ${w})`,
      `exists { ?dobj cpmeta:hasKeywords ?kw . filter(contains(lcase(?kw), ${w})) }`,
    ];
    if (k.specs.length) parts.push(`?spec in (${k.specs.map((s) => iri(s).text).join(", ")})`);
    conds.push(`(${parts.join(" || ")})`);
  }
  for (const c of conds) lines.push(`filter(${c})`);
  return lines.map((l) => `  ${l}`).join("\n");
}
