/**
 * STILT footprints as a grid: `values[t][lat][lon]` in one Float64Array
 * (row 0 is the southernmost latitude), with selection, sums and quick-look
 * exports (GeoJSON cells, PNG heat map).
 *
 * @module
 */

import { CorruptDataError, InvalidArgumentError, TruncatedDataError } from "../errors.ts";
import { crc32 } from "../_util/crc32.ts";
import { displayFootprints } from "../plot/_display.ts";
import { checkOptions, finiteNumber, integer, isPlainObject } from "../_util/args.ts";

/** The unit of footprint values. */
export const FOOTPRINT_UNITS = "ppm per (micromol m-2 s-1)";

/**
 * Footprints of consecutive slots on one grid.
 *
 * @example
 * ```ts
 * import { Footprints } from "@icoscp/icoscp";
 * import assert from "node:assert/strict";
 *
 * const fp = new Footprints({
 *   lat: new Float64Array([33, 33.5]), lon: new Float64Array([-15, -14.5, -14]),
 *   time: new Float64Array([Date.UTC(2018, 0, 1, 0), Date.UTC(2018, 0, 1, 3)]),
 *   values: new Float64Array([0, 1, 2, 3, 4, 5, 1, 1, 1, 1, 1, 1]),
 * });
 * assert.deepEqual(fp.shape, [2, 2, 3]);
 * assert.deepEqual(Array.from(fp.sum()), [1, 2, 3, 4, 5, 6]);
 * assert.deepEqual(Array.from(fp.sel("2018-01-01T03:00Z")), [1, 1, 1, 1, 1, 1]);
 * ```
 */
export class Footprints {
  /** Latitudes of the rows (degrees north, ascending). */
  readonly lat: Float64Array;
  /** Longitudes of the columns (degrees east, ascending). */
  readonly lon: Float64Array;
  /** Slot times, milliseconds since the epoch (UTC). */
  readonly time: Float64Array;
  /** Values, time × lat × lon, C order. */
  readonly values: Float64Array;
  /** The receptor (set by `StiltStation.getFp`), used by pictures for the marker and title. */
  station?: { id: string; name: string; lat: number; lon: number };

  /**
   * Wraps a grid.
   *
   * @param grid Coordinates and values.
   * @throws {InvalidArgumentError} When the sizes do not agree.
   */
  constructor(
    grid: { lat: Float64Array; lon: Float64Array; time: Float64Array; values: Float64Array },
  ) {
    if (grid.values.length !== grid.time.length * grid.lat.length * grid.lon.length) {
      throw new InvalidArgumentError(
        `Footprint values (${grid.values.length}) do not fill ${grid.time.length} × ${grid.lat.length} × ${grid.lon.length}`,
      );
    }
    this.lat = grid.lat;
    this.lon = grid.lon;
    this.time = grid.time;
    this.values = grid.values;
  }

  /** Notebook rendering (Deno Jupyter kernel): the footprint map of `plot.ts`. */
  [Symbol.for("Jupyter.display")](): Promise<Record<string, string>> {
    return displayFootprints(this);
  }

  /** `[time, lat, lon]` sizes. */
  get shape(): [number, number, number] {
    return [this.time.length, this.lat.length, this.lon.length];
  }

  /** Slot times as Dates. */
  get dates(): Date[] {
    return Array.from(this.time, (t) => new Date(t));
  }

  /**
   * The lat × lon field of one slot, by time or by index.
   *
   * @param time A Date, an ISO string, or `{ index }`.
   * @returns A view of the field (no copy).
   * @throws {InvalidArgumentError} When no slot has that time.
   */
  sel(time: Date | string | { index: number }): Float64Array {
    const n = this.lat.length * this.lon.length;
    let i: number;
    if (typeof time === "object" && "index" in time) i = time.index;
    else {
      const t = time instanceof Date ? time.getTime() : Date.parse(time);
      i = this.time.indexOf(t);
    }
    if (!(i >= 0 && i < this.time.length)) {
      throw new InvalidArgumentError(`No footprint for ${JSON.stringify(time)}`);
    }
    return this.values.subarray(i * n, (i + 1) * n);
  }

  /** The lat × lon sum over all slots. */
  sum(): Float64Array {
    const n = this.lat.length * this.lon.length;
    const out = new Float64Array(n);
    for (let t = 0; t < this.time.length; t++) {
      const o = t * n;
      for (let k = 0; k < n; k++) out[k] += this.values[o + k];
    }
    return out;
  }

  /** The lat × lon mean over all slots. */
  mean(): Float64Array {
    const s = this.sum();
    const nt = this.time.length || 1;
    for (let k = 0; k < s.length; k++) s[k] /= nt;
    return s;
  }

  /** The sum of every value of every slot. */
  total(): number {
    let s = 0;
    for (let k = 0; k < this.values.length; k++) s += this.values[k];
    return s;
  }

  #field(time?: Date | string | { index: number }): Float64Array {
    return time === undefined
      ? (this.time.length === 1 ? this.sel({ index: 0 }) : this.mean())
      : this.sel(time);
  }

  /**
   * Cells above a threshold as GeoJSON polygons with their value.
   *
   * @param options `time` (default: the mean over slots), `threshold` (default 0: non-zero cells).
   * @returns A FeatureCollection of cell polygons.
   */
  toGeoJSON(options: { time?: Date | string | { index: number }; threshold?: number } = {}): {
    type: "FeatureCollection";
    features: {
      type: "Feature";
      geometry: { type: "Polygon"; coordinates: number[][][] };
      properties: { value: number };
    }[];
  } {
    options = checkOptions("toGeoJSON", options, ["time", "threshold"]);
    if (isPlainObject(options.time)) checkOptions("toGeoJSON time", options.time, ["index"]);
    const f = this.#field(options.time);
    const th = options.threshold ?? 0;
    const dLat = this.lat.length > 1 ? (this.lat[1] - this.lat[0]) / 2 : 0.5;
    const dLon = this.lon.length > 1 ? (this.lon[1] - this.lon[0]) / 2 : 0.5;
    const features = [];
    for (let i = 0; i < this.lat.length; i++) {
      for (let j = 0; j < this.lon.length; j++) {
        const v = f[i * this.lon.length + j];
        if (!(v > th)) continue;
        const [s, n, w, e] = [
          this.lat[i] - dLat,
          this.lat[i] + dLat,
          this.lon[j] - dLon,
          this.lon[j] + dLon,
        ];
        features.push({
          type: "Feature" as const,
          geometry: {
            type: "Polygon" as const,
            coordinates: [[[w, s], [e, s], [e, n], [w, n], [w, s]]],
          },
          properties: { value: v },
        });
      }
    }
    return { type: "FeatureCollection", features };
  }

  /**
   * A PNG heat map (north up): log-scaled colours from `vmin` to `vmax`
   * (default: four decades below the maximum to the maximum), values below
   * `vmin` and zero transparent, above `vmax` the top colour.
   *
   * @param options `time` (default: the mean over slots), `vmin`, `vmax`
   *   (to compare pictures: the same range for all) and `colors` (RGB stops,
   *   low to high; default {@linkcode FOOTPRINT_COLORS}).
   * @returns The PNG file.
   * @throws {InvalidArgumentError} When `vmin`/`vmax` are not positive with `vmin < vmax`.
   */
  async toPng(options: FootprintPngOptions = {}): Promise<Uint8Array> {
    options = checkOptions("toPng", options, ["time", "vmin", "vmax", "colors"]);
    if (isPlainObject(options.time)) checkOptions("toPng time", options.time, ["index"]);
    const f = this.#field(options.time);
    const h = this.lat.length, w = this.lon.length;
    const { lo, hi } = footprintRange(f, { vmin: options.vmin, vmax: options.vmax });
    const stops = options.colors ?? STOPS;
    const decades = Math.log10(hi / lo);
    const rgba = new Uint8Array(h * (1 + w * 4));
    for (let row = 0; row < h; row++) {
      const i = h - 1 - row; // north up
      const o = row * (1 + w * 4);
      rgba[o] = 0; // filter: none
      for (let j = 0; j < w; j++) {
        const v = f[i * w + j];
        const p = o + 1 + j * 4;
        if (!(v > 0) || !(hi > 0) || v < lo) continue;
        const x = Math.max(0, Math.min(1, Math.log10(v / lo) / decades));
        const [r, g, b] = ramp(x, stops);
        rgba[p] = r;
        rgba[p + 1] = g;
        rgba[p + 2] = b;
        rgba[p + 3] = 255;
      }
    }
    return await encodePng(w, h, rgba);
  }

  /**
   * The footprints as a NetCDF-4 file laid out like the STILT service's
   * (`lon`, `lat`, `time` in days since 2000-01-01, `foot` chunked per slot
   * and deflated), readable by netCDF-C, netCDF4-python, h5py and xarray.
   *
   * @returns The bytes of the `.nc` file.
   *
   * @example
   * ```ts
   * import { FOOTPRINT_UNITS, Footprints } from "./footprints.ts";
   * import { openNetCDF } from "@icoscp/icoscp/netcdf";
   * import assert from "node:assert/strict";
   *
   * const fp = new Footprints({
   *   lat: new Float64Array([33, 33.5]), lon: new Float64Array([-15, -14.5, -14]),
   *   time: new Float64Array([Date.UTC(2018, 0, 1, 3)]),
   *   values: new Float64Array([0, 1, 2, 3, 4, 5]),
   * });
   * const nc = await openNetCDF(await fp.toNetCDF());
   * assert.deepEqual(Array.from(await nc.read("foot") as Float64Array), [0, 1, 2, 3, 4, 5]);
   * assert.equal(nc.variables.find((v) => v.name === "foot")?.attributes.units, FOOTPRINT_UNITS);
   * ```
   */
  async toNetCDF(): Promise<Uint8Array> {
    const { encodeNetcdf4 } = await import("../codecs/netcdf4_writer.ts");
    const days = Float64Array.from(this.time, (t) => (t - Date.UTC(2000, 0, 1)) / 86_400_000);
    return encodeNetcdf4({
      dimensions: [
        { name: "lon", size: this.lon.length },
        { name: "lat", size: this.lat.length },
        { name: "time", size: this.time.length, unlimited: true },
      ],
      variables: [
        {
          name: "lon",
          type: "double",
          dimensions: ["lon"],
          data: this.lon,
          attributes: { units: "degrees_east" },
        },
        {
          name: "lat",
          type: "double",
          dimensions: ["lat"],
          data: this.lat,
          attributes: { units: "degrees_north" },
        },
        {
          name: "time",
          type: "double",
          dimensions: ["time"],
          data: days,
          attributes: { units: "days since 2000-01-01 00:00:00 UTC" },
        },
        {
          name: "foot",
          type: "double",
          dimensions: ["time", "lat", "lon"],
          data: this.values,
          attributes: { units: FOOTPRINT_UNITS, _FillValue: -1e30 },
          chunkSizes: [1, this.lat.length, this.lon.length],
          deflateLevel: 6,
        },
      ],
      attributes: {
        title: this.station ? `STILT footprints of ${this.station.id}` : "STILT footprints",
        source: "icoscp for TypeScript",
      },
    });
  }
}

const STOPS: [number, number, number][] = [[68, 1, 84], [59, 82, 139], [33, 145, 140], [
  94,
  201,
  98,
], [253, 231, 37]];

/**
 * The colours of {@linkcode Footprints.toPng}: RGB stops spread evenly over
 * the log scale, from four decades below the maximum to the maximum.
 */
export const FOOTPRINT_COLORS: readonly (readonly [number, number, number])[] = STOPS;

/** Options of {@linkcode Footprints.toPng}. */
export interface FootprintPngOptions {
  /** The slot (default: the mean over slots). */
  time?: Date | string | { index: number };
  /** Lowest value coloured (log scale). Default: `vmax / 10⁴`. */
  vmin?: number;
  /** Value of the top colour. Default: the maximum of the field. */
  vmax?: number;
  /** RGB stops, low to high (at least two). Default {@linkcode FOOTPRINT_COLORS}. */
  colors?: readonly (readonly [number, number, number])[];
}

/**
 * The colour range of a field: `vmin`/`vmax` as given, else four decades
 * below the maximum to the maximum.
 *
 * @param field The values.
 * @param options `vmin`, `vmax`.
 * @returns `lo` and `hi` (both 0 when the field has no positive value and no range is given).
 * @throws {InvalidArgumentError} When a bound is not a positive number or `vmin >= vmax`.
 */
export function footprintRange(
  field: ArrayLike<number>,
  options: { vmin?: number; vmax?: number } = {},
): { lo: number; hi: number } {
  if (
    typeof field !== "object" || field === null || typeof field.length !== "number"
  ) {
    throw new InvalidArgumentError("footprintRange", "field", field, "an array of numbers");
  }
  options = checkOptions("footprintRange", options, { vmin: true, vmax: true });
  options = { ...options };
  for (const k of ["vmin", "vmax"] as const) {
    const v: unknown = options[k];
    if (v === undefined) continue;
    const n = typeof v === "string" && v.trim() !== "" ? Number(v) : v;
    if (!(typeof n === "number" && n > 0 && Number.isFinite(n))) {
      throw new InvalidArgumentError(`${k} must be a positive number (log scale), not ${v}`);
    }
    options[k] = n;
  }
  let max = 0;
  for (let i = 0; i < field.length; i++) if (field[i] > max) max = field[i];
  const hi = options.vmax ??
    (options.vmin !== undefined && max <= options.vmin ? options.vmin * 1e4 : max);
  const lo = options.vmin ?? hi / 1e4;
  if (hi > 0 && !(lo < hi)) {
    throw new InvalidArgumentError(`vmin (${lo}) must be below vmax (${hi})`);
  }
  return { lo, hi };
}

function ramp(
  x: number,
  stops: readonly (readonly [number, number, number])[] = STOPS,
): [number, number, number] {
  const s = x * (stops.length - 1);
  const k = Math.min(stops.length - 2, Math.floor(s));
  const t = s - k;
  return [0, 1, 2].map((c) => Math.round(stops[k][c] + t * (stops[k + 1][c] - stops[k][c]))) as [
    number,
    number,
    number,
  ];
}

async function encodePng(width: number, height: number, raw: Uint8Array): Promise<Uint8Array> {
  const zlib = new Uint8Array(
    await new Response(
      new Blob([raw as Uint8Array<ArrayBuffer>]).stream().pipeThrough(
        new CompressionStream("deflate"),
      ),
    )
      .arrayBuffer(),
  );
  const chunk = (type: string, data: Uint8Array) => {
    const out = new Uint8Array(12 + data.length);
    const dv = new DataView(out.buffer);
    dv.setUint32(0, data.length);
    out.set(new TextEncoder().encode(type), 4);
    out.set(data, 8);
    dv.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
    return out;
  };
  const ihdr = new Uint8Array(13);
  const hv = new DataView(ihdr.buffer);
  hv.setUint32(0, width);
  hv.setUint32(4, height);
  ihdr.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA
  const parts = [
    new Uint8Array([137, 80, 78, 71, 13, 10, 26, 10]),
    chunk("IHDR", ihdr),
    chunk("IDAT", zlib),
    chunk("IEND", new Uint8Array(0)),
  ];
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** A footprint raster of the STILT viewer's `footprint` endpoint. */
export interface Raster {
  /** Rows (latitudes). */
  nLat: number;
  /** Columns (longitudes). */
  nLon: number;
  /** Smallest value. */
  min: number;
  /** Largest value. */
  max: number;
  /** Southernmost row latitude. */
  latMin: number;
  /** Northernmost row latitude. */
  latMax: number;
  /** Westernmost column longitude. */
  lonMin: number;
  /** Easternmost column longitude. */
  lonMax: number;
  /** Values, row 0 south, west to east. */
  values: Float64Array;
}

/**
 * Decodes the viewer's big-endian footprint raster: 8 header values
 * `[nLat, nLon, min, max, latMin, latMax, lonMin, lonMax]`, then the rows.
 *
 * @param bytes The response body.
 * @returns The raster.
 * @throws {TruncatedDataError} When the body is shorter than its header says.
 * @throws {CorruptDataError} When the header is not a grid.
 *
 * @example
 * ```ts
 * import { decodeRaster } from "./footprints.ts";
 * import assert from "node:assert/strict";
 *
 * const dv = new DataView(new ArrayBuffer(64 + 16));
 * [1, 2, 0, 5, 33, 33, -15, -14.875, 0, 5].forEach((v, i) => dv.setFloat64(i * 8, v));
 * const r = decodeRaster(new Uint8Array(dv.buffer));
 * assert.deepEqual([r.nLat, r.nLon, r.max], [1, 2, 5]);
 * assert.deepEqual(Array.from(r.values), [0, 5]);
 * ```
 */
export function decodeRaster(bytes: Uint8Array): Raster {
  if (bytes.length < 64) {
    throw new TruncatedDataError(`Truncated footprint raster: ${bytes.length} of 64 header bytes`, {
      byteOffset: bytes.length,
    });
  }
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const h = Array.from({ length: 8 }, (_, i) => dv.getFloat64(i * 8));
  const [nLat, nLon] = h;
  if (
    !Number.isInteger(nLat) || !Number.isInteger(nLon) || nLat < 0 || nLon < 0 || nLat * nLon > 1e8
  ) {
    throw new CorruptDataError(`Footprint raster header is not a grid: ${nLat} × ${nLon}`, {
      byteOffset: 0,
    });
  }
  const need = 64 + 8 * nLat * nLon;
  if (bytes.length < need) {
    throw new TruncatedDataError(
      `Truncated footprint raster: expected ${need} bytes, got ${bytes.length}`,
      {
        byteOffset: bytes.length,
      },
    );
  }
  const values = new Float64Array(nLat * nLon);
  for (let k = 0; k < values.length; k++) values[k] = dv.getFloat64(64 + k * 8);
  return {
    nLat,
    nLon,
    min: h[2],
    max: h[3],
    latMin: h[4],
    latMax: h[5],
    lonMin: h[6],
    lonMax: h[7],
    values,
  };
}

/** Evenly spaced coordinates from the first to the last. */
export function axis(first: number, last: number, n: number): Float64Array {
  first = finiteNumber("axis", "first", first);
  last = finiteNumber("axis", "last", last);
  n = integer("axis", "n", n);
  const out = new Float64Array(n);
  const step = n > 1 ? (last - first) / (n - 1) : 0;
  for (let i = 0; i < n; i++) out[i] = first + i * step;
  return out;
}
