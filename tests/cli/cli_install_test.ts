// The installed command as a newcomer gets it: Deno only through npx (as the
// README sets up), `deno task install:cli`, then `icoscp` in a shell whose
// PATH has no deno, after npx's cache is gone. And the help it prints.

import assert from "node:assert/strict";
import { join } from "node:path";
import { networkEnv, runCli } from "../_cli.ts";
import { COMMANDS, VERSION } from "../../src/cli/_help.ts";

const root = new URL("../..", import.meta.url).pathname;

async function denoDir(): Promise<string> {
  const out = await new Deno.Command(Deno.execPath(), { args: ["info", "--json"], stdout: "piped" })
    .output();
  return JSON.parse(new TextDecoder().decode(out.stdout)).denoDir;
}

/** A Deno binary at `path`, as npx leaves it (a hard link when possible: it is ~100 MB). */
async function placeDeno(path: string): Promise<void> {
  await Deno.mkdir(join(path, ".."), { recursive: true });
  try {
    await Deno.link(Deno.execPath(), path);
  } catch {
    await Deno.copyFile(Deno.execPath(), path);
  }
}

async function run(cmd: string, args: string[], env: Record<string, string>, cwd = root) {
  const out = await new Deno.Command(cmd, {
    args,
    cwd,
    env,
    clearEnv: true,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

Deno.test("deno task install:cli with Deno from npx: icoscp runs with no deno on PATH, after npx's cache is cleaned", async () => {
  const dir = await Deno.makeTempDir({ prefix: "icoscp-install-" });
  try {
    const npxDeno = join(dir, "home", ".npm", "_npx", "4f2a", "node_modules", "deno", "deno");
    await placeDeno(npxDeno);
    const env = {
      HOME: join(dir, "home"),
      DENO_DIR: await denoDir(),
      DENO_INSTALL_ROOT: join(dir, "root"),
      DENO_NO_UPDATE_CHECK: "1",
      PATH: "/usr/bin:/bin",
      ...networkEnv(),
    };
    const install = await run(npxDeno, ["task", "install:cli"], env);
    assert.equal(install.code, 0, install.stdout + install.stderr);
    const shim = await Deno.readTextFile(join(dir, "root", "bin", "icoscp"));
    assert.doesNotMatch(shim, /_npx/, shim);
    assert.doesNotMatch(shim, /^exec deno /m, shim);
    // npx's cache cleaned (`npm cache clean`, a new npx version): the command still starts
    await Deno.remove(join(dir, "home", ".npm"), { recursive: true });
    const where = await run("/bin/sh", ["-c", "command -v deno || echo none"], env);
    assert.equal(where.stdout.trim(), "none", "deno is on this PATH: the test proves nothing");
    const icoscp = join(dir, "root", "bin", "icoscp");
    const version = await run(icoscp, ["--version"], env, dir);
    assert.equal(version.code, 0, version.stderr);
    assert.equal(version.stdout, `icoscp ${VERSION} (Deno ${Deno.version.deno})\n`);
    const help = await run(icoscp, ["stilt", "fp", "--help"], env, dir);
    assert.equal(help.code, 0, help.stderr);
    assert.match(help.stdout, /--png f\.png +draw the summed footprint on a map/);
    assert.match(help.stdout, /Example:\n {2}icoscp stilt fp /);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("icoscp --version is the package's version (deno.json)", async () => {
  const config = JSON.parse(await Deno.readTextFile(join(root, "deno.json")));
  assert.equal(VERSION, config.version);
  const r = await runCli(["--version"]);
  assert.equal(r.code, 0);
  assert.equal(r.stdout, `icoscp ${config.version} (Deno ${Deno.version.deno})\n`);
});

Deno.test("icoscp --help describes every command in aligned columns; <command> --help gives its options and an example", async () => {
  const top = await runCli(["--help"]);
  assert.equal(top.code, 0);
  const block = (title: string) => {
    const start = top.stdout.indexOf(`${title}:\n`);
    assert.ok(start >= 0, top.stdout);
    return top.stdout.slice(start + title.length + 2).split("\n\n")[0].split("\n");
  };
  for (const title of ["Commands", "Options"]) {
    const rows = block(title);
    // the description column starts at the same place on every row
    const starts = new Set(rows.map((r) => /^ {2}\S.*?\S {2,}(?=\S)/.exec(r)?.[0].length));
    assert.equal(starts.size, 1, `${title} not aligned:\n${rows.join("\n")}`);
  }
  // every command the code handles is described
  const source = await Deno.readTextFile(join(root, "src", "cli", "cli.ts"));
  const handled = [...source.matchAll(/^ {6}case "([a-z-]+)":/gm)].map((m) => m[1]);
  const described = [...new Set(COMMANDS.map((c) => c.name.split(" ")[0]))];
  assert.ok(handled.length >= 9, handled.join());
  for (const c of handled) assert.ok(described.includes(c), `${c} is not described`);
  for (const c of COMMANDS) {
    assert.match(top.stdout, new RegExp(`^ {2}${c.name.replace(/[-]/g, "\\$&")}\\b.* {2}\\S`, "m"));
    const page = await runCli([...c.name.split(" "), "--help"]);
    assert.equal(page.code, 0, `${c.name} --help: ${page.stderr}`);
    assert.match(page.stdout, new RegExp(`^Usage: icoscp .*${c.name}`), c.name);
    for (const [flag] of c.options) {
      assert.ok(page.stdout.includes(`  ${flag}  `), `${c.name} --help lacks ${flag}`);
    }
    assert.match(page.stdout, new RegExp(`Examples?:\\n {2}icoscp ${c.name}`), c.name);
  }
  const unknown = await runCli(["nope", "--help"]);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /Unknown command nope/);
});
