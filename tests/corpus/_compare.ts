// The corpus comparison: every variable of a file read by our public API
// (`openNetCDF`) against the raw values tests/corpus/peer.py dumped from
// netCDF4-python or h5py, element by element; the score; the CI gate
// against tests/corpus/expected.json.
//
// Both sides are raw: no _FillValue masking, no scale_factor/add_offset,
// no _Unsigned (peer.py turns netCDF4-python's auto mask/scale,
// always-mask and char-to-string off; we read with `decoded: false`).
// Fill values therefore compare as the stored numbers, and a variable
// shorter than its unlimited dimension must read padded with its fill
// value, as netCDF-C pads it. Numbers compare with ===, except that NaN
// equals NaN (any NaN payload), so -0 equals 0; integers of 64 bits
// compare as bigints. The JavaScript type must be the one the peer's
// dtype maps to (Int8Array for int8 …, Float32Array for float16), char
// compares as bytes and strings as strings.

import { openNetCDF } from "../../src/netcdf/netcdf_file.ts";
import type { NetCDFFile, NetCDFGroup, NetCDFVariable } from "../../src/netcdf/netcdf_file.ts";
import { CarbonPortalError } from "../../src/errors.ts";

/** What happened to one variable. */
export type Status =
  | "correct"
  | "wrong" // values, shape or type differ
  | "our-error" // our openNetCDF or read threw
  | "missing" // the peer reads it, our listing lacks it
  | "peer-error" // the peer could not read it: not counted
  | "extra"; // we list it, the peer does not: not counted

/** One variable's result. */
export interface VariableResult {
  path: string;
  status: Status;
  reason?: string;
}

/** The on-disk family of a file. */
export type Family = "classic" | "hdf5" | "other";

/** One file's result. */
export interface FileResult {
  key: string;
  family: Family;
  peer: string | null;
  /** Why the peer could not open the file (its variables are then unknown). */
  peerError?: string;
  variables: VariableResult[];
}

/** A member, or the whole variable, as peer.py dumped it. */
export interface PeerEntry {
  name?: string;
  path?: string;
  kind: "numeric" | "char" | "string" | "compound" | "vlen" | "null" | "other";
  dtype?: string;
  shape?: readonly number[];
  bin?: string;
  strings?: readonly string[];
  lists?: readonly (readonly number[])[];
  members?: readonly PeerEntry[];
  stored?: string;
  error?: string | null;
  /** An HDF5 dimension scale (h5py entries). */
  scale?: boolean;
}

/** peer.py's manifest.json. */
export interface PeerManifest {
  peer: string | null;
  error: string | null;
  retry?: boolean;
  /** netCDF-C opened this HDF5 file (an h5py pass adds what it leaves out). */
  hdf5?: boolean;
  variables: (PeerEntry & { path: string; shape: readonly number[] })[];
}

/** The family of a file from its first bytes. */
export function family(bytes: Uint8Array): Family {
  if (bytes[0] === 0x43 && bytes[1] === 0x44 && bytes[2] === 0x46) return "classic";
  const hdf = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];
  // the HDF5 signature sits at 0, 512, 1024, 2048 … (after a user block)
  for (let at = 0; at + 8 <= bytes.length; at = at === 0 ? 512 : at * 2) {
    if (hdf.every((b, i) => bytes[at + i] === b)) return "hdf5";
  }
  return "other";
}

const CTORS: Record<string, string> = {
  i1: "Int8Array",
  u1: "Uint8Array",
  i2: "Int16Array",
  u2: "Uint16Array",
  i4: "Int32Array",
  u4: "Uint32Array",
  i8: "BigInt64Array",
  u8: "BigUint64Array",
  f4: "Float32Array",
  f8: "Float64Array",
};

type Loader = (bin: string) => Promise<Uint8Array>;

/** The peer's values of a numeric entry, as the typed array we should return. */
async function peerNumbers(e: PeerEntry, load: Loader): Promise<ArrayLike<number | bigint>> {
  const code = (e.dtype ?? "").slice(1);
  const name = CTORS[code];
  if (!name || !e.bin) throw new Error(`peer dtype ${e.dtype} unknown`);
  const bytes = await load(e.bin);
  const ctor = (globalThis as unknown as Record<string, {
    new (b: ArrayBuffer, o: number, n: number): ArrayLike<number | bigint>;
    BYTES_PER_ELEMENT: number;
  }>)[name];
  const copy = bytes.slice();
  return new ctor(copy.buffer, 0, copy.byteLength / ctor.BYTES_PER_ELEMENT);
}

function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  return typeof a === "number" && typeof b === "number" && a !== a && b !== b;
}

function show(x: unknown): string {
  if (typeof x === "bigint") return `${x}n`;
  return typeof x === "number" ? String(x) : JSON.stringify(x) ?? String(x);
}

/** Element-by-element: undefined when equal, else why not. */
function diff(ours: ArrayLike<unknown>, peer: ArrayLike<unknown>): string | undefined {
  if (ours.length !== peer.length) return `${ours.length} values, peer ${peer.length}`;
  let bad = 0;
  let first = -1;
  for (let i = 0; i < peer.length; i++) {
    if (!same(ours[i], peer[i])) {
      if (bad++ === 0) first = i;
    }
  }
  if (bad === 0) return undefined;
  return `${bad} of ${peer.length} values differ, first at ${first}: ` +
    `ours ${show(ours[first])}, peer ${show(peer[first])}`;
}

function typeName(x: unknown): string {
  if (Array.isArray(x)) return `array of ${typeof x[0]}`;
  return (x as object)?.constructor?.name ?? typeof x;
}

/** Compares our value with a peer entry: undefined when equal, else why not. */
export async function compareValue(
  ours: unknown,
  peer: PeerEntry,
  load: Loader,
): Promise<string | undefined> {
  switch (peer.kind) {
    case "null":
      return (ours as ArrayLike<unknown>)?.length === 0
        ? undefined
        : `null dataspace read as ${(ours as ArrayLike<unknown>)?.length} values`;
    case "char":
      if (Array.isArray(ours) && ours.every((x) => typeof x === "string") && peer.bin) {
        // fixed-length strings (h5py's reading, and ours) where netCDF-C
        // reads char arrays: the same bytes, NUL-padded to the width
        const want = await load(peer.bin);
        const w = ours.length ? want.length / ours.length : 0;
        const got = new Uint8Array(want.length);
        ours.forEach((x, i) => got.set(new TextEncoder().encode(x).subarray(0, w), i * w));
        return diff(got, want);
      }
    // falls through
    case "numeric": {
      const want = peer.kind === "char" ? "Uint8Array" : CTORS[(peer.dtype ?? "").slice(1)];
      if (typeName(ours) !== want) {
        return `type ${typeName(ours)}, peer ${peer.stored ?? peer.dtype} (${want})`;
      }
      return diff(ours as ArrayLike<unknown>, await peerNumbers(peer, load));
    }
    case "string": {
      if (Array.isArray(ours)) return diff(ours, peer.strings ?? []);
      if (ours instanceof Uint8Array && peer.bin) {
        return diff(ours, await load(peer.bin)); // fixed-length strings as char
      }
      return `type ${typeName(ours)}, peer strings`;
    }
    case "compound": {
      if (!ours || typeof ours !== "object" || ArrayBuffer.isView(ours) || Array.isArray(ours)) {
        return `compound read as ${typeName(ours)}`;
      }
      const record = ours as Record<string, unknown>;
      for (const m of peer.members ?? []) {
        if (!(m.name! in record)) return `compound member ${m.name} missing`;
        const why = await compareValue(record[m.name!], m, load);
        if (why) return `member ${m.name}: ${why}`;
      }
      return undefined;
    }
    case "vlen": {
      const lists = peer.lists ?? [];
      if (!Array.isArray(ours) || ours.length !== lists.length) {
        return `vlen read as ${typeName(ours)}`;
      }
      for (let i = 0; i < lists.length; i++) {
        const o = ours[i] as ArrayLike<unknown>;
        const why = o && typeof o === "object" ? diff(Array.from(o), lists[i]) : "not a list";
        if (why) return `element ${i}: ${why}`;
      }
      return undefined;
    }
    default:
      return `peer kind ${peer.kind}`;
  }
}

function errorText(e: unknown): string {
  const typed = e instanceof CarbonPortalError;
  const name = (e as Error)?.constructor?.name ?? typeof e;
  const message = String((e as Error)?.message ?? e).split("\n")[0].slice(0, 300);
  return `${typed ? "" : "untyped "}${name}: ${message}`;
}

function walk(g: NetCDFGroup, out: NetCDFVariable[]): NetCDFVariable[] {
  out.push(...g.variables);
  for (const sub of g.groups) walk(sub, out);
  return out;
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/**
 * Compares every variable of one file. Never throws: whatever goes wrong is
 * recorded in the result.
 */
export async function compareFile(
  key: string,
  bytes: Uint8Array,
  manifest: PeerManifest,
  load: Loader,
): Promise<FileResult> {
  const result: FileResult = { key, family: family(bytes), peer: manifest.peer, variables: [] };
  if (manifest.error) result.peerError = manifest.error;
  let nc: NetCDFFile | undefined;
  let openError: string | undefined;
  try {
    nc = await openNetCDF(bytes);
  } catch (e) {
    openError = errorText(e);
  }
  const listed = new Map<string, number>();
  try {
    for (const v of nc ? walk(nc, []) : []) listed.set(v.path, (listed.get(v.path) ?? 0) + 1);
  } catch (e) {
    openError = `listing: ${errorText(e)}`;
  }
  for (const p of manifest.variables) {
    const r: VariableResult = { path: p.path, status: "correct" };
    result.variables.push(r);
    const fail = (status: Status, reason: string) => Object.assign(r, { status, reason });
    if (p.error || p.kind === "other") {
      fail("peer-error", p.error ?? `peer kind ${p.kind}`);
      continue;
    }
    if (openError) {
      fail("our-error", openError);
      continue;
    }
    if (!listed.has(p.path)) {
      fail("missing", `not in our listing (peer: ${p.kind}${p.dtype ? ` ${p.dtype}` : ""})`);
      continue;
    }
    if (listed.get(p.path)! > 1) {
      fail("wrong", `listed ${listed.get(p.path)} times`);
      continue;
    }
    try {
      const v = nc!.variable(p.path);
      const shape = p.kind === "null" ? v.shape : p.shape;
      if (!sameShape(v.shape, shape)) {
        fail("wrong", `shape [${v.shape}], peer [${p.shape}]`);
        continue;
      }
      const ours = v.type === "compound" ? await nc!.readCompound(p.path) : await nc!.read(p.path);
      const why = await compareValue(ours, p, load);
      if (why) fail("wrong", why);
    } catch (e) {
      fail("our-error", errorText(e));
    }
  }
  const known = new Set(manifest.variables.map((v) => v.path));
  if (manifest.peer) {
    for (const path of listed.keys()) {
      if (!known.has(path)) {
        result.variables.push({ path, status: "extra", reason: "not listed by the peer" });
      }
    }
  }
  try {
    nc?.close();
  } catch { /* recorded nothing to compare */ }
  return result;
}

/** Counts of a run. */
export interface Score {
  files: number;
  correct: number;
  total: number;
  classic: { correct: number; total: number };
  hdf5: { correct: number; total: number };
  byStatus: Record<Status, number>;
}

/** The score: correct / total, where total counts what the peer read. */
export function score(results: readonly FileResult[]): Score {
  const s: Score = {
    files: results.length,
    correct: 0,
    total: 0,
    classic: { correct: 0, total: 0 },
    hdf5: { correct: 0, total: 0 },
    byStatus: { correct: 0, wrong: 0, "our-error": 0, missing: 0, "peer-error": 0, extra: 0 },
  };
  for (const f of results) {
    const part = f.family === "classic" ? s.classic : s.hdf5;
    for (const v of f.variables) {
      s.byStatus[v.status]++;
      if (v.status === "peer-error" || v.status === "extra") continue;
      s.total++;
      part.total++;
      if (v.status === "correct") {
        s.correct++;
        part.correct++;
      }
    }
  }
  return s;
}

/** tests/corpus/expected.json: what a run should give today. */
export interface Expected {
  /** At least this many files and compared variables (the corpus must not shrink). */
  files: number;
  variables: number;
  /** file key → variable path → status and reason of every variable not correct. */
  notCorrect: Record<string, Record<string, { status: Status; reason: string }>>;
}

/** The expected file describing `results` (what `--update` writes). */
export function expectedFrom(results: readonly FileResult[]): Expected {
  const s = score(results);
  const notCorrect: Expected["notCorrect"] = {};
  for (const f of [...results].sort((a, b) => a.key < b.key ? -1 : 1)) {
    for (const v of f.variables) {
      if (v.status === "correct") continue;
      (notCorrect[f.key] ??= {})[v.path] = { status: v.status, reason: v.reason ?? "" };
    }
    if (f.peerError && !f.variables.length) {
      (notCorrect[f.key] ??= {})[""] = { status: "peer-error", reason: f.peerError };
    }
  }
  return { files: s.files, variables: s.total, notCorrect };
}

/**
 * The CI gate: what differs from the expected results. A variable that was
 * correct and is not, a listed one that now passes or whose status changed,
 * or a smaller corpus: each is one line. Empty when the run matches.
 */
export function gate(results: readonly FileResult[], expected: Expected): string[] {
  const problems: string[] = [];
  const now = expectedFrom(results);
  if (now.files < expected.files) {
    problems.push(`corpus shrank: ${now.files} files, expected ${expected.files}`);
  }
  if (now.variables < expected.variables) {
    problems.push(
      `corpus shrank: ${now.variables} variables compared, expected ${expected.variables}`,
    );
  }
  const keys = new Set([...Object.keys(now.notCorrect), ...Object.keys(expected.notCorrect)]);
  for (const file of [...keys].sort()) {
    const was = expected.notCorrect[file] ?? {};
    const is = now.notCorrect[file] ?? {};
    const seen = new Set(results.find((f) => f.key === file)?.variables.map((v) => v.path));
    for (const path of new Set([...Object.keys(was), ...Object.keys(is)])) {
      const at = `${file} ${path || "(file)"}`;
      if (!was[path]) {
        problems.push(`regression: ${at} is ${is[path].status}: ${is[path].reason}`);
      } else if (!is[path]) {
        if (seen.has(path)) {
          problems.push(`now correct: ${at} (was ${was[path].status}): run --update`);
        } else if (results.some((f) => f.key === file)) {
          problems.push(`gone: ${at} (was ${was[path].status}) is no longer compared`);
        } else {
          problems.push(`gone: ${file} is no longer in the corpus`);
          break;
        }
      } else if (was[path].status !== is[path].status) {
        problems.push(
          `changed: ${at} was ${was[path].status}, now ${is[path].status}: ` +
            `${is[path].reason}: run --update if intended`,
        );
      }
    }
  }
  return problems;
}

/**
 * Failure categories: reasons with the variable's name, quoted names and
 * numbers blanked, most frequent first, each with a count and an example.
 */
export function categories(results: readonly FileResult[]): [string, number, string][] {
  const counts = new Map<string, { n: number; example: string }>();
  const escape = (t: string) => t.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  for (const f of results) {
    for (const v of f.variables) {
      if (v.status === "correct") continue;
      const name = v.path.split("/").at(-1) ?? "";
      let reason = (v.reason ?? "").replace(/"[^"]*"/g, '"…"');
      for (const n of [v.path, name].filter((n) => n.length > 0)) {
        reason = reason.replace(new RegExp(`(?<=\\bof )${escape(n)}(?![\\w/])`, "g"), "VAR");
      }
      reason = reason.replace(/(?<![A-Za-z])\d+/g, "N").slice(0, 140);
      const k = `${v.status}: ${reason}`;
      const c = counts.get(k) ?? { n: 0, example: `${f.key} ${v.path}` };
      c.n++;
      counts.set(k, c);
    }
  }
  return [...counts].sort((a, b) => b[1].n - a[1].n).map(([k, c]) => [k, c.n, c.example]);
}
