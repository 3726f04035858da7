// Private: a minimal NetCDF classic (CDF-1) writer for the emulator's
// spatial data object: fixed-size dimensions, text attributes, and
// double or float variables.

/** A variable of a CDF-1 file. */
export interface NcVariable {
  readonly name: string;
  readonly dims: readonly string[];
  readonly type: "double" | "float";
  readonly attributes: Readonly<Record<string, string>>;
  readonly values: ArrayLike<number>;
}

/** The content of a CDF-1 file. */
export interface NcFile {
  readonly dims: readonly { name: string; size: number }[];
  readonly attributes: Readonly<Record<string, string>>;
  readonly variables: readonly NcVariable[];
}

const NC_DIMENSION = 10;
const NC_VARIABLE = 11;
const NC_ATTRIBUTE = 12;
const NC_CHAR = 2;
const NC_FLOAT = 5;
const NC_DOUBLE = 6;

class Writer {
  bytes: number[] = [];
  u32(n: number): void {
    this.bytes.push((n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255);
  }
  name(s: string): void {
    const b = new TextEncoder().encode(s);
    this.u32(b.length);
    this.bytes.push(...b);
    this.pad();
  }
  pad(): void {
    while (this.bytes.length % 4) this.bytes.push(0);
  }
  attrs(a: Readonly<Record<string, string>>): void {
    const entries = Object.entries(a);
    if (!entries.length) {
      this.u32(0);
      this.u32(0);
      return;
    }
    this.u32(NC_ATTRIBUTE);
    this.u32(entries.length);
    for (const [k, v] of entries) {
      this.name(k);
      this.u32(NC_CHAR);
      const b = new TextEncoder().encode(v);
      this.u32(b.length);
      this.bytes.push(...b);
      this.pad();
    }
  }
}

/** Encodes a CDF-1 file (no record dimension). */
export function writeNetcdf(file: NcFile): Uint8Array {
  const sizes = new Map(file.dims.map((d) => [d.name, d.size]));
  const varBytes = file.variables.map((v) => {
    const n = v.dims.reduce((p, d) => p * (sizes.get(d) ?? 0), 1);
    const width = v.type === "double" ? 8 : 4;
    return Math.ceil((n * width) / 4) * 4;
  });
  // The header size depends on the begin offsets only through their fixed width.
  const header = (begins: number[]): number[] => {
    const w = new Writer();
    w.bytes.push(0x43, 0x44, 0x46, 0x01);
    w.u32(0); // numrecs
    w.u32(NC_DIMENSION);
    w.u32(file.dims.length);
    for (const d of file.dims) {
      w.name(d.name);
      w.u32(d.size);
    }
    w.attrs(file.attributes);
    w.u32(NC_VARIABLE);
    w.u32(file.variables.length);
    const dimIndex = new Map(file.dims.map((d, i) => [d.name, i]));
    file.variables.forEach((v, i) => {
      w.name(v.name);
      w.u32(v.dims.length);
      for (const d of v.dims) w.u32(dimIndex.get(d) ?? 0);
      w.attrs(v.attributes);
      w.u32(v.type === "double" ? NC_DOUBLE : NC_FLOAT);
      w.u32(varBytes[i]);
      w.u32(begins[i]);
    });
    return w.bytes;
  };
  const headerLength = header(file.variables.map(() => 0)).length;
  const begins: number[] = [];
  let pos = headerLength;
  for (const size of varBytes) {
    begins.push(pos);
    pos += size;
  }
  const out = new Uint8Array(pos);
  out.set(header(begins));
  const dv = new DataView(out.buffer);
  file.variables.forEach((v, i) => {
    let p = begins[i];
    for (let k = 0; k < v.values.length; k++) {
      if (v.type === "double") {
        dv.setFloat64(p, v.values[k]);
        p += 8;
      } else {
        dv.setFloat32(p, v.values[k]);
        p += 4;
      }
    }
  });
  return out;
}
