// Private: what the emulator's dataset holds, as a table — one row per data
// or document object (in the order their ids are minted) and one per
// collection. dataset.ts turns the rows into objects; the values come from
// the generators the rows name, seeded per row.

import { fluxInversionNetcdf, readmeText } from "./_dataset_files.ts";
import { etcArchiveZip, obspackNetcdf } from "./_original_files.ts";
import type { DatasetObject } from "./dataset.ts";

/** An ATC mole-fraction series (level 1 NRT or level 2), zipped CSV. */
export interface AtcRow {
  /** Generator: `atcSeries` of _observation_series.ts. */
  readonly source: "atc";
  /** A name other rows refer to (`replaces`). */
  readonly name?: string;
  /** The row whose object this one replaces (a new version of it). */
  readonly replaces?: string;
  /** Data object specification (local name); level 1 specs make NRT files. */
  readonly spec: string;
  /** Station key, e.g. `AS_GAT`. */
  readonly station: string;
  /** Sampling height, metres. */
  readonly height: number;
  /** The gas. */
  readonly gas: "co2" | "ch4";
  /** First hour, ms since the epoch. */
  readonly from: number;
  /** Number of hourly rows. */
  readonly hours: number;
  /** Release name in the file name (level 2) and the seed stream. */
  readonly release: string;
  /** Offset added to the values (a reprocessed release differs a little). */
  readonly offset: number;
  /** Submission start (ISO instant). */
  readonly submitted: string;
  /** The full level-2 file layout (long header, LTR/CMR/STTB columns). */
  readonly extended?: boolean;
}

/** An ETC half-hourly flux product (FLUXNET CSV). */
export interface EtcRow {
  /** Generator: `etcSeries` of _observation_series.ts. */
  readonly source: "etc";
  /** Data object specification (local name). */
  readonly spec: string;
  /** Station key, e.g. `ES_SE-Htm`. */
  readonly station: string;
  /** File name. */
  readonly fileName: string;
  /** First half hour, local standard time, as if UTC (ms). */
  readonly startLocal: number;
  /** Number of half-hourly rows. */
  readonly halfHours: number;
  /** Seed stream name. */
  readonly stream: string;
  /** Submission start and end (ISO instants). */
  readonly submitted: { readonly start: string; readonly end: string };
  /** Production time (ISO instant). */
  readonly produced: string;
  /** The period named in the citation. */
  readonly period: string;
}

/** An object whose bytes one generator makes from the seed, with its metadata as is. */
export interface FileRow extends
  Pick<
    DatasetObject,
    | "kind"
    | "fileName"
    | "spec"
    | "start"
    | "end"
    | "submitted"
    | "licence"
    | "title"
    | "description"
    | "box"
    | "resolution"
    | "authors"
    | "produced"
    | "doi"
  > {
  /** Generator: `content(seed)`. */
  readonly source: "file";
  /** The generator of the file bytes. */
  readonly content: (seed: number) => Uint8Array;
  /** The citation after the authors and year. */
  readonly citationTail?: string;
}

/** One object of the dataset. */
export type ObjectRow = AtcRow | EtcRow | FileRow;

const Y2022 = Date.UTC(2022, 0, 1);
const YEAR_HOURS = 365 * 24;
const L2_2022 = { gas: "co2", from: Y2022, hours: YEAR_HOURS, offset: 0 } as const;

/** The objects, in the order their ids are minted (the benchmark objects follow). */
export const OBJECTS: readonly ObjectRow[] = [
  {
    source: "atc",
    name: "GAT CO2 L2-2023.1",
    spec: "atcCo2L2DataObject",
    station: "AS_GAT",
    height: 341,
    ...L2_2022,
    release: "L2-2023.1",
    submitted: "2023-06-15T10:12:30Z",
  },
  {
    source: "atc",
    replaces: "GAT CO2 L2-2023.1",
    spec: "atcCo2L2DataObject",
    station: "AS_GAT",
    height: 341,
    ...L2_2022,
    release: "L2-2024.1",
    offset: 0.06,
    submitted: "2024-06-14T09:30:00Z",
  },
  {
    source: "atc",
    spec: "atcCh4L2DataObject",
    station: "AS_GAT",
    height: 341,
    ...L2_2022,
    gas: "ch4",
    release: "L2-2024.1",
    submitted: "2024-06-14T09:31:00Z",
  },
  {
    source: "atc",
    spec: "atcCo2L2DataObject",
    station: "AS_HTM",
    height: 150,
    ...L2_2022,
    release: "L2-2024.1",
    submitted: "2024-06-14T09:32:00Z",
  },
  {
    source: "atc",
    spec: "atcCo2L2DataObject",
    station: "AS_NOR",
    height: 100,
    ...L2_2022,
    release: "L2-2024.1",
    submitted: "2024-06-14T09:33:00Z",
  },
  {
    source: "atc",
    spec: "atcCo2L2DataObject",
    station: "AS_ZSF",
    height: 3,
    ...L2_2022,
    release: "L2-2024.1",
    submitted: "2024-06-14T09:34:00Z",
  },
  {
    source: "atc",
    spec: "atcCo2NrtGrowingDataObject",
    station: "AS_GAT",
    height: 341,
    gas: "co2",
    from: Date.UTC(2024, 0, 1),
    hours: 31 * 24,
    release: "NRT",
    offset: 0,
    submitted: "2024-02-01T03:00:00Z",
  },
  // Ecosystem half-hourly fluxes, June 2022 at SE-Htm.
  {
    source: "etc",
    spec: "etcFluxnetProduct",
    station: "ES_SE-Htm",
    fileName: "ICOSETC_SE-Htm_FLUXNET_HH_L2_202206.csv",
    startLocal: Date.UTC(2022, 5, 1),
    halfHours: 30 * 48,
    stream: "etc/SE-Htm",
    submitted: { start: "2023-03-01T08:00:00Z", end: "2023-03-01T08:00:42Z" },
    produced: "2023-02-20T12:00:00Z",
    period: "2022-06-01–2022-06-30",
  },
  // A spatial NetCDF product (no columns), CC0.
  {
    source: "file",
    content: fluxInversionNetcdf,
    kind: "data",
    fileName: "emulated_co2_flux_inversion_europe_2022.nc",
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
  },
  // A document object.
  {
    source: "file",
    content: readmeText,
    kind: "document",
    fileName: "emulated_data_readme.txt",
    start: "2024-01-01T00:00:00Z",
    end: "2024-01-01T00:00:00Z",
    submitted: { start: "2024-01-10T09:00:00Z", end: "2024-01-10T09:00:01Z" },
    licence: "cc0",
    description: "How the emulator's synthetic data are made",
    authors: [],
  },
  // Original files of further formats (issue 24): a level-2 ATC file in the
  // full layout, whose LTR/CMR/STTB columns the binary table leaves out, an
  // ObsPack NetCDF and an ETC L2 archive.
  {
    source: "atc",
    spec: "atcCh4L2DataObject",
    station: "AS_HTM",
    height: 150,
    ...L2_2022,
    gas: "ch4",
    release: "L2-2024.1",
    submitted: "2024-06-14T09:35:00Z",
    extended: true,
  },
  {
    source: "file",
    content: obspackNetcdf,
    kind: "data",
    fileName: "co2_htm_tower-insitu_466_allvalid-150magl.nc",
    spec: "icosObspackCo2",
    start: "2022-06-01T00:00:00Z",
    end: "2022-07-01T00:00:00Z",
    submitted: { start: "2024-09-02T10:00:00Z", end: "2024-09-02T10:00:05Z" },
    licence: "icos",
    title: "ICOS ObsPack CO2, Hyltemossa 150 m (emulated)",
    description: "Hourly CO2 dry mole fractions in the ObsPack NetCDF layout (synthetic values).",
    box: { minLat: 56.0976, minLon: 13.4189, maxLat: 56.0976, maxLon: 13.4189 },
    resolution: "hourly",
    authors: ["Sam_Sample"],
    produced: "2024-08-30T00:00:00Z",
    citationTail: "ICOS ObsPack CO2, Hyltemossa (150 m), 2022-06",
  },
  {
    source: "file",
    content: etcArchiveZip,
    kind: "data",
    fileName: "ICOSETC_SE-Htm_ARCHIVE_L2.zip",
    spec: "etcArchiveProduct",
    start: "2022-05-31T23:00:00Z",
    end: "2022-06-30T23:00:00Z",
    submitted: { start: "2023-03-01T08:05:00Z", end: "2023-03-01T08:05:30Z" },
    licence: "icos",
    title: "ETC L2 archive, SE-Htm, June 2022 (emulated)",
    description: "Fluxes, meteorology and variable information as zipped CSV tables.",
    box: { minLat: 56.09763, minLon: 13.41897, maxLat: 56.09763, maxLon: 13.41897 },
    resolution: "half-hourly",
    authors: ["Kim_Placeholder"],
    produced: "2023-02-20T12:00:00Z",
    citationTail: "ETC L2 archive, Hyltemossa (SE-Htm), 2022-06",
  },
];

/**
 * Members of a collection, in order: the latest (non-benchmark) objects of a
 * spec (at a station), every document, or an earlier collection by name.
 */
export type MemberRule =
  | { readonly spec: string; readonly station?: string }
  | { readonly documents: true }
  | { readonly collection: string };

/** One static collection. */
export interface CollectionRow {
  /** Name that later collections refer to. */
  readonly name: string;
  /** Title. */
  readonly title: string;
  /** Description. */
  readonly description: string;
  /** DOI (then it has a citation). */
  readonly doi?: string;
  /** Keys of the people the citation names. */
  readonly authors: readonly string[];
  /** Which objects or collections it holds. */
  readonly members: readonly MemberRule[];
}

/** The collections, in the order their ids are minted. */
export const COLLECTIONS: readonly CollectionRow[] = [
  {
    name: "atmosphere",
    title: "ICOS Atmosphere Level 2 greenhouse gas mole fractions (emulated release 2024-1)",
    description: "Hourly CO2 and CH4 mole fractions of four ICOS atmosphere stations, 2022. " +
      "Synthetic data made by the local emulator.",
    doi: "10.18160/EMU1-ATMO",
    authors: ["Alex_Example", "Sam_Sample", "Robin_Model"],
    members: [{ spec: "atcCo2L2DataObject" }, { spec: "atcCh4L2DataObject", station: "AS_GAT" }],
  },
  {
    name: "hyltemossa",
    title: "Hyltemossa ecosystem and atmosphere, June 2022 (emulated)",
    description: "Fluxes at SE-Htm and CO2 mole fractions at HTM, with a read-me document.",
    doi: "10.18160/EMU2-HTMX",
    authors: ["Kim_Placeholder", "Sam_Sample"],
    members: [
      { spec: "etcFluxnetProduct" },
      { spec: "atcCo2L2DataObject", station: "AS_HTM" },
      { documents: true },
    ],
  },
  {
    name: "all",
    title: "All emulated ICOS collections",
    description: "A collection of collections.",
    authors: [],
    members: [{ collection: "atmosphere" }, { collection: "hyltemossa" }],
  },
  {
    name: "originals",
    title: "Original files: ObsPack, ETC archive and level-3 NetCDF (emulated)",
    description: "Objects read from their original files rather than the binary tables.",
    authors: [],
    members: [
      { spec: "atcCh4L2DataObject", station: "AS_HTM" },
      { spec: "icosObspackCo2" },
      { spec: "etcArchiveProduct" },
      { spec: "inversionModelingSpatial" },
    ],
  },
];
