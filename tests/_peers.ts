// Test helper: peers a test needs besides Deno — Python modules (numpy,
// icoscp_core, netCDF4, duckdb, …), commands (ncdump, chromium, tmux, node)
// and the real sample files of ../shared. A test whose peers are missing is
// ignored with the reason printed, unless ICOSCP_REQUIRE_PEERS=1 (as CI sets):
// then it runs and fails at once with the reason. ICOSCP_PYTHON names the
// interpreter (default python3).

import { haveRealFixtures, noRealFixtures } from "./_fixtures.ts";

/** The Python interpreter to run. */
export const python: string = Deno.env.get("ICOSCP_PYTHON") ?? "python3";

/** Whether missing peers are failures rather than skips. */
export const requirePeers: boolean = Deno.env.get("ICOSCP_REQUIRE_PEERS") === "1";

/** What a test needs. */
export interface Needs {
  /** Python modules `python` must import. */
  python?: readonly string[];
  /** Commands that must be on the PATH. */
  tools?: readonly string[];
  /** The real sample files of ../shared/fixtures/real. */
  fixtures?: boolean;
}

const cache = new Map<string, string | undefined>();

function check(key: string, probe: () => string | undefined): string | undefined {
  if (!cache.has(key)) cache.set(key, probe());
  return cache.get(key);
}

function missingModules(modules: readonly string[]): string | undefined {
  return check(`py:${modules.join(",")}`, () => {
    try {
      const out = new Deno.Command(python, {
        args: ["-c", modules.map((m) => `import ${m}`).join("; ")],
        stdout: "null",
        stderr: "piped",
      }).outputSync();
      if (out.success) return undefined;
      const last = new TextDecoder().decode(out.stderr).trim().split("\n").at(-1);
      return `${python} cannot import ${modules.join(", ")}: ${last}`;
    } catch (e) {
      return `${python} is not available (${(e as Error).message})`;
    }
  });
}

function missingTool(command: string): string | undefined {
  return check(`tool:${command}`, () => {
    try {
      const found = new Deno.Command("sh", {
        args: ["-c", `command -v "$0"`, command],
        stdout: "null",
        stderr: "null",
      }).outputSync().success;
      return found ? undefined : `${command} is not installed`;
    } catch {
      return `${command} is not installed`;
    }
  });
}

/** Why the needs are not met (empty when they are). */
export function missingPeers(needs: Needs): string[] {
  return [
    ...(needs.fixtures && !haveRealFixtures ? [noRealFixtures] : []),
    ...(needs.python?.length ? [missingModules(needs.python)] : []),
    ...(needs.tools ?? []).map(missingTool),
  ].filter((r): r is string => r !== undefined);
}

/** A Deno.test definition for a test with needs. */
export function peerTest(
  name: string,
  needs: Needs,
  fn: (t: Deno.TestContext) => void | Promise<void>,
): Deno.TestDefinition {
  const missing = missingPeers(needs);
  // without ../shared a test is always skipped: CI has it, fresh clones don't
  const ignore = missing.length > 0 &&
    (!requirePeers || (needs.fixtures === true && !haveRealFixtures));
  if (ignore) console.warn(`skipping "${name}": ${missing.join("; ")}`);
  return {
    name,
    ignore,
    fn: async (t) => {
      if (missing.length > 0) throw new Error(`ICOSCP_REQUIRE_PEERS=1 but ${missing.join("; ")}`);
      await fn(t);
    },
  };
}

const generated = new Map<string, Promise<string>>();

/**
 * Runs a Python generator of `tests/testdata/netcdf/` (`gen_*.py <dir>`) once
 * per test process into a fresh temporary folder; resolves with that folder.
 */
export function generatedFiles(script: string): Promise<string> {
  let dir = generated.get(script);
  if (!dir) {
    dir = (async () => {
      const d = await Deno.makeTempDir({ prefix: `icoscp-${script.replace(/\.py$/, "")}-` });
      globalThis.addEventListener("unload", () => Deno.removeSync(d, { recursive: true }));
      const path = new URL(`./testdata/netcdf/${script}`, import.meta.url).pathname;
      const out = await new Deno.Command(python, { args: [path, d], stderr: "piped" }).output();
      if (!out.success) throw new Error(`${script}: ${new TextDecoder().decode(out.stderr)}`);
      return d;
    })();
    generated.set(script, dir);
  }
  return dir;
}

const golden = new Map<string, Promise<string>>();

async function gunzip(path: string): Promise<Uint8Array> {
  const file = await Deno.open(path);
  const body = file.readable.pipeThrough(new DecompressionStream("gzip"));
  return new Uint8Array(await new Response(body).arrayBuffer());
}

/**
 * What a generator of `tests/testdata/netcdf/` (`gen_<name>.py`) wrote, as
 * committed in `tests/testdata/netcdf/golden/<name>/` (gzipped; rewritten by
 * `pack_golden.py`): unpacked once per test process into a temporary folder,
 * the same files `generatedFiles()` gives. Needs no Python.
 */
export function goldenFiles(script: string): Promise<string> {
  let dir = golden.get(script);
  if (!dir) {
    dir = (async () => {
      const name = script.replace(/^gen_/, "").replace(/\.py$/, "");
      const src = new URL(`./testdata/netcdf/golden/${name}/`, import.meta.url).pathname;
      const d = await Deno.makeTempDir({ prefix: `icoscp-golden-${name}-` });
      globalThis.addEventListener("unload", () => Deno.removeSync(d, { recursive: true }));
      const entries = [...Deno.readDirSync(src)].map((e) => e.name).sort();
      // pack_golden.py's shared value arrays, as JSON text (JSON.stringify would lose -0)
      const pool = new Map<string, string>();
      const isPool = (n: string) => /^values-\w\.txt\.gz$/.test(n);
      for (const e of entries.filter(isPool)) {
        for (const line of new TextDecoder().decode(await gunzip(`${src}/${e}`)).split("\n")) {
          if (line) pool.set(line.slice(0, 40), line.slice(41));
        }
      }
      for (const e of entries) {
        if (!e.endsWith(".gz") || isPool(e)) continue;
        let bytes = await gunzip(`${src}/${e}`);
        if (e.endsWith(".json.gz")) {
          const text = new TextDecoder().decode(bytes).replace(
            /\{"\$ref":"([0-9a-f]{40})"\}/g,
            (_, key: string) => {
              const values = pool.get(key);
              if (values === undefined) throw new Error(`golden value ${key} is missing`);
              return values;
            },
          );
          bytes = new TextEncoder().encode(text);
        }
        await Deno.writeFile(`${d}/${e.slice(0, -3)}`, bytes);
      }
      return d;
    })();
    golden.set(script, dir);
  }
  return dir;
}
