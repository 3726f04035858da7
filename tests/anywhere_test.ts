// The library from any folder and any notebook: a script in a folder with no
// deno.json imports mod.ts (and ./plot, ./export) by path and by file:// URL
// and runs with no --config; a notebook outside the clone runs on the Deno
// kernel that `deno task install:kernel` registers. Both against an emulator.

import assert from "node:assert/strict";
import { join } from "node:path";
import { startEmulator } from "../emulator/mod.ts";
import { peerTest, python } from "./_peers.ts";

const root = new URL("..", import.meta.url);
const url = (p: string) => new URL(p, root).href;
const path = (p: string) => new URL(p, root).pathname;

async function denoDir(): Promise<string> {
  const out = await new Deno.Command(Deno.execPath(), { args: ["info", "--json"], stdout: "piped" })
    .output();
  return JSON.parse(new TextDecoder().decode(out.stdout)).denoDir;
}

async function outsideFolder(): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "icoscp-anywhere-" });
  // no deno.json here nor above: what a script or notebook of one's own sees
  for (let d = dir; d !== "/"; d = join(d, "..")) {
    for (const f of ["deno.json", "deno.jsonc", "package.json"]) {
      assert.ok(!(await Deno.stat(join(d, f)).catch(() => null)), `${join(d, f)} exists`);
    }
  }
  return dir;
}

Deno.test("a script in a folder without deno.json imports mod.ts by path and ./plot, ./export by file:// URL", async () => {
  await using emu = await startEmulator();
  const dir = await outsideFolder();
  try {
    await Deno.writeTextFile(
      join(dir, "my_script.ts"),
      `import { CarbonPortal, emulatorEndpoints } from ${JSON.stringify(path("mod.ts"))};
import { plotSeries, showTable } from ${JSON.stringify(url("src/plot/mod.ts"))};
import { toParquet } from ${JSON.stringify(url("src/export/mod.ts"))};

const cp = new CarbonPortal({ portal: emulatorEndpoints(Deno.args[0]) });
const stations = await cp.station.getIdList({ theme: ["AS"] });
const parquet = await toParquet(stations.select("id", "lat"));
const time = [0, 1, 2].map((h) => Date.UTC(2022, 0, 1, h));
const png = await (await plotSeries([{ label: "co2", time, values: [420, 421, 419] }])).png();
console.log(stations.numRows(), new TextDecoder().decode(parquet.subarray(0, 4)), png.length > 1000);
`,
    );
    const out = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "--allow-net=127.0.0.1",
        "--allow-read",
        "--allow-env",
        "my_script.ts",
        emu.url,
      ],
      cwd: dir,
      env: { DENO_DIR: await denoDir(), DENO_NO_UPDATE_CHECK: "1", NO_COLOR: "1" },
      stdout: "piped",
      stderr: "piped",
    }).output();
    const err = new TextDecoder().decode(out.stderr);
    assert.ok(out.success, err);
    const n = emu.dataset.stations.filter((s) => s.theme === "AS").length;
    assert.equal(new TextDecoder().decode(out.stdout), `${n} PAR1 true\n`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test(peerTest(
  "a notebook outside the clone runs on the kernel deno task install:kernel registers",
  { python: ["jupyter_client", "nbformat"] },
  async () => {
    await using emu = await startEmulator();
    const dir = await outsideFolder();
    try {
      const home = join(dir, "home");
      const env = { HOME: home, DENO_DIR: await denoDir(), DENO_NO_UPDATE_CHECK: "1" };
      const install = await new Deno.Command(Deno.execPath(), {
        args: ["task", "install:kernel"],
        cwd: path("."),
        env,
        stdout: "piped",
        stderr: "piped",
      }).output();
      assert.ok(install.success, new TextDecoder().decode(install.stderr));
      const spec = JSON.parse(
        await Deno.readTextFile(join(home, ".local/share/jupyter/kernels/deno/kernel.json")),
      );
      const kernelDeno: string = spec.argv[0];
      assert.ok(kernelDeno.startsWith("/"), kernelDeno);
      assert.ok((await Deno.stat(kernelDeno)).isFile, kernelDeno);
      assert.doesNotMatch(kernelDeno, /_npx/);
      const cell = (source: string, expect: string[]) => ({
        cell_type: "code",
        metadata: { icoscp: { expect } },
        source,
        outputs: [],
        execution_count: null,
      });
      const nb = {
        nbformat: 4,
        nbformat_minor: 5,
        metadata: { kernelspec: { name: "deno", display_name: "Deno", language: "typescript" } },
        cells: [
          cell(
            `import { CarbonPortal, emulatorEndpoints } from ${JSON.stringify(url("mod.ts"))};
import { plotSeries, showTable } from ${JSON.stringify(url("src/plot/mod.ts"))};
const cp = new CarbonPortal({ portal: emulatorEndpoints(${JSON.stringify(emu.url)}) });
"ready";`,
            ["text/plain"],
          ),
          // tables display through the explicit opt-in (nothing patches arquero)
          cell(`showTable(await cp.station.getIdList({ theme: ["AS"] }));`, ["text/html"]),
          cell(
            `const time = [0, 1, 2].map((h) => Date.UTC(2022, 0, 1, h));
await plotSeries([{ label: "co2", time, values: [420, 421, 419] }], { title: "anywhere" });`,
            ["image/png", "image/svg+xml"],
          ),
        ],
      };
      const file = join(dir, "mine.ipynb");
      await Deno.writeTextFile(file, JSON.stringify(nb));
      const out = await new Deno.Command(python, {
        args: [path(".ci/notebook_check.py"), file, "deno"],
        cwd: dir,
        env: {
          ...env,
          JUPYTER_PATH: join(home, ".local/share/jupyter"),
          JUPYTER_RUNTIME_DIR: join(dir, "runtime"),
          JUPYTER_DATA_DIR: join(dir, "data"),
        },
        stdout: "piped",
        stderr: "piped",
      }).output();
      const text = new TextDecoder().decode(out.stdout);
      assert.ok(out.success, `${text}\n${new TextDecoder().decode(out.stderr)}`);
      assert.match(text, /notebook: 3 passed, 0 failed/);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
));

Deno.test("the versioned npm: specifiers in the source are the versions deno.json's import maps name", async () => {
  const versions = async (config: string) =>
    new Map(
      Object.values(JSON.parse(await Deno.readTextFile(path(config))).imports as object)
        .map((spec: string) => /^npm:(@?[^@]+)@(.+)$/.exec(spec)!)
        .map((m) => [m[1], m[2]]),
    );
  const checked: string[] = [];
  for (const [folder, config] of [["src", "deno.json"], ["emulator", "emulator/deno.json"]]) {
    const pinned = await versions(config);
    const files = [path(folder)];
    while (files.length) {
      const f = files.pop()!;
      if ((await Deno.stat(f)).isDirectory) {
        if (/(^|\/)(tests|gen)$/.test(f)) continue;
        for await (const e of Deno.readDir(f)) files.push(join(f, e.name));
        continue;
      }
      if (!f.endsWith(".ts")) continue;
      const text = await Deno.readTextFile(f);
      // a bare specifier resolves only through a deno.json: not from a script or notebook elsewhere
      const bare =
        /(?:^(?:import|export)\b[^"\n]*from |^\} from |\bimport\()"(?![./]|npm:|node:|jsr:|@icoscp\/)([^"]+)"/m
          .exec(text);
      assert.equal(bare, null, `${f} imports ${bare?.[1]} without npm: and a version`);
      for (const m of text.matchAll(/"npm:(@?[^@"]+)@([^/"]+)[^"]*"/g)) {
        assert.equal(
          pinned.get(m[1]),
          m[2],
          `${f}: npm:${m[1]}@${m[2]} but ${config} pins ${pinned.get(m[1])}`,
        );
        checked.push(m[1]);
      }
    }
  }
  assert.ok(new Set(checked).size >= 10, checked.join());
});
