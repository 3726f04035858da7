// Private (`deno task install:cli`, `deno task install:kernel`): installs the
// `icoscp` command from a local clone, and registers the Deno Jupyter kernel.
//
// Both must run with a Deno that stays where it is. The command's shim runs
// the absolute path of the Deno that installed it (not whatever `deno` is on
// PATH: with Deno only through `npx` there is none). When that Deno lives in
// npm's npx cache (which `npm cache clean` or a new npx version removes), it
// is first copied to `<root>/bin/deno` (where Deno's own installer puts it).
//
// `deno install -g --config` copies deno.json next to the shim but not
// deno.lock, so the command would resolve npm packages afresh at every run
// (and may get versions the clone never tested); this puts the clone's lock
// beside the copied config, where Deno finds it.

import { join } from "node:path";
import { fileURLToPath } from "node:url";

const clone = fileURLToPath(new URL("../..", import.meta.url)).replace(/[\\/]$/, "");
const home = Deno.env.get("HOME") ?? Deno.env.get("USERPROFILE") ?? ".";
const root = Deno.env.get("DENO_INSTALL_ROOT") ?? join(home, ".deno");
const bin = join(root, "bin");
const windows = Deno.build.os === "windows";

/** Whether a Deno binary sits in a cache that npm may clean (npx). */
function inNpmCache(path: string): boolean {
  return /[\\/](_npx|_cacache|npm-cache)[\\/]/.test(path) ||
    /[\\/]\.npm[\\/]/.test(path);
}

/** A Deno that stays: this one, or a copy of it in `<root>/bin` when it is npx's. */
async function stableDeno(): Promise<string> {
  const self = Deno.execPath();
  if (!inNpmCache(self)) return self;
  const target = join(bin, windows ? "deno.exe" : "deno");
  await Deno.mkdir(bin, { recursive: true });
  const tmp = `${target}.${Deno.pid}.tmp`;
  await Deno.copyFile(self, tmp);
  if (!windows) await Deno.chmod(tmp, 0o755);
  await Deno.rename(tmp, target);
  console.log(`copied Deno from npx's cache to ${target}`);
  return target;
}

function quote(s: string): string {
  return `'${s.replaceAll("'", `'"'"'`)}'`;
}

async function installCommand(deno: string): Promise<void> {
  const lock = join(clone, "deno.lock");
  const tmpLock = await Deno.makeTempFile({ prefix: "icoscp-install-", suffix: ".lock" });
  await Deno.copyFile(lock, tmpLock);
  const flags = [
    "--allow-net",
    "--allow-read",
    "--allow-write",
    "--allow-env",
    "--allow-sys=homedir",
  ];
  const out = await new Deno.Command(deno, {
    args: [
      "install",
      "-g",
      "-f",
      "-n",
      "icoscp",
      "--root",
      root,
      "--config",
      join(clone, "deno.json"),
      `--lock=${tmpLock}`,
      ...flags,
      join(clone, "src", "cli", "cli.ts"),
    ],
    stdout: "inherit",
    stderr: "inherit",
  }).output();
  await Deno.remove(tmpLock);
  if (!out.success) Deno.exit(out.code || 1);
  await Deno.copyFile(lock, join(bin, ".icoscp", "deno.lock"));
  // the shim says `exec deno …` (or `deno …` in icoscp.cmd): run this Deno instead
  const shim = join(bin, windows ? "icoscp.cmd" : "icoscp");
  const text = await Deno.readTextFile(shim);
  const fixed = windows
    ? text.replace(/^(@?)deno(\.exe)? /m, `$1"${deno}" `)
    : text.replace(/^exec deno /m, `exec ${quote(deno)} `);
  if (fixed === text) throw new Error(`${shim}: no deno command to point at ${deno}:\n${text}`);
  await Deno.writeTextFile(shim, fixed);
  console.log(`icoscp installed in ${bin} (runs ${deno}); add ${bin} to PATH if it is not there`);
}

async function installKernel(deno: string): Promise<void> {
  const out = await new Deno.Command(deno, {
    args: ["jupyter", "--install", "--force", "--name", "deno", "--display", "Deno"],
    stdout: "inherit",
    stderr: "inherit",
  }).output();
  if (!out.success) Deno.exit(out.code || 1);
  console.log(`the Deno kernel runs ${deno}`);
}

const deno = await stableDeno();
if (Deno.args.includes("--kernel")) await installKernel(deno);
else await installCommand(deno);
