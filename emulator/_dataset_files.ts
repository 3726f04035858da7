// Private: the file contents of the emulator's dataset that are not time
// series tables — the spatial NetCDF product, the read-me document and the
// benchmark-sized CSV files (rendered in chunks, so their hash needs no copy).

import { writeNetcdf } from "./_netcdf.ts";
import { prng, subSeed } from "./_prng.ts";

/** A synthetic monthly CO2 flux inversion over Europe on a 2° grid (classic NetCDF). */
export function fluxInversionNetcdf(seed: number): Uint8Array {
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
  return writeNetcdf({
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
}

/** The read-me document: how the synthetic data are made. */
export function readmeText(seed: number): Uint8Array {
  return new TextEncoder().encode([
    "Emulated ICOS data: read me",
    "",
    "The data objects of this local Carbon Portal emulator are synthetic. Station",
    "positions, names and heights are real ICOS facts; the values are not",
    "measurements. Seasonal and diurnal cycles, noise, gaps and quality flags are",
    `generated from seed ${seed}.`,
    "",
  ].join("\n"));
}

const BENCH_HEADER = "TIMESTAMP,co2,Flag\n";
const BENCH_ROW = 20 + 1 + 7 + 1 + 1 + 1; // 2000-01-01T00:00:00Z,410.123,O\n

/** The size in bytes of a benchmark file of `rows` rows. */
export function benchmarkSize(rows: number): number {
  return BENCH_HEADER.length + rows * BENCH_ROW;
}

/** Renders rows [from, to) of a benchmark file (the header with the first chunk). */
export function benchmarkFile(
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
