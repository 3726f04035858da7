// Private: STILT result packages (docs/protocol.md §7.5, `joinfootprints`):
// a zip with the footprints of a date range joined along time in one
// NetCDF-4 file, the time series as CSV and a model description as JSON.

import { createHash } from "node:crypto";
import { encodeNetcdf4, type Netcdf4AttributeValue } from "@icoscp/icoscp/codecs";
import { zipArchive } from "../_zip.ts";
import { footprintGrid, gridLats, gridLons, N_LAT, N_LON, stiltTime } from "./_footprint.ts";
import { javaDecimal3 } from "./_java_numbers.ts";
import { isoMinute } from "./_slots.ts";
import { CH4_KEYS, type ProcessedRow } from "./_concentration_rows.ts";
import type { StiltStationDef } from "./_stations.ts";

/** The 30 variables of the packaged time-series CSV, in file order. */
export const PACKAGED_COLUMNS: readonly string[] = [
  "co2.stilt",
  "co2.background",
  "co2.bio",
  "co2.bio.gee",
  "co2.bio.resp",
  "co2.fuel",
  "co2.fuel.oil",
  "co2.fuel.coal",
  "co2.fuel.gas",
  "co2.fuel.bio",
  "co2.fuel.waste",
  "co2.energy",
  "co2.transport",
  "co2.industry",
  "co2.residential",
  "co2.cement",
  "co2.non_fuel",
  "co2.other_categories",
  ...CH4_KEYS,
];

/** Attributes every single-slot footprint file carries (`foot` on the server). */
export const FOOT_GLOBALS: Readonly<Record<string, string>> = {
  backtime: "240 hours",
  description:
    "STILT footprints aggregated on a lon/lat grid for one release time, integrated over the backtime hours before it (emulated data)",
};

/** The NetCDF-4 bytes of the footprints of `slots` joined along the unlimited time axis. */
export async function footprintNetcdf(
  station: StiltStationDef,
  slots: readonly number[],
  seed: number,
  extraGlobals: Readonly<Record<string, Netcdf4AttributeValue>> = {},
  pause: () => Promise<void> = () => Promise.resolve(),
): Promise<Uint8Array> {
  const cells = N_LAT * N_LON;
  const foot = new Float64Array(slots.length * cells);
  for (let k = 0; k < slots.length; k++) {
    foot.set(footprintGrid(station, slots[k], seed), k * cells);
    await pause();
  }
  return encodeNetcdf4({
    dimensions: [
      { name: "lon", size: N_LON },
      { name: "lat", size: N_LAT },
      { name: "time", size: slots.length, unlimited: true },
    ],
    variables: [
      {
        name: "lon",
        type: "double",
        dimensions: ["lon"],
        data: gridLons(),
        attributes: { units: "degrees_east", long_name: "longitude of the grid cell centres" },
      },
      {
        name: "lat",
        type: "double",
        dimensions: ["lat"],
        data: gridLats(),
        attributes: { units: "degrees_north", long_name: "latitude of the grid cell centres" },
      },
      {
        name: "time",
        type: "double",
        dimensions: ["time"],
        data: slots.map(stiltTime),
        attributes: {
          units: "days since 2000-01-01 00:00:00 UTC",
          long_name: "footprint release time",
        },
      },
      {
        name: "foot",
        type: "double",
        dimensions: ["time", "lat", "lon"],
        data: foot,
        chunkSizes: [1, N_LAT, N_LON],
        deflateLevel: 9,
        attributes: {
          units: "ppm per (micromol m-2 s-1)",
          _FillValue: -1e30,
          long_name: "STILT footprint integrated over the backtime",
        },
      },
    ],
    attributes: { ...FOOT_GLOBALS, ...extraGlobals },
  });
}

/** Global attributes the packager adds to the joined file. */
export function packageGlobals(
  station: StiltStationDef,
  from: string,
  to: string,
): Record<string, Netcdf4AttributeValue> {
  return {
    latstart: station.lat,
    lonstart: station.lon,
    aglstart: Int32Array.of(station.alt),
    title:
      `STILT transport model results (footprints) for station ${station.id} from ${from} to ${to}`,
    Conventions: "CF-1.6",
    source: "STILT (emulated by icoscp for TypeScript)",
    product_version: "1.0.0",
    frequency: "3hr",
    contact: "Local Carbon Portal emulator (no contact person)",
    institution: "icoscp for TypeScript emulator",
    license: "CC-BY 4.0",
    creator: "icoscp for TypeScript emulator",
    crs: "spherical earth with radius of 6371 km",
    geospatial_lat_resolution: "1/12 degree",
    geospatial_lon_resolution: "1/8 degree",
    realm: "atmos",
    references: "Lin et al., 2003, https://doi.org/10.1029/2002JD003161",
    keywords: "atmospheric transport model, tracer transport, footprint",
    summary:
      "Synthetic STILT footprints generated deterministically by a local emulator of the ICOS Carbon Portal; not model output.",
  };
}

/** The packaged time-series CSV: every slot of the range, empty cells where no result exists. */
export function timeseriesCsv(rows: readonly [number, ProcessedRow | undefined][]): string {
  const lines = [["isodate", ...PACKAGED_COLUMNS].join(",")];
  for (const [sec, row] of rows) {
    const cells = PACKAGED_COLUMNS.map((c) => {
      const v = row?.get(c);
      if (typeof v === "number") return Number.isFinite(v) ? javaDecimal3(v) : "";
      return v ?? "";
    });
    lines.push([isoMinute(sec), ...cells].join(","));
  }
  return lines.map((l) => l + "\n").join("");
}

/** The model description put in every package as `stilt_model_metadata.json`. */
export function modelMetadataJson(): string {
  const doc = {
    model: {
      name: "STILT",
      description:
        "Stochastic Time-Inverted Lagrangian Transport model: particles are followed 10 days backward in time from the station to derive its footprint. In this emulator the footprints and concentrations are synthetic.",
      references: ["Lin et al., 2003, https://doi.org/10.1029/2002JD003161"],
      versions: [{ id: "emulated", valid_period: { start: "2006-01-01", end: null } }],
      spatial: {
        geolocation: "Europe",
        resolution: "1/8° longitude x 1/12° latitude",
        crs: "spherical earth with radius of 6371 km",
      },
      temporal: { resolution: "3-hourly" },
    },
    meteorology: {
      name: "synthetic",
      description: "Smooth synthetic winds and mixing heights generated from a seed.",
      temporal: { resolution: "3-hourly" },
    },
  };
  return JSON.stringify(doc, null, 2) + "\n";
}

/** A built result package. */
export interface ResultPackage {
  /** `<id>_<from>_<to>_<md5>.zip` */
  fileName: string;
  bytes: Uint8Array<ArrayBuffer>;
}

/** Builds the zip of a batch (entries as the real packager names them). */
export async function buildPackage(
  station: StiltStationDef,
  from: string,
  to: string,
  slots: readonly number[],
  rows: readonly [number, ProcessedRow | undefined][],
  seed: number,
  pause: () => Promise<void>,
): Promise<ResultPackage> {
  const prefix = `${station.id}_${from}_${to}`;
  const nc = await footprintNetcdf(station, slots, seed, packageGlobals(station, from, to), pause);
  const modified = new Date((slots[slots.length - 1] + 86400) * 1000);
  const enc = new TextEncoder();
  const bytes = zipArchive([
    { name: `${prefix}_footprint.nc`, data: nc, modified },
    { name: `${prefix}_timeseries.csv`, data: enc.encode(timeseriesCsv(rows)), modified },
    { name: "stilt_model_metadata.json", data: enc.encode(modelMetadataJson()), modified },
  ], { kind: "deflate", level: 0 });
  const md5 = createHash("md5").update(bytes).digest("hex");
  return { fileName: `${prefix}_${md5}.zip`, bytes };
}
