// Private: original files of the formats users read besides the binary
// tables — an ObsPack NetCDF time series, an ETC L2 archive (zipped CSV
// tables) and, on request, a level-3 flux NetCDF of realistic size (tens
// of MB). Synthetic values, real layouts (ObsPack variable and attribute
// names; ETC FLUXES/METEO/VARINFO tables; a CF grid, one day after another).

import { writeNetcdf } from "./_netcdf.ts";
import { prng, subSeed } from "./_prng.ts";
import { zipArchive } from "./_zip.ts";

const HOUR = 3_600_000;
const pad2 = (n: number) => String(n).padStart(2, "0");

/** Rows of the emulator's ObsPack file: hourly, June 2022, Hyltemossa 150 m. */
export const OBSPACK_ROWS = 30 * 24;
const OBSPACK_START = Date.UTC(2022, 5, 1);

/** An ObsPack CO2 tower time series (NetCDF classic), HTM 150 m, June 2022. */
export function obspackNetcdf(seed: number): Uint8Array {
  const rnd = prng(subSeed(seed, "obspack/HTM150"));
  const n = OBSPACK_ROWS;
  const time: number[] = [];
  const decimal: number[] = [];
  const value: number[] = [];
  const sd: number[] = [];
  const nvalue: number[] = [];
  const flags: string[] = [];
  const stamps: string[] = [];
  let synoptic = 0;
  for (let i = 0; i < n; i++) {
    const t = OBSPACK_START + i * HOUR;
    time.push(t / 1000);
    const y0 = Date.UTC(2022, 0, 1);
    decimal.push(2022 + (t - y0) / (Date.UTC(2023, 0, 1) - y0));
    const hour = new Date(t).getUTCHours();
    synoptic = 0.95 * synoptic + 0.6 * rnd.normal();
    const ppm = 414 + 4 * Math.cos((2 * Math.PI * (hour - 4)) / 24) + synoptic;
    const missing = rnd.next() < 0.01;
    value.push(missing ? NaN : Math.round(ppm * 1000) / 1e9);
    sd.push(missing ? -99.99 : Math.round(Math.abs(0.1 + 0.05 * rnd.normal()) * 1000) / 1e9);
    nvalue.push(missing ? -9 : 8 + rnd.int(5));
    flags.push(missing ? "N" : "O");
    stamps.push(new Date(t).toISOString().slice(0, 19) + "Z");
  }
  const same = (v: number) => Array.from({ length: n }, () => v);
  const floatVar = (
    name: string,
    values: number[],
    attributes: Record<string, string | number>,
  ) => ({
    name,
    dims: ["time"],
    type: "float" as const,
    attributes,
    values,
  });
  return writeNetcdf({
    dims: [{ name: "time", size: n }, { name: "string_of_20chars", size: 20 }],
    attributes: {
      Conventions: "CF-1.8",
      title: "ICOS ObsPack CO2 (emulated, synthetic values)",
      site_code: "HTM",
      site_name: "Hyltemossa",
      site_country: "Sweden",
      site_latitude: 56.0976,
      site_longitude: 13.4189,
      site_elevation: 115,
      site_elevation_unit: "masl",
      dataset_intake_ht: 150,
      dataset_intake_ht_unit: "magl",
      dataset_project: "tower-insitu",
      dataset_calibration_scale: "WMO CO2 X2019",
      dataset_parameter: "co2",
      dataset_selection: "allvalid",
      obspack_name: "obspack_co2_466_ICOS_emulated",
      obspack_citation: "Emulated ObsPack of the icoscp for TypeScript emulator",
    },
    variables: [
      {
        name: "time",
        dims: ["time"],
        type: "int",
        attributes: {
          standard_name: "time",
          units: "seconds since 1970-01-01T00:00:00Z",
          calendar: "standard",
        },
        values: time,
      },
      {
        name: "time_decimal",
        dims: ["time"],
        type: "double",
        attributes: { long_name: "sample_decimal_year_in_UTC" },
        values: decimal,
      },
      {
        name: "datetime",
        dims: ["time", "string_of_20chars"],
        type: "char",
        attributes: { long_name: "UTC time", comment: "ISO 8601" },
        values: stamps.map((s) => s.padEnd(20, "\0")).join(""),
      },
      floatVar("value", value, {
        long_name: "measured_mole_fraction_of_trace_gas_in_dry_air",
        units: "mol mol-1",
        _FillValue: NaN,
        scale_comment: "WMO CO2 X2019",
      }),
      floatVar("value_std_dev", sd, {
        long_name: "standard_deviation_in_reported_value",
        units: "mol mol-1",
        _FillValue: -99.99,
      }),
      {
        name: "nvalue",
        dims: ["time"],
        type: "int",
        attributes: {
          long_name: "number_of_measurements_contributing_to_reported_value",
          _FillValue: -9,
        },
        values: nvalue,
      },
      floatVar("latitude", same(56.0976), {
        units: "decimal degrees north (-90..90)",
        _FillValue: -99.99,
      }),
      floatVar("longitude", same(13.4189), {
        units: "decimal degrees east (-180..180)",
        _FillValue: -99.99,
      }),
      floatVar("altitude", same(265), {
        units: "meters above sea level (masl)",
        _FillValue: -99.99,
      }),
      floatVar("intake_height", same(150), {
        units: "meters above ground level (magl)",
        _FillValue: -99.99,
      }),
      {
        name: "qc_flag",
        dims: ["time"],
        type: "char",
        attributes: { long_name: "quality control flag", comment: "O: good, N: not validated" },
        values: flags.join(""),
      },
      {
        name: "icos_datalevel",
        dims: ["time"],
        type: "byte",
        attributes: { long_name: "icos_data_release_level", _FillValue: 0 },
        values: same(2),
      },
    ],
  });
}

/** Half-hours in the ETC archive's tables: June 2022. */
export const ETC_ARCHIVE_ROWS = 30 * 48;

const etcStamp = (t: number) => {
  const d = new Date(t);
  return `${d.getUTCFullYear()}${pad2(d.getUTCMonth() + 1)}${pad2(d.getUTCDate())}` +
    `${pad2(d.getUTCHours())}${pad2(d.getUTCMinutes())}`;
};

/** An ETC L2 archive of SE-Htm, June 2022: FLUXES, METEO and VARINFO tables, deflated. */
export function etcArchiveZip(seed: number): Uint8Array {
  const rnd = prng(subSeed(seed, "etc-archive/SE-Htm"));
  const start = Date.UTC(2022, 5, 1); // local standard time read as UTC
  const fluxes = ["TIMESTAMP_START,TIMESTAMP_END,FC,FC_UNCLEANED,H,LE,NEE,USTAR,FC_SSITC_TEST"];
  const meteo = ["TIMESTAMP_START,TIMESTAMP_END,TA_1_1_1,RH_1_1_1,SW_IN_1_1_1,P_1_1_1"];
  const num = (x: number, missing: boolean) => missing ? "-9999" : String(Number(x.toFixed(4)));
  for (let i = 0; i < ETC_ARCHIVE_ROWS; i++) {
    const a = start + i * 1_800_000;
    const b = a + 1_800_000;
    const hour = new Date(a).getUTCHours() + new Date(a).getUTCMinutes() / 60;
    const sun = Math.max(0, Math.sin((Math.PI * (hour - 4)) / 17));
    const fc = 3 - 18 * sun + rnd.normal();
    const miss = () => rnd.next() < 0.01;
    fluxes.push([
      etcStamp(a),
      etcStamp(b),
      num(fc, miss()),
      num(fc + 0.3 * rnd.normal(), false),
      num(300 * sun - 20 + 10 * rnd.normal(), miss()),
      num(200 * sun + 5 + 8 * rnd.normal(), miss()),
      num(fc + 0.1, miss()),
      num(0.2 + 0.4 * sun + 0.05 * Math.abs(rnd.normal()), false),
      String(rnd.int(3)),
    ].join(","));
    meteo.push([
      etcStamp(a),
      etcStamp(b),
      num(12 + 8 * sun + rnd.normal(), miss()),
      num(85 - 30 * sun + 3 * rnd.normal(), false),
      num(900 * sun * (0.6 + 0.4 * rnd.next()), false),
      num(rnd.next() < 0.05 ? rnd.next() * 2 : 0, false),
    ].join(","));
  }
  const varinfo = [
    "VARIABLE_GROUP,VARIABLE,DATAVALUE",
    "GRP_VAR_INFO,VAR_INFO_VARNAME,FC",
    "GRP_VAR_INFO,VAR_INFO_UNIT,umolCO2 m-2 s-1",
    "GRP_VAR_INFO,VAR_INFO_VARNAME,H",
    "GRP_VAR_INFO,VAR_INFO_UNIT,W m-2",
    "GRP_VAR_INFO,VAR_INFO_VARNAME,LE",
    "GRP_VAR_INFO,VAR_INFO_UNIT,W m-2",
    "GRP_VAR_INFO,VAR_INFO_VARNAME,TA_1_1_1",
    "GRP_VAR_INFO,VAR_INFO_UNIT,deg C",
  ];
  const enc = new TextEncoder();
  const time = new Date(Date.UTC(2023, 2, 1, 8));
  return zipArchive([
    {
      name: "ICOSETC_SE-Htm_FLUXES_L2.csv",
      data: enc.encode(fluxes.join("\n") + "\n"),
      modified: time,
    },
    {
      name: "ICOSETC_SE-Htm_METEO_L2.csv",
      data: enc.encode(meteo.join("\n") + "\n"),
      modified: time,
    },
    {
      name: "ICOSETC_SE-Htm_VARINFO_FLUXES_L2.csv",
      data: enc.encode(varinfo.join("\n") + "\n"),
      modified: time,
    },
  ], { kind: "deflate", level: 6 });
}

/** Shape of the level-3 flux object: daily 2022 on a 0.25° × 0.2° European grid. */
export const LEVEL3_SHAPE = { time: 365, lat: 160, lon: 200 } as const;

/**
 * A level-3 daily CO2 flux product over Europe, 2022, as NetCDF classic: one
 * day is 128 000 contiguous bytes of `co2flux_land`, about 47 MB in all.
 */
export function level3Netcdf(seed: number): Uint8Array {
  const rnd = prng(subSeed(seed, "level3/fluxes"));
  const { time: nt, lat: ny, lon: nx } = LEVEL3_SHAPE;
  const lat = Float64Array.from({ length: ny }, (_, i) => 34 + 0.25 * i + 0.125);
  const lon = Float64Array.from({ length: nx }, (_, j) => -15 + 0.25 * j + 0.125);
  const days = Float64Array.from({ length: nt }, (_, d) => d + 0.5);
  const flux = new Float32Array(nt * ny * nx);
  const land = new Float32Array(ny * nx);
  const bump = new Float32Array(ny * nx);
  for (let k = 0; k < land.length; k++) {
    land[k] = 0.3 + rnd.next();
    bump[k] = rnd.next() - 0.5;
  }
  for (let d = 0; d < nt; d++) {
    const season = Math.cos((2 * Math.PI * (d - 196)) / 365);
    const base = d * ny * nx;
    const noise = 0.3 * rnd.normal();
    for (let i = 0; i < ny; i++) {
      const f = 0.4 - 2 * season * (lat[i] / 60);
      for (let k = i * nx; k < (i + 1) * nx; k++) flux[base + k] = land[k] * f + noise * bump[k];
    }
  }
  return writeNetcdf({
    dims: [{ name: "time", size: nt }, { name: "lat", size: ny }, { name: "lon", size: nx }],
    attributes: {
      title: "Emulated level-3 daily CO2 fluxes over Europe, 2022 (synthetic values)",
      institution: "icoscp for TypeScript emulator",
      Conventions: "CF-1.8",
    },
    variables: [
      {
        name: "time",
        dims: ["time"],
        type: "double",
        attributes: { units: "days since 2022-01-01 00:00:00", calendar: "standard" },
        values: days,
      },
      {
        name: "lat",
        dims: ["lat"],
        type: "double",
        attributes: { units: "degrees_north" },
        values: lat,
      },
      {
        name: "lon",
        dims: ["lon"],
        type: "double",
        attributes: { units: "degrees_east" },
        values: lon,
      },
      {
        name: "co2flux_land",
        dims: ["time", "lat", "lon"],
        type: "float",
        attributes: {
          units: "micromol m-2 s-1",
          long_name: "net land CO2 flux to the atmosphere",
          _FillValue: 9.969209968386869e36,
        },
        values: flux,
      },
    ],
  });
}
