// Private: what the mirror knows of each object, from its metadata, and how
// its columns become the stored columns of a part.

import type { CarbonPortal } from "../client/client.ts";
import { Dobj } from "../dobj/dobj.ts";
import type { DataColumn } from "../cpb/_columns.ts";
import { DATE_FORMATS } from "../dobj/_columns_fetch.ts";
import type { DataObjectMeta } from "../dobj/meta_types.ts";
import type { PartColumn, PartColumnKind } from "./_part_writer.ts";
import { idOf, specShortName } from "./_layout.ts";

/** The facts of one object the mirror keeps in its manifest and index. */
export interface ObjectInfo {
  pid: string;
  uri: string;
  fileName: string;
  spec: string;
  specUri: string;
  specLabel: string;
  project: string;
  theme: string;
  level: number | null;
  station: string;
  stationName: string;
  country: string;
  lat: number | null;
  lon: number | null;
  samplingHeight: number | null;
  timeStart: string | null;
  timeEnd: string | null;
  submTime: string | null;
  size: number | null;
  rows: number | null;
  doi: string | null;
  citation: string | null;
  licence: string | null;
  next: string[];
  previous: string[];
  /** The columns of its data, in file order: label and stored kind. */
  columns: PartColumn[];
}

/** The empty list every object without versions or collections shares (never written to). */
const NONE: string[] = Object.freeze([]) as unknown as string[];

/** The acquisition of a slim object: empty, shared. */
const NO_ACQUISITION = Object.freeze({});

const KIND_OF_FORMAT: Record<string, PartColumnKind> = {
  float32: "float",
  float64: "double",
  int32: "int",
  int16: "int",
  boolean: "int",
  bmpChar: "string",
  iso8601timeOfDay: "double",
};

function formatName(uri: string | undefined): string {
  return uri ? uri.slice(uri.lastIndexOf("/") + 1) : "";
}

/** The stored kind of a column from its value format. */
function kindOfFormat(format: string | undefined): PartColumnKind {
  const name = formatName(format);
  if (DATE_FORMATS.has(name)) return "time";
  return KIND_OF_FORMAT[name] ?? "double";
}

function label(r: { label?: string; uri?: string } | undefined): string {
  return r?.label ?? (r?.uri ? r.uri.slice(r.uri.lastIndexOf("/") + 1) : "");
}

/**
 * Equal values shared: the objects of a spec have the same columns, so a run
 * over many objects keeps one copy of each column list.
 */
export class Interner {
  readonly #seen = new Map<string, unknown>();
  readonly #strings = new Map<string, string>();
  /**
   * The first string seen equal to `s`: values repeated across objects
   * (spec, station, licence, project...) are kept once, not once per object
   * as each metadata document's parse made them.
   */
  str<T extends string | null>(s: T): T {
    if (s === null) return s;
    const have = this.#strings.get(s);
    if (have !== undefined) return have as T;
    this.#strings.set(s, s);
    return s;
  }
  /** The first value seen with this JSON, else `value`. */
  get<T>(value: T): T {
    const key = JSON.stringify(value);
    const have = this.#seen.get(key);
    if (have !== undefined) return have as T;
    this.#seen.set(key, value);
    return value;
  }
}

/**
 * The part of an object's metadata its data request needs that the objects
 * of a spec share (format, good flags, level, column descriptions): kept
 * once per spec, each object points to it.
 */
export interface SlimShared {
  specification: unknown;
  /** Its `specificInfo.columns`; undefined without acquisition (not a station's table). */
  columns: unknown;
  acquisition: boolean;
}

/** What a data request needs of an object's metadata besides its facts: its own hash and rows, a shared rest. */
export interface SlimRequest {
  hash: string;
  nRows: number | undefined;
  shared: SlimShared;
}

/** The part of `d`'s metadata its data request needs, the shared rest through `shared`. */
export function slimRequest(d: Dobj, shared: Interner): SlimRequest {
  // deno-lint-ignore no-explicit-any
  const m = d.meta as any;
  const si = m.specificInfo ?? {};
  const spec = m.specification ?? {};
  const acquisition = "acquisition" in si;
  return {
    hash: m.hash,
    nRows: acquisition ? si.nRows : undefined,
    shared: shared.get({
      specification: {
        self: { uri: spec.self?.uri },
        format: spec.format &&
          { self: { uri: spec.format.self?.uri }, goodFlagValues: spec.format.goodFlagValues },
        dataLevel: spec.dataLevel,
      },
      columns: acquisition ? si.columns : undefined,
      acquisition,
    }),
  };
}

/**
 * The part of an object's metadata its data request needs (its hash, file
 * name, format, good flags, columns and rows), as a `Dobj`: made when its
 * data are fetched from what the planning pass kept, so no metadata is
 * fetched twice and none is kept whole.
 */
function slimDobj(
  cp: CarbonPortal,
  facts: { pid: string; uri: string; fileName: string; size: number | null },
  r: SlimRequest,
): Dobj {
  const meta = {
    hash: r.hash,
    pid: facts.pid,
    fileName: facts.fileName,
    size: facts.size,
    specification: r.shared.specification,
    specificInfo: r.shared.acquisition
      ? { acquisition: NO_ACQUISITION, nRows: r.nRows, columns: r.shared.columns }
      : {},
    latestVersion: facts.uri,
    parentCollections: NONE,
  } as unknown as DataObjectMeta;
  return new Dobj(cp, { meta, uri: facts.uri });
}

/** The facts of an object from its metadata (column lists shared through `shared`). */
export function objectInfo(d: Dobj, shared?: Interner): ObjectInfo {
  // deno-lint-ignore no-explicit-any
  const m = d.meta as any;
  const spec = m.specification ?? {};
  const acq = m.specificInfo?.acquisition;
  const interval = acq?.interval ?? m.specificInfo?.temporal?.interval;
  const levelRaw = spec.dataLevel;
  const columns: PartColumn[] = d.columns.map((c) => ({
    name: c.label,
    kind: kindOfFormat(c.valueFormat),
    nullable: true,
  }));
  const str = <T extends string | null>(v: T): T => shared ? shared.str(v) : v;
  return {
    pid: d.pid ?? `11676/${idOf(d.uri)}`,
    uri: d.uri,
    fileName: d.fileName,
    spec: str(specShortName(spec.self?.uri ?? "unknown")),
    specUri: str(spec.self?.uri ?? ""),
    specLabel: str(label(spec.self)),
    project: str(label(spec.project?.self)),
    theme: str(label(spec.theme?.self)),
    level: typeof levelRaw === "number" ? levelRaw : null,
    station: str(d.station?.id ?? ""),
    stationName: str(d.station?.org?.name ?? ""),
    country: str(d.station?.countryCode ?? ""),
    lat: d.lat ?? null,
    lon: d.lon ?? null,
    samplingHeight: d.samplingHeight ?? null,
    timeStart: interval?.start ?? null,
    timeEnd: interval?.stop ?? null,
    submTime: m.submission?.start ?? null,
    size: d.size ?? null,
    rows: d.rows ?? null,
    doi: d.doi ?? null,
    citation: d.citation ?? null,
    licence: str(d.licence?.url ?? null),
    next: d.next.length ? [...d.next] : NONE,
    previous: d.previous.length ? [...d.previous] : NONE,
    columns: shared ? shared.get(columns) : columns,
  };
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * UTF-8 texts one after another in one growing buffer: a run's packed
 * objects share it (one allocation, not two small objects per text).
 */
export class TextStore {
  #bytes = new Uint8Array(0);
  #length = 0;

  /** Adds `text`; returns its start and end. */
  add(text: string): [number, number] {
    const need = this.#length + text.length * 3;
    if (need > this.#bytes.length) {
      const grown = new Uint8Array(Math.max(need, this.#bytes.length * 2));
      grown.set(this.#bytes.subarray(0, this.#length));
      this.#bytes = grown;
    }
    const start = this.#length;
    this.#length += encoder.encodeInto(text, this.#bytes.subarray(start)).written;
    return [start, this.#length];
  }

  /** The text from `start` to `end`. */
  get(start: number, end: number): string {
    return decoder.decode(this.#bytes.subarray(start, end));
  }
}

/**
 * An object's facts as a run keeps them between planning and writing: what
 * sorting, planning and writing read as fields, the rest as the UTF-8 text of
 * its {@linkcode ObjectInfo} in a {@linkcode TextStore} (outside the
 * JavaScript heap: V8 sizes its heap to a multiple of what is live, so facts
 * kept for tens of thousands of objects as objects would set the whole run's
 * memory), with what its data request needs. `JSON.stringify` writes it as
 * the `ObjectInfo` it packs.
 */
export class PackedInfo {
  readonly pid: string;
  readonly spec: string;
  readonly station: string;
  readonly samplingHeight: number | null;
  readonly rows: number | null;
  /** Shared between the objects of a spec (see {@linkcode Interner}). */
  readonly columns: PartColumn[];
  /** Whether no newer version exists. */
  readonly latest: boolean;
  readonly #store: TextStore;
  readonly #start: number;
  readonly #end: number;
  readonly #shared: SlimShared | undefined;

  /** Packs `info` into `store`, with its data request's needs when `request` is given. */
  constructor(info: ObjectInfo, store: TextStore = new TextStore(), request?: SlimRequest) {
    this.pid = info.pid;
    this.spec = info.spec;
    this.station = info.station;
    this.samplingHeight = info.samplingHeight;
    this.rows = info.rows;
    this.columns = info.columns;
    this.latest = info.next.length === 0;
    this.#store = store;
    this.#shared = request?.shared;
    [this.#start, this.#end] = store.add(
      JSON.stringify(request ? [info, request.hash, request.nRows ?? null] : [info]),
    );
  }

  #unpack(): [ObjectInfo, string?, number?] {
    return JSON.parse(this.#store.get(this.#start, this.#end));
  }

  /** The object's facts (a new copy at each call; its columns shared). */
  full(): ObjectInfo {
    const o = this.#unpack()[0];
    o.columns = this.columns;
    return o;
  }

  /** What `JSON.stringify` writes: the `ObjectInfo`. */
  toJSON(): ObjectInfo {
    return this.full();
  }

  /** The object for its data request, without fetching metadata; undefined when not kept. */
  slimDobj(cp: CarbonPortal): Dobj | undefined {
    if (!this.#shared) return undefined;
    const [o, hash, nRows] = this.#unpack();
    return slimDobj(cp, o, { hash: hash!, nRows: nRows ?? undefined, shared: this.#shared });
  }
}

/** `info` packed (itself when it is already). */
export function packed(info: ObjectInfo | PackedInfo, store?: TextStore): PackedInfo {
  return info instanceof PackedInfo ? info : new PackedInfo(info, store);
}

/**
 * One value of a returned column as stored: NaN (a masked or missing value)
 * becomes null, times become whole ms.
 */
export function storedValue(
  col: DataColumn | ArrayLike<unknown>,
  i: number,
  kind: PartColumnKind,
): unknown {
  const v = (col as ArrayLike<unknown>)[i];
  if (v === undefined || v === null) return null;
  if (kind === "string") return v === "" ? null : String(v);
  if (typeof v === "number") {
    if (Number.isNaN(v)) return null;
    if (kind === "time") return Math.round(v);
    if (kind === "int") return Math.trunc(v);
    return v;
  }
  if (typeof v === "bigint") return kind === "time" ? Number(v) : Number(v);
  if (v instanceof Date) return v.getTime();
  return v;
}
