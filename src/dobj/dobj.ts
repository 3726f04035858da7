/**
 * Data objects: metadata, citations, versions and data as typed columns or
 * arquero tables. Get one with {@linkcode CarbonPortal.dobj}.
 *
 * @module
 */

import { boolean, checkOptions } from "../_util/args.ts";
import { type ColumnTable, table } from "../_util/arquero.ts";
import { many } from "../_util/one_or_many.ts";
import type { CarbonPortal } from "../client/client.ts";
import { hashToId } from "../client/ids.ts";
import type { DataColumn } from "../cpb/_columns.ts";
import type { CpbSchema } from "../cpb/cpb.ts";
import { fetchColumns } from "./_columns_fetch.ts";
import { checkedCsv, csvRequest } from "./_csv_check.ts";
import {
  citationOf,
  seriesOf,
  spatialOf,
  storedTable,
  variablesTable,
  withDates,
} from "./_meta_view.ts";
import { verifiedFileStream } from "./_file_stream.ts";
import {
  BYTE_SOURCE_KEYS,
  type CsvOptions,
  csvOptions,
  type FileStreamOptions,
  GET_COLUMNS_KEYS,
  GET_KEYS,
  type GetColumnsOptions,
  getColumnsOptions,
  type GetOptions,
  type ReadFileOptions,
} from "./_options.ts";
import {
  type ByteSourceOptions,
  objectByteSource,
  type ObjectRef,
  objectRef,
  requireNetCDF,
} from "./_originals.ts";
import { readFileOf } from "./_read_file.ts";
import type { DownloadOptions } from "./download.ts";
import type {
  DataObjectMeta,
  Licence,
  SpatioTemporalMeta,
  StationMeta,
  StationTimeSeriesMeta,
  VarMeta,
} from "./meta_types.ts";
import { InvalidArgumentError } from "../errors.ts";
import type { HttpByteSource } from "../netcdf/http_byte_source.ts";
import type { NetCDFFile } from "../netcdf/netcdf_file.ts";
import type { OriginalTable } from "../originals/types.ts";
import { displayDobj } from "../plot/_display.ts";
export type {
  CsvOptions,
  FileStreamOptions,
  GetColumnsOptions,
  GetOptions,
  ReadFileOptions,
} from "./_options.ts";
export type { BatchItem, BatchOptions } from "./_batch.ts";
export type { DataColumn } from "../cpb/_columns.ts";
export type { Progress } from "../client/_object_body.ts";
export type { DownloadOptions } from "./download.ts";
export type { ByteSourceOptions } from "./_originals.ts";

export type * from "./meta_types.ts";

/** An arquero table. */
export type Table = ColumnTable;

/** Citation styles carried in the metadata. */
export type CitationStyle = "plain" | "bibtex" | "ris";

/**
 * A data object of the portal. Every getter is pure (no network); data is
 * fetched by the async methods.
 *
 * @example Metadata getters over a fetched object
 * ```ts
 * import { CarbonPortal } from "@icoscp/icoscp";
 * import assert from "node:assert/strict";
 *
 * const id = "IM7PJYcuhiBpHtvEVuLhVk2M";
 * const meta = {
 *   hash: `${id}ABCDEFGHIJKLMNOPQRS`, pid: `11676/${id}`, fileName: "gat.csv", size: 1024,
 *   specification: { self: { uri: "http://meta.icos-cp.eu/resources/cpmeta/atcCo2L2DataObject" }, format: { self: { uri: "http://meta.icos-cp.eu/ontologies/cpmeta/asciiAtcProductTimeSer" } }, dataLevel: 2 },
 *   specificInfo: { acquisition: { station: { id: "GAT", org: { name: "Gartow" }, location: { lat: 53.0657, lon: 11.4429, alt: 70 } }, samplingHeight: 341 }, nRows: 2, columns: [] },
 *   latestVersion: `https://meta.icos-cp.eu/objects/${id}`, parentCollections: [],
 *   references: { citationString: "Kubistin, D., … (2020). ICOS ATC CO2 Release, Gartow (341.0 m)" },
 * };
 * const cp = new CarbonPortal({ fetch: () => Promise.resolve(Response.json(meta)) });
 * const d = await cp.dobj(`11676/${id}`);
 * assert.equal(d.id, id);
 * assert.equal(d.station?.id, "GAT");
 * assert.equal(d.lat, 53.0657);
 * assert.equal(d.samplingHeight, 341);
 * assert.match(d.citation ?? "", /Gartow/);
 * ```
 */
export class Dobj {
  /** The 24-character object id. */
  readonly id: string;
  /** The landing page URI. */
  readonly uri: string;
  /** The full landing-page metadata. */
  readonly meta: DataObjectMeta;
  #cp: CarbonPortal;

  /**
   * Wraps fetched metadata. Use {@linkcode CarbonPortal.dobj} instead.
   *
   * @param cp The client that fetched it (used for data requests).
   * @param init `meta`: the landing-page JSON; `uri`: the landing page URI.
   */
  constructor(cp: CarbonPortal, { meta, uri }: { meta: DataObjectMeta; uri: string }) {
    this.#cp = cp;
    this.meta = meta;
    this.uri = uri;
    this.id = hashToId(meta.hash);
  }

  /** The persistent identifier, `11676/<id>`. */
  get pid(): string | undefined {
    return this.meta.pid;
  }

  /** The DOI, if the object has one. */
  get doi(): string | undefined {
    return this.meta.doi;
  }

  /** `<file name> (<PID or URI>)`: what `String(dobj)` and template strings show. */
  toString(): string {
    return `${this.meta.fileName} (${this.pid ?? this.uri})`;
  }

  /** The original file name. */
  get fileName(): string {
    return this.meta.fileName;
  }

  /** Size of the original file in bytes. */
  get size(): number | undefined {
    return this.meta.size;
  }

  /** The plain-text citation. */
  get citation(): string | undefined {
    return this.meta.references?.citationString;
  }

  /**
   * The citation in one of the styles the metadata carries.
   *
   * @param style `"plain"` (default), `"bibtex"` or `"ris"`.
   * @returns The citation, or `undefined` when the metadata has none in that style.
   * @throws {InvalidArgumentError} For an unknown style.
   *
   * @example
   * ```ts
   * import { CarbonPortal } from "@icoscp/icoscp";
   * import assert from "node:assert/strict";
   *
   * const meta = { hash: "IM7PJYcuhiBpHtvEVuLhVk2MABCDEFGHIJKLMNOPQRS", references: { citationBibTex: "@misc{x}" }, latestVersion: "u" };
   * const cp = new CarbonPortal({ fetch: () => Promise.resolve(Response.json(meta)) });
   * const d = await cp.dobj("IM7PJYcuhiBpHtvEVuLhVk2M");
   * assert.equal(d.getCitation("bibtex"), "@misc{x}");
   * ```
   */
  getCitation(style: CitationStyle = "plain"): string | undefined {
    return citationOf(this.meta, style);
  }

  /** The licence. */
  get licence(): Licence | undefined {
    return this.meta.references?.licence;
  }

  /** URIs of the previous versions (empty when this is the first). */
  get previous(): string[] {
    return many(this.meta.previousVersion);
  }

  /** URIs of the next versions (empty when this is the latest). */
  get next(): string[] {
    return many(this.meta.nextVersion);
  }

  /** Notebook rendering (Deno Jupyter kernel): a summary with the citation. */
  [Symbol.for("Jupyter.display")](): Record<string, string> {
    return displayDobj(this);
  }

  /** URIs of the latest versions (this object's own URI when it is the latest). */
  get latest(): string[] {
    return many(this.meta.latestVersion);
  }

  /** Whether a newer version exists. */
  get isDeprecated(): boolean {
    return this.next.length > 0;
  }

  /** The station-time-series specifics, when the object is one. */
  get #series(): StationTimeSeriesMeta | undefined {
    return seriesOf(this.meta);
  }

  /** The spatio-temporal specifics, when the object is one. */
  get #spatial(): SpatioTemporalMeta | undefined {
    return spatialOf(this.meta);
  }

  /** The station that acquired the data, if any. */
  get station(): StationMeta | undefined {
    return this.#series?.acquisition.station ?? this.#spatial?.station;
  }

  /** Latitude of the sampling point, else of the station. */
  get lat(): number | undefined {
    return this.#series?.acquisition.samplingPoint?.lat ?? this.station?.location?.lat;
  }

  /** Longitude of the sampling point, else of the station. */
  get lon(): number | undefined {
    return this.#series?.acquisition.samplingPoint?.lon ?? this.station?.location?.lon;
  }

  /** Elevation (metres above sea level) of the sampling point, else of the station. */
  get elevation(): number | undefined {
    return this.#series?.acquisition.samplingPoint?.alt ?? this.station?.location?.alt;
  }

  /** Alias of {@linkcode Dobj.elevation}, as in Python icoscp. */
  get alt(): number | undefined {
    return this.elevation;
  }

  /** Sampling height above ground, metres. */
  get samplingHeight(): number | undefined {
    return this.#series?.acquisition.samplingHeight ?? this.#spatial?.samplingHeight;
  }

  /** Number of table rows, for tabular objects. */
  get rows(): number | undefined {
    return this.#series?.nRows;
  }

  /** The column metadata (empty for objects without a table). */
  get columns(): VarMeta[] {
    return this.#series?.columns ?? this.#spatial?.variables ?? [];
  }

  /** Column names, in metadata order. */
  get colNames(): string[] {
    return this.columns.map((c) => c.label);
  }

  /**
   * The variables as an arquero table with columns `name`, `unit`, `type`
   * (value type label), `format` (value format name) and `flagFor`.
   */
  get variables(): Table {
    return variablesTable(this.columns);
  }

  /** The schema and column specs of the stored table, columns sorted by label. */
  #table(): { stored: VarMeta[]; schema: CpbSchema; nRows: number } {
    return storedTable(this.id, this.meta);
  }

  /**
   * Fetches columns as typed arrays, decoding the binary response as it
   * streams in. Flag columns of the requested columns are added; values whose
   * flag is not one of the format's good flags become NaN unless
   * `keepBadData`. Date-times, dates and months are milliseconds since the
   * epoch (Float64Array, NaN for null), time of day milliseconds since
   * midnight, flags one-character strings (or their codes, see `flags`).
   *
   * @param columns Column names (default: all).
   * @param options Row slice, bad-data handling, progress callback, abort signal.
   * @returns Columns by name, in stored order (sorted by name).
   * @throws {UnsupportedFormatError} When the object has no table.
   * @throws {UnknownColumnError} For a name that matches no column (see `unknownColumns`).
   * @throws {InvalidArgumentError} For a slice outside the table, a fractional or negative count.
   * @throws {UnknownOptionError} For an option that is none (`keep_bad_data` is `keepBadData`).
   * @throws {AuthenticationError} When not logged in.
   * @throws {LicenceError} When the data licence is not accepted.
   * @throws {TruncatedDataError} When the response is cut short.
   */
  async getColumns(
    columns?: string | readonly string[],
    options: GetColumnsOptions = {},
  ): Promise<Record<string, DataColumn>> {
    return await this.#getColumns(
      "getColumns",
      columns,
      getColumnsOptions("getColumns", options, GET_COLUMNS_KEYS),
    );
  }

  async #getColumns(
    where: string,
    columnsGiven: unknown,
    options: GetColumnsOptions,
  ): Promise<Record<string, DataColumn>> {
    return await fetchColumns(this.#cp, this, this.#table(), where, columnsGiven, options);
  }

  /**
   * Fetches columns as an arquero table (zero-copy over the typed arrays).
   * Same options and errors as {@linkcode Dobj.getColumns}; Python's
   * `Dobj.get(['timestamp', 'ch4'])` is `d.get(["timestamp", "ch4"])` (names
   * match case-insensitively; the table uses the stored names). With
   * `dateTimeConvert` (Python's `Dobj.dateTimeConvert`, which is on there by
   * default and off here, to keep the columns zero-copy numbers), date-time,
   * date and month columns hold `Date`s (`null` for missing values).
   *
   * @param columns Column names (default: all).
   * @param options Row slice, bad-data handling, progress callback, abort signal.
   * @returns The table, columns in stored order.
   */
  async get(columns?: string | readonly string[], options: GetOptions = {}): Promise<Table> {
    options = getColumnsOptions("get", options, GET_KEYS);
    const dateTimeConvert = boolean("get", "dateTimeConvert", options.dateTimeConvert, false);
    const data = await this.#getColumns("get", columns, options);
    return table(dateTimeConvert ? withDates(data, this.#table().stored) : data);
  }

  /**
   * Streams the portal's CSV rendering of the table (`<data>/csv/<id>`):
   * dates as `YYYY-MM-DD`, date-times as ISO instants, nulls empty.
   *
   * @param options Columns, rows and abort signal.
   * @returns The CSV bytes; the stream errors with a {@linkcode TruncatedDataError}
   *   at its end when lines are missing, with a {@linkcode NetworkError} when the
   *   connection drops (a stream is not retried: {@linkcode Dobj.getCsv} is).
   * @throws {AuthenticationError} When not logged in.
   * @throws {LicenceError} When the data licence is not accepted.
   */
  async csvStream(options: CsvOptions = {}): Promise<ReadableStream<Uint8Array>> {
    options = csvOptions("csvStream", options);
    const { url, init } = csvRequest(this.#cp, this.id, options);
    return checkedCsv(await this.#cp.request(url, init), url, this.rows, options);
  }

  /**
   * The portal's CSV rendering of the table as text. See {@linkcode Dobj.csvStream}.
   * A body that breaks off is fetched again; the table is never returned short.
   *
   * @param options Columns, rows and abort signal.
   * @returns The CSV text.
   * @throws {TruncatedDataError} When the body kept arriving short (fewer lines than the rows asked for).
   * @throws {NetworkError} When the connection kept dropping.
   */
  async getCsv(options: CsvOptions = {}): Promise<string> {
    options = csvOptions("getCsv", options);
    const { url, init } = csvRequest(this.#cp, this.id, options);
    return await this.#cp.fetchBody(
      url,
      init,
      (res) => new Response(checkedCsv(res, url, this.rows, options)).text(),
    );
  }

  /**
   * Streams the original file, verified: the stream errors with an
   * {@linkcode IntegrityError} at its end when the bytes do not hash to the
   * object's SHA-256 (and so its PID). A dropped connection is resumed with
   * an HTTP Range request. Works in every runtime; to save to disk use
   * {@linkcode Dobj.download}.
   *
   * Without a login, pass `acceptLicence: true` to accept the object's data
   * licence ({@linkcode Dobj.licence}) for this file at the portal: the file
   * then comes without an account. Without that consent and without a login
   * that accepted the licence, the stream errors with a
   * {@linkcode LicenceError} that says so; the library never accepts a
   * licence on its own.
   *
   * @param options Licence consent, progress callback, abort signal, resumptions.
   * @returns The file's bytes.
   */
  fileStream(options: FileStreamOptions = {}): ReadableStream<Uint8Array> {
    return verifiedFileStream(this.#cp, this, options);
  }

  /** What the original-file helpers need to know. */
  get #ref(): ObjectRef {
    return objectRef(this.id, this.meta);
  }

  /**
   * Reads the original file and parses it with the parser of the object's
   * format (`@icoscp/icoscp/originals`): ICOS atmosphere time series with
   * their `#` header (MEASUREMENT SCALE, units, station) and every column,
   * LTR, CMR and STTB included; ETC CSV tables and archives; ObsPack and
   * other NetCDF along time. The bytes are verified against the object's
   * hash first; a NetCDF object over 16 MiB is instead read in place over
   * HTTP ranges (only its one-dimensional variables; see
   * {@linkcode Dobj.openNetCDF} for the rest). Time columns are times (`Date`s in `table`, milliseconds in
   * `columns`).
   *
   * @param options Licence consent (`acceptLicence`, as for
   *   {@linkcode Dobj.fileStream}), the UTC offset of ETC local times, signal.
   * @returns The parsed table, header metadata and units.
   * @throws {NoParserError} When the object's format has no parser (the
   *   message says what to use instead).
   * @throws {DecodeError} When the file does not parse.
   * @throws {LicenceError} When the licence must be accepted first.
   */
  async readFile(options: ReadFileOptions = {}): Promise<OriginalTable> {
    return await readFileOf(this, this.#ref, options);
  }

  /**
   * A byte source over the original file read by HTTP `Range` requests
   * (`<data>/objects/<id>`, with the client's login, or without one on
   * `acceptLicence: true`): only the bytes a reader asks for are fetched,
   * close reads share a request, forward reads read ahead, and the cache is
   * bounded. Its `stats` count the requests and bytes.
   *
   * @param options Licence consent, block and cache sizes, signal.
   * @returns The byte source (for {@linkcode openNetCDF} and others).
   * @throws {RangeNotSupportedError} When the server ignores `Range`.
   * @throws {LicenceError} When the licence must be accepted first.
   */
  async byteSource(options: ByteSourceOptions = {}): Promise<HttpByteSource> {
    options = checkOptions("byteSource", options, BYTE_SOURCE_KEYS);
    return await objectByteSource(this.#cp, this.#ref, options);
  }

  /**
   * Opens a NetCDF data object (level-3 fluxes, footprints, ObsPack) in
   * place over HTTP ranges: the metadata costs a request or two, and
   * reading a hyperslab (one time step of a large grid) fetches only the
   * bytes it covers. Close the file (or `using`) when done.
   *
   * @param options Licence consent, block and cache sizes, signal.
   * @returns The open file.
   * @throws {UnsupportedFormatError} When the object is not NetCDF.
   * @throws {LicenceError} When the licence must be accepted first.
   */
  async openNetCDF(options: ByteSourceOptions = {}): Promise<NetCDFFile> {
    options = checkOptions("openNetCDF", options, BYTE_SOURCE_KEYS);
    requireNetCDF(this.#ref);
    const source = await this.byteSource(options);
    const { openNetCDF } = await import("../netcdf/netcdf_file.ts");
    return await openNetCDF(source);
  }

  /**
   * Downloads the original file into `dir`, verified against the object's
   * hash before it gets its name; resumes an interrupted download (a
   * complete `.part` left behind is verified and finished); with `cacheDir`,
   * a second download of the same object is a local copy of a re-verified
   * cache entry. **An existing file of the same name in `dir` is replaced**
   * (atomically). Needs a file system (Deno, Node). With
   * `acceptLicence: true` (the user's consent to the object's data licence)
   * it works without an account, as {@linkcode Dobj.fileStream} does.
   *
   * @param dir The folder.
   * @param options File name, cache folder, progress callback, signal, retries.
   * @returns The path of the verified file.
   * @throws {IntegrityError} When the bytes do not match (nothing is left at the target).
   * @throws {LicenceError} When the data licence must be accepted first (the
   *   message says how: `acceptLicence: true` or a login).
   * @throws {InvalidArgumentError} When `options.fileName` is empty, `.` or `..`.
   * @throws {CarbonPortalError} When the portal's file name is empty, `.` or `..`.
   */
  async download(dir: string, options: DownloadOptions = {}): Promise<string> {
    const { downloadObject } = await import("./download.ts");
    if (typeof dir !== "string" || dir === "") {
      throw new InvalidArgumentError("download", "dir", dir, "a folder path");
    }
    return await downloadObject(
      this.#cp,
      { ...this.#ref, size: this.meta.size },
      dir,
      options,
    );
  }
}
