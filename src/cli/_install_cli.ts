// Private (`deno task install:cli`): installs the `icoscp` command from a
// local clone. `deno install -g --config` copies deno.json next to the shim
// but not deno.lock, so the command would resolve npm packages afresh at
// every run (and may get versions the clone never tested); this puts the
// clone's lock beside the copied config, where Deno finds it.

import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const clone = dirname(dirname(dirname(fileURLToPath(import.meta.url))));
const home = Deno.env.get("HOME") ?? Deno.env.get("USERPROFILE") ?? ".";
const root = Deno.env.get("DENO_INSTALL_ROOT") ?? join(home, ".deno");
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
const out = await new Deno.Command(Deno.execPath(), {
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
await Deno.copyFile(lock, join(root, "bin", ".icoscp", "deno.lock"));
console.log(`icoscp installed in ${join(root, "bin")} (add it to PATH if it is not there)`);
