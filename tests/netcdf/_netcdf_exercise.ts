// Test helper: drives the public NetCDF API over one (possibly hostile)
// file the way a user would — open, list, read every variable whole and one
// hyperslab of it — and classifies what it threw. Used by the fuzz script
// (tests/netcdf/fuzz_netcdf.ts) and the regression replay in tests/netcdf/netcdf_test.ts.

import { DecodeError } from "../../src/errors.ts";
import { type InflateBackend, type NetCDFGroup, openNetCDF } from "../../src/netcdf/netcdf_file.ts";
import { InvalidArgumentError } from "../../src/errors.ts";

/** What one run did: `parsed` if the file opened; `untyped` holds an error that is not allowed. */
export interface Exercised {
  parsed: boolean;
  reads: number;
  untyped?: unknown;
}

/** Typed errors (and InvalidArgumentError for a box or path the file's own metadata made invalid). */
export function allowed(e: unknown): boolean {
  return e instanceof DecodeError || e instanceof InvalidArgumentError;
}

/** Opens `bytes` and reads everything with `inflate`, at most `maxBytes` per read. */
export async function exercise(
  bytes: Uint8Array,
  inflate: InflateBackend,
  rnd: () => number = Math.random,
  maxBytes = 1 << 26,
): Promise<Exercised> {
  const out: Exercised = { parsed: false, reads: 0 };
  let nc;
  try {
    nc = await openNetCDF(bytes, { inflate });
  } catch (e) {
    if (!allowed(e)) out.untyped = e;
    return out;
  }
  out.parsed = true;
  try {
    const vars: { path: string; shape: readonly number[]; compound: boolean }[] = [];
    const walk = (g: NetCDFGroup) => {
      for (const v of g.variables) {
        vars.push({ path: v.path, shape: v.shape, compound: v.type === "compound" });
      }
      g.groups.forEach(walk);
    };
    walk(nc);
    for (const v of vars) {
      const boxes: { start?: number[]; count?: number[] }[] = [{}];
      if (v.shape.length > 0 && v.shape.every((s) => s > 0)) {
        const start = v.shape.map((s) => Math.floor(rnd() * s));
        boxes.push({ start, count: v.shape.map((s, i) => 1 + Math.floor(rnd() * (s - start[i]))) });
      }
      for (const box of boxes) {
        try {
          out.reads++;
          if (v.compound) await nc.readCompound(v.path, { ...box, maxBytes });
          else await nc.read(v.path, { ...box, maxBytes, decoded: rnd() < 0.3 });
        } catch (e) {
          if (!allowed(e)) {
            out.untyped = e;
            return out;
          }
        }
      }
    }
  } finally {
    nc.close();
  }
  return out;
}
