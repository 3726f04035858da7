// The corpus comparison, from the command line: every variable of every
// file under CACHE/files (built by tests/corpus/build.sh) read with our
// `openNetCDF` and with netCDF4-python / h5py (tests/corpus/peer.py),
// element by element (semantics in tests/corpus/_compare.ts).
//
//   deno run -A tests/corpus/compare.ts [--cache DIR] [--expected FILE] [--update]
//
// Prints the score and the failure categories, writes CACHE/results.json
// (every file and variable) and exits 1 when the run differs from
// tests/corpus/expected.json (see `gate`). `--update` rewrites that file
// from this run instead. Peer dumps are cached under CACHE/peer by file
// hash and peer.py hash, so a second run only runs our side. Files with
// the same bytes are compared once (under the first key in sorted order).
// ICOSCP_PYTHON names the Python (default .ci/.tools/venv/bin/python).

import { categories, compareFile, expectedFrom, type FileResult, gate, score } from "./_compare.ts";
import type { PeerEntry, PeerManifest } from "./_compare.ts";

const here = new URL(".", import.meta.url).pathname;
const root = new URL("../../", import.meta.url).pathname;

async function sha256(bytes: Uint8Array): Promise<string> {
  const d = await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(d), (b) => b.toString(16).padStart(2, "0")).join("");
}

async function listFiles(dir: string, prefix = ""): Promise<string[]> {
  const out: string[] = [];
  for await (const e of Deno.readDir(dir)) {
    if (e.name.startsWith(".")) continue;
    if (e.isDirectory) out.push(...await listFiles(`${dir}/${e.name}`, `${prefix}${e.name}/`));
    else if (e.isFile) out.push(`${prefix}${e.name}`);
  }
  return out.sort();
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch {
    return false;
  }
}

async function peerProcess(python: string, mode: string, jobs: { file: string; dir: string }[]) {
  const child = new Deno.Command(python, {
    args: [`${here}peer.py`, mode],
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(jobs.map((j) => `${j.file}\t${j.dir}\n`).join("")));
  await writer.close();
  return await child.output();
}

/**
 * Runs peer.py in `mode` over the jobs without a manifest. netCDF-C and
 * libhdf5 can crash, on a hostile file, on the next one from state an
 * earlier file left, or on exit: when the process dies, the file it was on
 * is retried alone in a new process, and only if that writes no manifest
 * either does it get one saying it crashed. The rest go to a new process,
 * so results do not depend on file order.
 */
async function runPeer(
  python: string,
  mode: "netCDF4" | "h5py",
  jobs: { file: string; dir: string }[],
): Promise<void> {
  for (;;) {
    const todo = [];
    for (const j of jobs) if (!await exists(`${j.dir}/manifest.json`)) todo.push(j);
    if (!todo.length) return;
    const out = await peerProcess(python, mode, todo);
    if (out.success) continue;
    // the manifest is written before the file is reported: the first file
    // without one is the one the process died on (none: it died on exit)
    let blamed;
    for (const j of todo) {
      if (!await exists(`${j.dir}/manifest.json`)) {
        blamed = j;
        break;
      }
    }
    if (!blamed) continue;
    const alone = await peerProcess(python, mode, [blamed]);
    if (await exists(`${blamed.dir}/manifest.json`)) continue; // died after its work, or not at all
    const why = new TextDecoder().decode(alone.stderr).trim().split("\n").at(-1) ?? "";
    await Deno.mkdir(blamed.dir, { recursive: true });
    const manifest: PeerManifest = {
      peer: null,
      error: `${mode} crashed (exit ${alone.code}${alone.signal ? `, ${alone.signal}` : ""}) ${why}`
        .trim(),
      retry: mode === "netCDF4",
      variables: [],
    };
    await Deno.writeTextFile(`${blamed.dir}/manifest.json`, JSON.stringify(manifest));
  }
}

/** A peer entry whose value files (`bin`, also of members) are under `prefix`. */
function inFolder<T extends PeerEntry>(e: T, prefix: string): T {
  return {
    ...e,
    ...(e.bin ? { bin: prefix + e.bin } : {}),
    ...(e.members ? { members: e.members.map((m) => inFolder(m, prefix)) } : {}),
  };
}

/** Dumps (or finds cached) peer values for each file: its dump folder. */
export async function peerDumps(
  cache: string,
  files: { file: string; sha: string }[],
  python: string,
): Promise<Map<string, string>> {
  const peerHash = (await sha256(await Deno.readFile(`${here}peer.py`))).slice(0, 12);
  const dirs = new Map<string, string>();
  const jobs = files.map(({ file, sha }) => {
    const dir = `${cache}/peer/${sha.slice(0, 32)}-${peerHash}`;
    dirs.set(file, dir);
    return { file, dir, retry: `${dir}/h5py` };
  });
  // dumps of files no longer in the corpus, or of an older peer.py, go
  const keep = new Set(jobs.map((j) => j.dir.split("/").at(-1)));
  await Deno.mkdir(`${cache}/peer`, { recursive: true });
  for await (const e of Deno.readDir(`${cache}/peer`)) {
    if (!keep.has(e.name)) await Deno.remove(`${cache}/peer/${e.name}`, { recursive: true });
  }
  await runPeer(python, "netCDF4", jobs);
  const again = [];
  for (const j of jobs) {
    const m = JSON.parse(await Deno.readTextFile(`${j.dir}/manifest.json`)) as PeerManifest;
    if (m.retry) again.push({ file: j.file, dir: j.retry });
  }
  // HDF5 files netCDF-C opened: h5py's values of the datasets netCDF-C
  // leaves out of its listing (compounds with variable-length members, HDF5
  // arrays of strings, …), dimension scales aside
  const extra = [];
  for (const j of jobs) {
    const m = JSON.parse(await Deno.readTextFile(`${j.dir}/manifest.json`)) as PeerManifest;
    if (m.peer === "netCDF4" && m.hdf5) extra.push({ file: j.file, dir: `${j.dir}/h5py-extra` });
  }
  await runPeer(python, "h5py", [...again, ...extra]);
  for (const j of extra) {
    const dir = j.dir.slice(0, -"/h5py-extra".length);
    const m = JSON.parse(await Deno.readTextFile(`${dir}/manifest.json`)) as PeerManifest;
    const h = JSON.parse(await Deno.readTextFile(`${j.dir}/manifest.json`)) as PeerManifest;
    const listed = new Set(m.variables.map((v) => v.path));
    for (const v of h.variables) {
      if (listed.has(v.path) || v.scale) continue;
      m.variables.push(inFolder(v, "h5py-extra/"));
    }
    await Deno.writeTextFile(`${dir}/merged.json`, JSON.stringify(m));
  }
  for (const j of again) {
    const m = JSON.parse(await Deno.readTextFile(`${j.dir}/manifest.json`)) as PeerManifest;
    const first = JSON.parse(await Deno.readTextFile(`${dirs.get(j.file)}/manifest.json`));
    if (m.peer === null) m.error = `${first.error}; ${m.error}`;
    await Deno.writeTextFile(`${j.dir}/merged.json`, JSON.stringify(m));
    dirs.set(j.file, j.dir);
  }
  return dirs;
}

/** Reads the manifest a dump folder holds. */
export async function readManifest(dir: string): Promise<PeerManifest> {
  const merged = `${dir}/merged.json`;
  return JSON.parse(
    await Deno.readTextFile(await exists(merged) ? merged : `${dir}/manifest.json`),
  ) as PeerManifest;
}

/** Compares every file under `cache/files`. */
export async function compareCorpus(
  cache: string,
  python: string,
  log: (line: string) => void = () => {},
): Promise<{ results: FileResult[]; duplicates: number }> {
  const keys = await listFiles(`${cache}/files`);
  const bySha = new Map<string, string>();
  const unique: { file: string; key: string; sha: string }[] = [];
  for (const key of keys) {
    const file = `${cache}/files/${key}`;
    const sha = await sha256(await Deno.readFile(file));
    if (bySha.has(sha)) continue;
    bySha.set(sha, key);
    unique.push({ file, key, sha });
  }
  const dirs = await peerDumps(cache, unique, python);
  const results: FileResult[] = [];
  for (const { file, key } of unique) {
    const dir = dirs.get(file)!;
    let result: FileResult;
    try {
      const manifest = await readManifest(dir);
      // no machine paths in results and expected.json: the key names the file
      if (manifest.error) manifest.error = manifest.error.replaceAll(file, key);
      result = await compareFile(
        key,
        await Deno.readFile(file),
        manifest,
        (bin) => Deno.readFile(`${dir}/${bin}`),
      );
    } catch (e) { // compareFile records errors itself: this is the comparer's own failure
      result = {
        key,
        family: "other",
        peer: null,
        peerError: `comparer: ${(e as Error).message}`,
        variables: [],
      };
    }
    const bad = result.variables.filter((v) => v.status !== "correct").length;
    log(
      `${key}: ${result.variables.length - bad}/${result.variables.length}` +
        (result.peerError ? ` (${result.peerError.slice(0, 100)})` : ""),
    );
    results.push(result);
  }
  return { results, duplicates: keys.length - unique.length };
}

function sourcesOf(results: readonly FileResult[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of results) {
    const [source, pkg] = r.key.split("/");
    const k = ["writers", "tools", "types"].includes(source) ? source : `${source}/${pkg}`;
    out[k] = (out[k] ?? 0) + 1;
  }
  return out;
}

async function main() {
  const args = [...Deno.args];
  const opt = (name: string) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const cache = opt("--cache") ?? `${root}.ci/.tools/corpus`;
  const expectedPath = opt("--expected") ?? `${here}expected.json`;
  const update = args.includes("--update");
  const verbose = args.includes("--verbose");
  const python = Deno.env.get("ICOSCP_PYTHON") ?? `${root}.ci/.tools/venv/bin/python`;
  const started = performance.now();
  const { results, duplicates } = await compareCorpus(
    cache,
    python,
    verbose ? console.log : () => {},
  );
  await Deno.writeTextFile(`${cache}/results.json`, JSON.stringify(results, null, 1));
  const s = score(results);
  const pct = (a: number, b: number) => `${a}/${b} (${(100 * a / Math.max(b, 1)).toFixed(1)}%)`;
  console.log(`corpus: ${s.files} files (${duplicates} duplicates skipped) from`);
  for (const [k, n] of Object.entries(sourcesOf(results))) console.log(`  ${k}: ${n}`);
  console.log(
    `variables correct: ${pct(s.correct, s.total)}; ` +
      `classic ${pct(s.classic.correct, s.classic.total)}; ` +
      `HDF5-based ${pct(s.hdf5.correct, s.hdf5.total)}`,
  );
  console.log(`by status: ${JSON.stringify(s.byStatus)}`);
  console.log("top failure categories:");
  for (const [k, n, example] of categories(results).slice(0, 25)) {
    console.log(`  ${String(n).padStart(4)}  ${k}\n        e.g. ${example}`);
  }
  console.log(
    `compared in ${((performance.now() - started) / 1000).toFixed(1)} s; ` +
      `every variable in ${cache}/results.json`,
  );
  if (update) {
    await Deno.writeTextFile(expectedPath, JSON.stringify(expectedFrom(results), null, 2) + "\n");
    console.log(`wrote ${expectedPath}`);
    return;
  }
  const expected = JSON.parse(await Deno.readTextFile(expectedPath));
  const problems = gate(results, expected);
  for (const p of problems) console.log(`  ${p}`);
  if (problems.length) {
    console.log(`corpus check FAILED: ${problems.length} differences from ${expectedPath}`);
    Deno.exit(1);
  }
  console.log("corpus check passed: matches expected.json");
}

if (import.meta.main) await main();
