// Bench helper: the synthetic 6-column table of the performance anchors
// (TIMESTAMP DOUBLE ms, co2 DOUBLE, co2_stdev FLOAT, co2_2 FLOAT, NbPoints INT,
// Flag CHAR; 30 bytes a row), generated deterministically as a /cpb body.

import type { CpbSchema } from "../src/cpb/cpb.ts";

/** The schema of the bench table for `rows` rows. */
export function benchSchema(rows: number): CpbSchema {
  return {
    columns: ["DOUBLE", "DOUBLE", "FLOAT", "FLOAT", "INT", "CHAR"],
    size: rows,
    labels: ["TIMESTAMP", "co2", "co2_stdev", "co2_2", "NbPoints", "Flag"],
  };
}

/** A big-endian, column-major body of the bench table. */
export function benchBody(rows: number): Uint8Array {
  const body = new Uint8Array(rows * 30);
  const dv = new DataView(body.buffer);
  let pos = 0;
  const t0 = Date.UTC(2016, 4, 10);
  for (let i = 0; i < rows; i++, pos += 8) dv.setFloat64(pos, t0 + i * 3_600_000);
  for (let i = 0; i < rows; i++, pos += 8) {
    dv.setFloat64(
      pos,
      410 + 8 * Math.sin(i / 1400) + 3 * Math.sin(i / 3.8) + ((i * 7919) % 97) / 97,
    );
  }
  for (let i = 0; i < rows; i++, pos += 4) dv.setFloat32(pos, 0.05 + ((i * 31) % 50) / 100);
  for (let i = 0; i < rows; i++, pos += 4) dv.setFloat32(pos, 405 + ((i * 13) % 200) / 10);
  for (let i = 0; i < rows; i++, pos += 4) dv.setInt32(pos, (i * 17) % 13);
  for (let i = 0; i < rows; i++, pos += 2) dv.setUint16(pos, i % 10 === 0 ? 78 : 79);
  return body;
}
