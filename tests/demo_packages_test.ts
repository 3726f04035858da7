// The demo fetches only what it needs: plotting (Observable Plot, resvg,
// linkedom, d3-geo, the atlases) loads on first use, by dynamic import, and
// its command asks Deno to cache npm packages lazily. Run with a fresh
// DENO_DIR holding only arquero, flechette, acorn and oxigraph, and
// `--cached-only`, the demo runs to its end; so does the README's command.

import assert from "node:assert/strict";
import { join } from "node:path";

const root = new URL("..", import.meta.url).pathname;
const decoder = new TextDecoder();

/** The packages the demo needs (arquero and its parser, flechette; oxigraph for the emulator). */
const NEEDED = ["@uwdata/flechette", "acorn", "arquero", "oxigraph"];
const HEAVY = ["@observablehq/plot", "@resvg/resvg-wasm", "linkedom", "d3-geo", "world-atlas"];

async function deno(args: string[], env: Record<string, string> = {}) {
  const out = await new Deno.Command(Deno.execPath(), {
    args,
    cwd: root,
    env: { NO_COLOR: "1", DENO_NO_UPDATE_CHECK: "1", ...env },
    stdout: "piped",
    stderr: "piped",
  }).output();
  return { code: out.code, stdout: decoder.decode(out.stdout), stderr: decoder.decode(out.stderr) };
}

interface InfoModule {
  specifier: string;
  dependencies?: { code?: { specifier?: string }; isDynamic?: boolean }[];
}

Deno.test("examples/demo.ts: its static module graph holds no plotting package", async () => {
  const out = await deno(["info", "--json", "examples/demo.ts"]);
  assert.equal(out.code, 0, out.stderr);
  const info = JSON.parse(out.stdout) as { roots: string[]; modules: InfoModule[] };
  const bySpecifier = new Map(info.modules.map((m) => [m.specifier, m]));
  const seen = new Set<string>();
  const stack = [...info.roots];
  while (stack.length) {
    const s = stack.pop()!;
    if (seen.has(s)) continue;
    seen.add(s);
    for (const d of bySpecifier.get(s)?.dependencies ?? []) {
      if (!d.isDynamic && d.code?.specifier) stack.push(d.code.specifier);
    }
  }
  const npm = [...seen].filter((s) => s.startsWith("npm:")).map((s) =>
    s.replace(/^npm:\/?/, "").replace(/^(@?[^@/]+(\/[^@/]+)?)@.*$/, "$1")
  );
  for (const h of HEAVY) assert.ok(!npm.includes(h), `${h} is in the demo's static graph`);
  assert.deepEqual([...new Set(npm)].sort(), ["@uwdata/flechette", "arquero", "oxigraph"]);
});

// (`deno task` itself caches every package of deno.lock before it runs any task, Deno 2.9's
// cli/tools/task.rs: so the task's own command is run, as the README shows it.)
const DEMO_TEST =
  "the demo task's command runs from a fresh DENO_DIR holding only the 4 packages it needs";
const cache = join(
  (JSON.parse((await deno(["info", "--json"])).stdout) as { npmCache: string }).npmCache,
  "registry.npmjs.org",
);
const missing = NEEDED.filter((p) => {
  try {
    return !Deno.statSync(join(cache, p)).isDirectory;
  } catch {
    return true;
  }
});
if (missing.length) {
  console.log(`skipping "${DEMO_TEST}": ${missing.join(", ")} not in the npm cache at ${cache}`);
}

Deno.test({ name: DEMO_TEST, ignore: missing.length > 0 }, async () => {
  const dir = await Deno.makeTempDir({ prefix: "icoscp-demo-deno-dir-" });
  try {
    for (const p of NEEDED) {
      await Deno.mkdir(join(dir, "npm", "registry.npmjs.org", p, ".."), { recursive: true });
      const cp = await new Deno.Command("cp", {
        args: ["-r", join(cache, p), join(dir, "npm", "registry.npmjs.org", p)],
      }).output();
      assert.equal(cp.code, 0, decoder.decode(cp.stderr));
    }
    const config = JSON.parse(await Deno.readTextFile(join(root, "deno.json")));
    const readme = await Deno.readTextFile(join(root, "README.md"));
    const shown = /`npx -y deno@[\d.]+ (run [^`]+)`/.exec(readme)?.[1];
    assert.ok(shown, "the README shows the lean command");
    for (const command of [config.tasks.demo as string, `deno ${shown}`]) {
      const words = command.split(/\s+/);
      assert.deepEqual(words.slice(0, 2), ["deno", "run"]);
      // with nothing to download: any package beyond the 4 fails it
      const out = await deno(["run", "--cached-only", ...words.slice(2)], { DENO_DIR: dir });
      assert.equal(out.code, 0, `${command}\n${out.stderr}`);
      assert.match(out.stdout, /\nDone\.\n$/);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
