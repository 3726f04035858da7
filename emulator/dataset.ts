/**
 * The emulator's built-in dataset: real ICOS station facts with synthetic,
 * physically plausible data, generated deterministically from a seed by this
 * code (nothing is copied from the real portal). Object ids are minted from
 * the SHA-256 of each object's file bytes, exactly like the portal does.
 *
 * @module
 */

import { decodeBase64 } from "@icoscp/icoscp/codecs";
import { encodeCpb } from "@icoscp/icoscp/codecs";
import type { CpbType } from "@icoscp/icoscp/codecs";
import { LICENCES, type StationFact } from "./_catalog.ts";
import { STATIONS } from "./_station_facts.ts";
import { base64url, idOfHash, sha256 } from "./_hash.ts";
import { benchmarkSize } from "./_dataset_files.ts";
import { COLLECTIONS, type MemberRule, OBJECTS } from "./_dataset_table.ts";
import { generateCatalogue } from "./_catalogue.ts";
import { authorList, benchmarkDraft, columnsOf, draftOf, level3Draft } from "./_drafts.ts";

/** Options of {@linkcode buildDataset}. */
export interface DatasetOptions {
  /** Seed of the synthetic data. Same seed, same bytes, same ids. Default 42. */
  seed?: number;
  /**
   * Row counts of extra benchmark-sized ATC CO2 objects (one-minute series at
   * Gartow), e.g. `[1e6, 1e7]`. None by default; their binary tables are
   * built on first use.
   */
  benchmarkRows?: readonly number[];
  /**
   * Add a level-3 daily CO2 flux NetCDF of realistic size (about 47 MB,
   * one day after another) to the spatial objects, generated when the dataset is
   * built. Default false.
   */
  level3?: boolean;
  /**
   * Size of a generated catalogue: about this many objects in all (hundreds
   * of synthetic stations in many countries, several specs per theme and
   * level, yearly releases and NRT objects, deprecated versions, keywords,
   * collections with DOIs). Only metadata stay in memory; each generated
   * object's file is rendered when asked for. Default: none, the small
   * dataset alone.
   */
  objects?: number;
}

/** Stored values of a column: dates as ms since epoch, chars as UTF-16 code units. */
export type DatasetColumnValues = Float64Array | Float32Array | Int32Array | Uint16Array;

/** One column of a tabular data object, as stored in its `.cpb` file. */
export interface DatasetColumn {
  /** Column label (the actual column name). */
  readonly label: string;
  /** Local name of the dataset column resource (`resources/cpmeta/<model>`). */
  readonly model: string;
  /** Local name of the value format in the cpmeta ontology, e.g. `float32`. */
  readonly valueFormat: string;
  /** The cpb storage type. */
  readonly type: CpbType;
  /** Labels of the columns this flag column qualifies. */
  readonly flagFor: readonly string[];
  /** The stored values (dates as ms since epoch, chars as UTF-16 code units). */
  readonly values: DatasetColumnValues;
}

/** A data or document object of the dataset. */
export interface DatasetObject {
  /** 24-character id (base64url of the first 18 bytes of the SHA-256). */
  readonly id: string;
  /** Full SHA-256 as base64url without padding (43 characters). */
  readonly hash: string;
  /** `"data"` or `"document"`. */
  readonly kind: "data" | "document";
  /** Original file name. */
  readonly fileName: string;
  /** Size of the original file in bytes. */
  readonly size: number;
  /** Local name of the data object specification (data objects). */
  readonly spec?: string;
  /** Local name of the station (`AS_GAT`), when station-specific. */
  readonly station?: string;
  /** Sampling height in metres. */
  readonly samplingHeight?: number;
  /** Start of the temporal coverage (ISO instant). */
  readonly start: string;
  /** End of the temporal coverage (ISO instant). */
  readonly end: string;
  /** Submission start and end (ISO instants). */
  readonly submitted: { readonly start: string; readonly end: string };
  /** Number of table rows (tabular objects). */
  readonly nRows?: number;
  /** Columns sorted by label, as stored in the `.cpb` file (tabular objects). */
  readonly columns?: readonly DatasetColumn[];
  /** The object's actual column names, when its metadata lists them. */
  readonly actualColumnNames?: readonly string[];
  /** Licence: the ICOS CC BY 4.0 data licence, or CC0. */
  readonly licence: "icos" | "cc0";
  /** Id of the older version this object replaces. */
  readonly previousVersion?: string;
  /** Id of the newer version that replaces this one (then this one is deprecated). */
  readonly nextVersion?: string;
  /** Free keywords of the object itself (the spec's and project's come on top). */
  readonly keywords?: readonly string[];
  /** Title (spatio-temporal objects) or description (documents). */
  readonly title?: string;
  /** Description. */
  readonly description?: string;
  /** Spatial coverage of spatio-temporal objects. */
  readonly box?: {
    readonly minLat: number;
    readonly minLon: number;
    readonly maxLat: number;
    readonly maxLon: number;
  };
  /** Temporal resolution of spatio-temporal objects. */
  readonly resolution?: string;
  /** Plain-text citation. */
  readonly citation?: string;
  /** DOI, when it has one. */
  readonly doi?: string;
  /** Keys of the people credited as authors. */
  readonly authors: readonly string[];
  /** Time the data was produced (ISO instant). */
  readonly produced?: string;
  /** The original file bytes (built on first use for benchmark objects). */
  file(): Uint8Array;
  /** The `.cpb` file bytes (tabular objects; built on first use). */
  cpb(): Uint8Array;
}

/** A static collection of the dataset. */
export interface DatasetCollection {
  /** 24-character id. */
  readonly id: string;
  /** Full hash, base64url (43 characters). */
  readonly hash: string;
  /** Title. */
  readonly title: string;
  /** Description. */
  readonly description: string;
  /** DOI, when it has one. */
  readonly doi?: string;
  /** Citation string (with the DOI). */
  readonly citation?: string;
  /** Ids of the members: data objects, documents or collections. */
  readonly members: readonly string[];
}

/** The whole generated dataset. */
export interface Dataset {
  /** The seed used. */
  readonly seed: number;
  /** The stations (real facts). */
  readonly stations: readonly StationFact[];
  /** Data and document objects. */
  readonly objects: readonly DatasetObject[];
  /** Collections. */
  readonly collections: readonly DatasetCollection[];
}

export type { StationFact } from "./_catalog.ts";

/**
 * Builds the dataset: stations, data objects (ATC CO2/CH4 levels 1 and 2
 * with a version chain, an ETC half-hourly flux product, a spatial NetCDF),
 * a document and collections with DOIs. Takes a few hundred milliseconds.
 *
 * @param options Seed and optional benchmark sizes.
 * @returns The dataset.
 *
 * @example Same seed, same ids
 * ```ts
 * import { buildDataset } from "@icoscp/emulator";
 * import assert from "node:assert/strict";
 *
 * const a = await buildDataset({ seed: 7 });
 * const b = await buildDataset({ seed: 7 });
 * assert.deepEqual(a.objects.map((o) => o.id), b.objects.map((o) => o.id));
 * assert.equal(a.objects[0].id.length, 24);
 * ```
 */
export async function buildDataset(options: DatasetOptions = {}): Promise<Dataset> {
  const seed = options.seed ?? 42;
  const drafts = OBJECTS.map((row) => draftOf(row, seed));
  for (const rows of options.benchmarkRows ?? []) drafts.push(benchmarkDraft(rows, seed));
  if (options.level3) drafts.push(level3Draft(seed));

  const objects: DatasetObject[] = [];
  for (const d of drafts) {
    const hashBytes = d.hashBytes ?? await sha256(d.bytes!);
    const id = idOfHash(hashBytes);
    const columns = d.table && d.spec ? columnsOf(d.spec, d.table) : undefined;
    let cpbCache: Uint8Array | undefined;
    let fileCache = d.bytes;
    const year = d.submitted.end.slice(0, 4);
    const citation = d.citationTail
      ? `${
        d.authors.length ? `${authorList(d.authors)} (${year}). ` : `(${year}). `
      }${d.citationTail}, ${d.licence === "icos" ? "ICOS RI" : "ICOS Carbon Portal emulator"}, ${
        d.doi ? `https://doi.org/${d.doi}` : `https://hdl.handle.net/11676/${id}`
      }`
      : undefined;
    objects.push({
      id,
      hash: base64url(hashBytes),
      kind: d.kind,
      fileName: d.fileName,
      size: d.bytes?.length ?? benchmarkSize(d.table!.rows),
      spec: d.spec,
      station: d.station?.key,
      samplingHeight: d.samplingHeight,
      start: d.start,
      end: d.end,
      submitted: d.submitted,
      nRows: d.table?.rows,
      columns,
      actualColumnNames: d.actualColumnNames,
      licence: d.licence,
      title: d.title,
      description: d.description,
      box: d.box,
      resolution: d.resolution,
      citation,
      ...(d.doi ? { doi: d.doi } : {}),
      authors: d.authors,
      produced: d.produced,
      file: () => (fileCache ??= d.render!()),
      cpb: () => {
        if (!columns) throw new TypeError(`Object ${id} is not tabular`);
        return (cpbCache ??= encodeCpb(columns.map((c) => ({ type: c.type, values: c.values }))));
      },
    });
  }
  OBJECTS.forEach((row, newer) => {
    if (row.source !== "atc" || row.replaces === undefined) return;
    const older = OBJECTS.findIndex((r) => r.source === "atc" && r.name === row.replaces);
    const o = objects[older] as { -readonly [K in keyof DatasetObject]: DatasetObject[K] };
    const n = objects[newer] as { -readonly [K in keyof DatasetObject]: DatasetObject[K] };
    o.nextVersion = n.id;
    n.previousVersion = o.id;
  });

  const latest = objects.filter((o) => !o.nextVersion);
  const collections: DatasetCollection[] = [];
  const named = new Map<string, DatasetCollection>();
  const membersOf = (rule: MemberRule): string[] => {
    if ("collection" in rule) return [named.get(rule.collection)!.id];
    if ("documents" in rule) return objects.filter((o) => o.kind === "document").map((o) => o.id);
    return latest.filter((o) =>
      o.spec === rule.spec && (rule.station === undefined || o.station === rule.station) &&
      !o.fileName.includes("BENCHMARK")
    ).map((o) => o.id);
  };
  for (const row of COLLECTIONS) {
    const members = row.members.flatMap(membersOf);
    const hashes = members.map((m) =>
      objects.find((o) => o.id === m)?.hash ?? collections.find((k) => k.id === m)!.hash
    ).sort();
    const bin = new Uint8Array(hashes.length * 32);
    hashes.forEach((h, i) => bin.set(decodeHash(h), i * 32));
    const hashBytes = await sha256(bin);
    const coll: DatasetCollection = {
      title: row.title,
      description: row.description,
      ...(row.doi ? { doi: row.doi } : {}),
      members,
      id: idOfHash(hashBytes),
      hash: base64url(hashBytes),
      citation: row.doi
        ? `${authorList(row.authors)} (2024). ${row.title}, ICOS RI, https://doi.org/${row.doi}`
        : undefined,
    };
    collections.push(coll);
    named.set(row.name, coll);
  }
  if (options.objects !== undefined) {
    const gen = generateCatalogue(Math.max(0, options.objects - objects.length), seed);
    return {
      seed,
      stations: [...STATIONS, ...gen.stations],
      objects: [...objects, ...gen.objects],
      collections: [...collections, ...gen.collections],
    };
  }
  return { seed, stations: STATIONS, objects, collections };
}

function decodeHash(h: string): Uint8Array {
  const bytes = decodeBase64(h);
  if (!bytes) throw new TypeError(`Not a base64 hash: ${h}`);
  return bytes;
}

/** The licence record of an object (landing-page `references.licence`). */
export function licenceOf(o: DatasetObject): (typeof LICENCES)[keyof typeof LICENCES] {
  return LICENCES[o.licence];
}
