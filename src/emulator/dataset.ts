/**
 * The emulator's built-in dataset: real ICOS station facts with synthetic,
 * physically plausible data, generated deterministically from a seed by this
 * code (nothing is copied from the real portal). Object ids are minted from
 * the SHA-256 of each object's file bytes, exactly like the portal does.
 *
 * @module
 */

import { encodeCpb } from "../cpb_encode.ts";
import type { CpbType } from "../_cpb_layout.ts";
import { createHash } from "node:crypto";
import {
  type ColumnFact,
  DATASETS,
  LICENCES,
  PEOPLE,
  SPECS,
  type StationFact,
  STATIONS,
  VALUE_FORMATS,
} from "./_catalog.ts";
import { base64url, idOfHash, sha256 } from "./_hash.ts";
import { writeNetcdf } from "./_netcdf.ts";
import { prng, subSeed } from "./_prng.ts";
import {
  atcSeries,
  benchmarkColumns,
  ETC_COLUMNS,
  etcSeries,
  type GeneratedTable,
} from "./_observation_series.ts";
import { zipStored } from "./_zip.ts";

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

const HOUR = 3_600_000;
const iso = (t: number) => new Date(t).toISOString().replace(".000Z", "Z");

interface Draft {
  kind: "data" | "document";
  fileName: string;
  bytes?: Uint8Array;
  hashBytes?: Uint8Array;
  render?: () => Uint8Array;
  spec?: string;
  station?: StationFact;
  samplingHeight?: number;
  start: string;
  end: string;
  submitted: { start: string; end: string };
  table?: GeneratedTable;
  actualColumnNames?: string[];
  licence: "icos" | "cc0";
  title?: string;
  description?: string;
  box?: DatasetObject["box"];
  resolution?: string;
  authors: string[];
  produced?: string;
  citationTail?: string;
  doi?: string;
}

function columnsOf(spec: string, table: GeneratedTable): DatasetColumn[] {
  const facts = DATASETS[SPECS[spec].dataset].columns;
  const byTitle = new Map<string, ColumnFact>(facts.map((f) => [f.title, f]));
  const labels = Object.keys(table.columns).filter((l) => byTitle.has(l)).sort();
  return labels.map((label) => {
    const f = byTitle.get(label)!;
    const flagFor = (f.flagFor ?? [])
      .map((m) => facts.find((c) => c.key === m)?.title)
      .filter((t): t is string => t !== undefined && labels.includes(t));
    return {
      label,
      model: f.key,
      valueFormat: f.valueFormat,
      type: VALUE_FORMATS[f.valueFormat].cpb,
      flagFor,
      values: table.columns[label],
    };
  });
}

function authorList(keys: readonly string[]): string {
  return keys.map((k) => `${PEOPLE[k].last}, ${PEOPLE[k].first[0]}.`).join(", ");
}

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
 * import { buildDataset } from "@icoscp/icoscp/emulator";
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
  const station = (key: string) => STATIONS.find((s) => s.key === key)!;
  const drafts: Draft[] = [];
  const versionPairs: [number, number][] = [];
  const enc = new TextEncoder();

  const atc = (
    spec: string,
    key: string,
    height: number,
    gas: "co2" | "ch4",
    from: number,
    hours: number,
    release: string,
    offset: number,
    submitted: string,
  ): number => {
    const st = station(key);
    const nrt = SPECS[spec].level === 1;
    const base = nrt
      ? `ICOS_ATC_NRT_${st.id}_${iso(from).slice(0, 10)}_${
        iso(from + (hours - 1) * HOUR).slice(0, 10)
      }_${height.toFixed(1)}_${gas.toUpperCase()}`
      : `ICOS_ATC_L2_${release}_${st.id}_${height.toFixed(1)}_CTS_${gas.toUpperCase()}`;
    const table = atcSeries({
      gas,
      stationId: st.id,
      stationName: st.name,
      lat: st.lat,
      lon: st.lon,
      elevation: st.elevation ?? 0,
      height,
      start: from,
      hours,
      nrt,
      offset,
      fileName: `${base}.csv`,
    }, prng(subSeed(seed, `${spec}/${key}/${height}/${release}`)));
    const end = from + (hours - 1) * HOUR;
    const bytes = zipStored([{
      name: `${base}.csv`,
      data: enc.encode(table.text),
      time: new Date(Date.parse(submitted)),
    }]);
    drafts.push({
      kind: "data",
      fileName: `${base}.zip`,
      bytes,
      spec,
      station: st,
      samplingHeight: height,
      start: iso(from),
      end: iso(end),
      submitted: { start: submitted, end: iso(Date.parse(submitted) + 61_000) },
      table,
      licence: "icos",
      authors: [st.pi, "Robin_Model"].filter((v, i, a) => a.indexOf(v) === i),
      produced: iso(Date.parse(submitted) - 7 * 24 * HOUR),
      citationTail: `${SPECS[spec].label}, ${st.name} (${height.toFixed(1)} m), ${
        iso(from).slice(0, 10)
      }–${iso(end).slice(0, 10)}`,
    });
    return drafts.length - 1;
  };

  const y2022 = Date.UTC(2022, 0, 1);
  const yearHours = 365 * 24;
  const gatV1 = atc(
    "atcCo2L2DataObject",
    "AS_GAT",
    341,
    "co2",
    y2022,
    yearHours,
    "L2-2023.1",
    0,
    "2023-06-15T10:12:30Z",
  );
  const gatV2 = atc(
    "atcCo2L2DataObject",
    "AS_GAT",
    341,
    "co2",
    y2022,
    yearHours,
    "L2-2024.1",
    0.06,
    "2024-06-14T09:30:00Z",
  );
  versionPairs.push([gatV1, gatV2]);
  atc(
    "atcCh4L2DataObject",
    "AS_GAT",
    341,
    "ch4",
    y2022,
    yearHours,
    "L2-2024.1",
    0,
    "2024-06-14T09:31:00Z",
  );
  atc(
    "atcCo2L2DataObject",
    "AS_HTM",
    150,
    "co2",
    y2022,
    yearHours,
    "L2-2024.1",
    0,
    "2024-06-14T09:32:00Z",
  );
  atc(
    "atcCo2L2DataObject",
    "AS_NOR",
    100,
    "co2",
    y2022,
    yearHours,
    "L2-2024.1",
    0,
    "2024-06-14T09:33:00Z",
  );
  atc(
    "atcCo2L2DataObject",
    "AS_ZSF",
    3,
    "co2",
    y2022,
    yearHours,
    "L2-2024.1",
    0,
    "2024-06-14T09:34:00Z",
  );
  atc(
    "atcCo2NrtGrowingDataObject",
    "AS_GAT",
    341,
    "co2",
    Date.UTC(2024, 0, 1),
    31 * 24,
    "NRT",
    0,
    "2024-02-01T03:00:00Z",
  );

  // Ecosystem half-hourly fluxes, June 2022 at SE-Htm.
  {
    const st = station("ES_SE-Htm");
    const startLocal = Date.UTC(2022, 5, 1);
    const table = etcSeries({
      lat: st.lat,
      lon: st.lon,
      startLocal,
      halfHours: 30 * 48,
      timeZoneOffset: st.timeZoneOffset ?? 0,
    }, prng(subSeed(seed, "etc/SE-Htm")));
    const first = startLocal - HOUR;
    drafts.push({
      kind: "data",
      fileName: "ICOSETC_SE-Htm_FLUXNET_HH_L2_202206.csv",
      bytes: enc.encode(table.text),
      spec: "etcFluxnetProduct",
      station: st,
      start: iso(first),
      end: iso(first + 30 * 48 * 1_800_000),
      submitted: { start: "2023-03-01T08:00:00Z", end: "2023-03-01T08:00:42Z" },
      table,
      actualColumnNames: [...ETC_COLUMNS],
      licence: "icos",
      authors: [st.pi],
      produced: "2023-02-20T12:00:00Z",
      citationTail: `ETC Fluxnet half-hourly product, ${st.name} (${st.id}), 2022-06-01–2022-06-30`,
    });
  }

  // A spatial NetCDF product (no columns), CC0.
  {
    const rnd = prng(subSeed(seed, "netcdf"));
    const lats = Array.from({ length: 20 }, (_, i) => 34 + 2 * i);
    const lons = Array.from({ length: 25 }, (_, i) => -14 + 2 * i);
    const months = Array.from({ length: 12 }, (_, i) => Date.UTC(2022, i, 15) / 86_400_000);
    const flux: number[] = [];
    for (let m = 0; m < 12; m++) {
      const season = Math.cos((2 * Math.PI * (m - 6)) / 12);
      for (const lat of lats) {
        for (const _lon of lons) {
          const land = lat > 36 ? 1 : 0.3;
          flux.push(Math.fround(land * (0.5 - 2.5 * season * (lat / 60)) + 0.2 * rnd.normal()));
        }
      }
    }
    const bytes = writeNetcdf({
      dims: [{ name: "time", size: 12 }, { name: "lat", size: 20 }, { name: "lon", size: 25 }],
      attributes: {
        title: "Emulated CO2 flux inversion over Europe, 2022",
        institution: "icoscp for TypeScript emulator (synthetic data)",
        Conventions: "CF-1.6",
      },
      variables: [
        {
          name: "time",
          dims: ["time"],
          type: "double",
          attributes: { units: "days since 1970-01-01" },
          values: months,
        },
        {
          name: "lat",
          dims: ["lat"],
          type: "double",
          attributes: { units: "degrees_north" },
          values: lats,
        },
        {
          name: "lon",
          dims: ["lon"],
          type: "double",
          attributes: { units: "degrees_east" },
          values: lons,
        },
        {
          name: "co2flux",
          dims: ["time", "lat", "lon"],
          type: "float",
          attributes: { units: "micromol m-2 s-1", long_name: "net CO2 flux to the atmosphere" },
          values: flux,
        },
      ],
    });
    drafts.push({
      kind: "data",
      fileName: "emulated_co2_flux_inversion_europe_2022.nc",
      bytes,
      spec: "inversionModelingSpatial",
      start: "2022-01-01T00:00:00Z",
      end: "2023-01-01T00:00:00Z",
      submitted: { start: "2023-05-02T14:00:00Z", end: "2023-05-02T14:00:10Z" },
      licence: "cc0",
      title: "Emulated CO2 flux inversion over Europe, 2022",
      description: "Synthetic monthly net CO2 fluxes on a 2° grid, made by the emulator.",
      box: { minLat: 34, minLon: -14, maxLat: 72, maxLon: 34 },
      resolution: "monthly",
      authors: ["Robin_Model"],
      produced: "2023-04-30T00:00:00Z",
      citationTail: "Emulated CO2 flux inversion over Europe, 2022",
      doi: "10.18160/EMU3-INVR",
    });
  }

  // A document object.
  {
    const text = [
      "Emulated ICOS data: read me",
      "",
      "The data objects of this local Carbon Portal emulator are synthetic. Station",
      "positions, names and heights are real ICOS facts; the values are not",
      "measurements. Seasonal and diurnal cycles, noise, gaps and quality flags are",
      `generated from seed ${seed}.`,
      "",
    ].join("\n");
    drafts.push({
      kind: "document",
      fileName: "emulated_data_readme.txt",
      bytes: enc.encode(text),
      start: "2024-01-01T00:00:00Z",
      end: "2024-01-01T00:00:00Z",
      submitted: { start: "2024-01-10T09:00:00Z", end: "2024-01-10T09:00:01Z" },
      licence: "cc0",
      description: "How the emulator's synthetic data are made",
      authors: [],
    });
  }

  // Benchmark-sized objects, built only when asked for.
  for (const rows of options.benchmarkRows ?? []) {
    if (!Number.isInteger(rows) || rows <= 0) {
      throw new RangeError(`benchmarkRows must hold positive integers, not ${rows}`);
    }
    const st = station("AS_GAT");
    const cols = benchmarkColumns(rows, prng(subSeed(seed, `benchmark/${rows}`)));
    const render = () => benchmarkFile(cols, 0, rows);
    const hash = createHash("sha256");
    for (let i = 0; i < rows; i += 100_000) {
      hash.update(benchmarkFile(cols, i, Math.min(rows, i + 100_000)));
    }
    const table: GeneratedTable = { text: "", rows, columns: cols };
    const end = cols.TIMESTAMP[rows - 1];
    drafts.push({
      kind: "data",
      fileName: `ICOS_ATC_BENCHMARK_GAT_341.0_CO2_${rows}rows.csv`,
      hashBytes: new Uint8Array(hash.digest()),
      render,
      spec: "atcCo2L2DataObject",
      station: st,
      samplingHeight: 341,
      start: iso(cols.TIMESTAMP[0]),
      end: iso(end),
      submitted: { start: "2024-07-01T00:00:00Z", end: "2024-07-01T00:05:00Z" },
      table,
      actualColumnNames: ["TIMESTAMP", "co2", "Flag"],
      licence: "icos",
      authors: [st.pi],
      citationTail: `Benchmark CO2 series, ${st.name} (341.0 m), ${rows} rows`,
    });
  }

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
  for (const [older, newer] of versionPairs) {
    const o = objects[older] as { -readonly [K in keyof DatasetObject]: DatasetObject[K] };
    const n = objects[newer] as { -readonly [K in keyof DatasetObject]: DatasetObject[K] };
    o.nextVersion = n.id;
    n.previousVersion = o.id;
  }

  const latest = objects.filter((o) => !o.nextVersion);
  const ofSpec = (spec: string) => latest.filter((o) => o.spec === spec);
  const collections: DatasetCollection[] = [];
  const addCollection = async (
    c: Omit<DatasetCollection, "id" | "hash" | "citation">,
    citationAuthors: string[],
  ) => {
    const hashes = c.members.map((m) =>
      objects.find((o) => o.id === m)?.hash ?? collections.find((k) => k.id === m)!.hash
    ).sort();
    const bin = new Uint8Array(hashes.length * 32);
    hashes.forEach((h, i) => bin.set(decodeHash(h), i * 32));
    const hashBytes = await sha256(bin);
    const coll: DatasetCollection = {
      ...c,
      id: idOfHash(hashBytes),
      hash: base64url(hashBytes),
      citation: c.doi
        ? `${authorList(citationAuthors)} (2024). ${c.title}, ICOS RI, https://doi.org/${c.doi}`
        : undefined,
    };
    collections.push(coll);
    return coll;
  };
  const atmo = await addCollection({
    title: "ICOS Atmosphere Level 2 greenhouse gas mole fractions (emulated release 2024-1)",
    description: "Hourly CO2 and CH4 mole fractions of four ICOS atmosphere stations, 2022. " +
      "Synthetic data made by the local emulator.",
    doi: "10.18160/EMU1-ATMO",
    members: [...ofSpec("atcCo2L2DataObject"), ...ofSpec("atcCh4L2DataObject")]
      .filter((o) => !o.fileName.includes("BENCHMARK")).map((o) => o.id),
  }, ["Alex_Example", "Sam_Sample", "Robin_Model"]);
  const htm = await addCollection({
    title: "Hyltemossa ecosystem and atmosphere, June 2022 (emulated)",
    description: "Fluxes at SE-Htm and CO2 mole fractions at HTM, with a read-me document.",
    doi: "10.18160/EMU2-HTMX",
    members: [
      ...ofSpec("etcFluxnetProduct").map((o) => o.id),
      ...latest.filter((o) => o.station === "AS_HTM" && o.spec === "atcCo2L2DataObject")
        .map((o) => o.id),
      ...objects.filter((o) => o.kind === "document").map((o) => o.id),
    ],
  }, ["Kim_Placeholder", "Sam_Sample"]);
  await addCollection({
    title: "All emulated ICOS collections",
    description: "A collection of collections.",
    members: [atmo.id, htm.id],
  }, []);
  return { seed, stations: STATIONS, objects, collections };
}

function decodeHash(h: string): Uint8Array {
  const s = h.replaceAll("-", "+").replaceAll("_", "/");
  return Uint8Array.from(atob(s + "=".repeat((4 - (s.length % 4)) % 4)), (c) => c.charCodeAt(0));
}

const BENCH_HEADER = "TIMESTAMP,co2,Flag\n";
const BENCH_ROW = 20 + 1 + 7 + 1 + 1 + 1; // 2000-01-01T00:00:00Z,410.123,O\n

function benchmarkSize(rows: number): number {
  return BENCH_HEADER.length + rows * BENCH_ROW;
}

/** Renders rows [from, to) of a benchmark file (the header with the first chunk). */
function benchmarkFile(
  cols: { TIMESTAMP: Float64Array; co2: Float32Array; Flag: Uint16Array },
  from: number,
  to: number,
): Uint8Array {
  const head = from === 0 ? BENCH_HEADER.length : 0;
  const out = new Uint8Array(head + (to - from) * BENCH_ROW);
  let p = 0;
  if (head) {
    for (let i = 0; i < head; i++) out[p++] = BENCH_HEADER.charCodeAt(i);
  }
  for (let r = from; r < to; r++) {
    const stamp = new Date(cols.TIMESTAMP[r]).toISOString().replace(".000Z", "Z");
    for (let i = 0; i < 20; i++) out[p++] = stamp.charCodeAt(i);
    out[p++] = 44;
    const v = cols.co2[r].toFixed(3).padStart(7, "0");
    for (let i = 0; i < 7; i++) out[p++] = v.charCodeAt(i);
    out[p++] = 44;
    out[p++] = cols.Flag[r];
    out[p++] = 10;
  }
  return out;
}

/** The licence record of an object (landing-page `references.licence`). */
export function licenceOf(o: DatasetObject): (typeof LICENCES)[keyof typeof LICENCES] {
  return LICENCES[o.licence];
}
