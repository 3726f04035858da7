// Private: a minimal NetCDF classic (CDF-1) writer for the emulator's
// NetCDF data objects: fixed-size dimensions, text or numeric attributes
// (numbers of a variable's own type, doubles for global ones), and double,
// float, int, short, byte or char variables (char values as text).

/** The variable types the writer knows. */
export type NcType = "double" | "float" | "int" | "short" | "byte" | "char";

/** An attribute: text, or numbers. */
export type NcAttribute = string | number | readonly number[];

/** A variable of a CDF-1 file. */
export interface NcVariable {
  readonly name: string;
  readonly dims: readonly string[];
  readonly type: NcType;
  readonly attributes: Readonly<Record<string, NcAttribute>>;
  /** Values in C order; for `char`, the text (padded with NULs to the shape). */
  readonly values: ArrayLike<number> | string;
}

/** The content of a CDF-1 file. */
export interface NcFile {
  readonly dims: readonly { name: string; size: number }[];
  readonly attributes: Readonly<Record<string, NcAttribute>>;
  readonly variables: readonly NcVariable[];
}

const NC_DIMENSION = 10;
const NC_VARIABLE = 11;
const NC_ATTRIBUTE = 12;
const NC_CHAR = 2;
const CODES: Record<NcType, number> = { byte: 1, char: 2, short: 3, int: 4, float: 5, double: 6 };
const WIDTH: Record<NcType, number> = { byte: 1, char: 1, short: 2, int: 4, float: 4, double: 8 };

function put(dv: DataView, p: number, type: NcType, v: number): void {
  if (type === "double") dv.setFloat64(p, v);
  else if (type === "float") dv.setFloat32(p, v);
  else if (type === "int") dv.setInt32(p, v);
  else if (type === "short") dv.setInt16(p, v);
  else dv.setInt8(p, v);
}

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
  attrs(a: Readonly<Record<string, NcAttribute>>, type: NcType = "double"): void {
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
      if (typeof v !== "string") {
        const t = type === "char" ? "double" : type;
        const values = typeof v === "number" ? [v] : v;
        this.u32(CODES[t]);
        this.u32(values.length);
        const b = new Uint8Array(values.length * WIDTH[t]);
        const dv = new DataView(b.buffer);
        values.forEach((x, i) => put(dv, i * WIDTH[t], t, x));
        this.bytes.push(...b);
        this.pad();
        continue;
      }
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
    return Math.ceil((n * WIDTH[v.type]) / 4) * 4;
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
      w.attrs(v.attributes, v.type);
      w.u32(CODES[v.type]);
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
    if (typeof v.values === "string") {
      out.set(new TextEncoder().encode(v.values).subarray(0, varBytes[i]), begins[i]);
      return;
    }
    const w = WIDTH[v.type];
    const values = v.values;
    const at = begins[i];
    if (v.type === "float") {
      for (let k = 0; k < values.length; k++) dv.setFloat32(at + 4 * k, values[k]);
    } else if (v.type === "double") {
      for (let k = 0; k < values.length; k++) dv.setFloat64(at + 8 * k, values[k]);
    } else for (let k = 0; k < values.length; k++) put(dv, at + k * w, v.type, values[k]);
  });
  return out;
}
