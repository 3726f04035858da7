// The public surface as a visible decision: the names every entry point of
// deno.json exports (values and types apart) and the dependencies deno.json
// imports are compared with tests/public_surface.json. Growing or shrinking
// either is a semver decision on JSR, so it shows up in review as a diff of
// that file. After a deliberate change, regenerate it:
//
//   deno test --allow-read --allow-write --allow-run tests/public_surface_test.ts -- --update
import assert from "node:assert/strict";

const root = new URL("../", import.meta.url);
const snapshotUrl = new URL("public_surface.json", import.meta.url);

interface Surface {
  /** Entry point → its exported names. */
  entryPoints: Record<string, { values: string[]; types: string[] }>;
  /** deno.json `imports`: the library's dependencies, with their versions. */
  imports: Record<string, string>;
}

/** Names `deno doc` lists for each module (values, types and type-only re-exports alike), in one run. */
async function documentedNames(files: URL[]): Promise<Map<string, string[]>> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["doc", "--json", ...files.map((f) => f.href)],
    cwd: root,
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!out.success) {
    throw new Error(`deno doc: ${new TextDecoder().decode(out.stderr)}`);
  }
  const doc = JSON.parse(new TextDecoder().decode(out.stdout)) as {
    nodes: Record<string, { symbols?: { name: string }[] }>;
  };
  return new Map(
    Object.entries(doc.nodes).map(([href, n]) => [href, (n.symbols ?? []).map((s) => s.name)]),
  );
}

async function denoJson(): Promise<{
  exports: Record<string, string>;
  imports: Record<string, string>;
}> {
  return JSON.parse(await Deno.readTextFile(new URL("deno.json", root)));
}

/** deno.json `imports`, sorted. */
async function currentImports(): Promise<Surface["imports"]> {
  return Object.fromEntries(
    Object.entries((await denoJson()).imports).sort(([a], [b]) => a < b ? -1 : 1),
  );
}

async function currentSurface(): Promise<Surface> {
  const config = await denoJson();
  const entries = Object.entries(config.exports).sort();
  const urls = entries.map(([, file]) => new URL(file, root));
  const documented = await documentedNames(urls);
  const entryPoints: Surface["entryPoints"] = {};
  for (const [k, [subpath]] of entries.entries()) {
    const url = urls[k];
    const values = Object.keys(await import(url.href)).sort();
    const valueSet = new Set(values);
    const names = documented.get(url.href);
    if (!names) throw new Error(`deno doc gave nothing for ${url.href}`);
    const types = [...new Set(names)].filter((n) => !valueSet.has(n)).sort();
    entryPoints[subpath] = { values, types };
  }
  return { entryPoints, imports: await currentImports() };
}

Deno.test("public surface: every entry point exports the names in tests/public_surface.json", async () => {
  const current = await currentSurface();
  if (Deno.args.includes("--update")) {
    await Deno.writeTextFile(snapshotUrl, JSON.stringify(current, null, 2) + "\n");
    return;
  }
  const snapshot = JSON.parse(await Deno.readTextFile(snapshotUrl)) as Surface;
  const hint =
    "a deliberate change? regenerate with `deno test -A tests/public_surface_test.ts -- --update`";
  assert.deepEqual(
    Object.keys(current.entryPoints),
    Object.keys(snapshot.entryPoints),
    `entry points differ; ${hint}`,
  );
  for (const [subpath, names] of Object.entries(current.entryPoints)) {
    assert.deepEqual(
      names,
      snapshot.entryPoints[subpath],
      `exports of "${subpath}" differ; ${hint}`,
    );
  }
});

Deno.test("public surface: the dependencies are the ones in tests/public_surface.json", async () => {
  if (Deno.args.includes("--update")) return;
  const imports = await currentImports();
  const snapshot = JSON.parse(await Deno.readTextFile(snapshotUrl)) as Surface;
  assert.deepEqual(
    imports,
    snapshot.imports,
    "deno.json imports differ from tests/public_surface.json: a new or bumped dependency is a " +
      "decision; regenerate with `deno test -A tests/public_surface_test.ts -- --update`",
  );
});
