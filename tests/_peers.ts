// Test helper: Python peers (numpy, icoscp_core, netCDF4, duckdb, …) and
// command-line tools (ncdump). Tests that need one skip with the reason when
// it is missing, unless ICOSCP_REQUIRE_PEERS=1 (as CI sets), where a missing
// peer is a failure. ICOSCP_PYTHON names the interpreter (default python3).

/** The Python interpreter to run. */
export const python: string = Deno.env.get("ICOSCP_PYTHON") ?? "python3";

/** Whether missing peers are failures rather than skips. */
export const requirePeers: boolean = Deno.env.get("ICOSCP_REQUIRE_PEERS") === "1";

const cache = new Map<string, string | undefined>();

/** Why `python` cannot import these modules, or undefined when it can. */
export function missingModules(modules: readonly string[]): string | undefined {
  const key = modules.join(",");
  if (!cache.has(key)) {
    let why: string | undefined;
    try {
      const out = new Deno.Command(python, {
        args: ["-c", modules.map((m) => `import ${m}`).join("; ")],
        stdout: "null",
        stderr: "piped",
      }).outputSync();
      if (!out.success) {
        why = `${python} cannot import ${key}: ${
          new TextDecoder().decode(out.stderr).trim().split("\n").at(-1)
        }`;
      }
    } catch (e) {
      why = `${python} is not available (${(e as Error).message})`;
    }
    cache.set(key, why);
  }
  return cache.get(key);
}

/** The interpreter and whether a test needing `modules` is ignored (printing why). */
export function peerPython(
  modules: readonly string[],
): { python: string; ignore: boolean; reason?: string } {
  const reason = missingModules(modules);
  const ignore = reason !== undefined && !requirePeers;
  if (ignore) console.warn(`skipping tests that need ${modules.join(", ")}: ${reason}`);
  return { python, ignore, reason };
}

/** Whether a command runs (`ncdump`, `chromium`, …), and whether a test needing it is ignored. */
export function peerTool(
  command: string,
  args: string[] = ["--version"],
): { ignore: boolean; reason?: string } {
  let ok = false;
  try {
    ok =
      new Deno.Command(command, { args, stdout: "null", stderr: "null" }).outputSync().code !== 127;
  } catch {
    ok = false;
  }
  const reason = ok ? undefined : `${command} is not installed`;
  const ignore = !ok && !requirePeers;
  if (ignore) console.warn(`skipping tests that need ${command}: ${reason}`);
  return { ignore, reason };
}
