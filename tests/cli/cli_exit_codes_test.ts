// Every user mistake exits 2 and exit 1 is kept for the library's own bugs
// (issue 22, item 7): a table of mistakes run through the installed command
// (`deno task install:cli` into a fresh root and HOME) against the emulator.

import assert from "node:assert/strict";
import { join } from "node:path";
import { startEmulator } from "../../emulator/mod.ts";
import { networkEnv } from "../_cli.ts";

const root = new URL("../..", import.meta.url).pathname;

async function denoDir(): Promise<string> {
  const out = await new Deno.Command(Deno.execPath(), { args: ["info", "--json"], stdout: "piped" })
    .output();
  return JSON.parse(new TextDecoder().decode(out.stdout)).denoDir;
}

Deno.test("the installed icoscp exits 2 for every user mistake in the table", async () => {
  const dir = await Deno.makeTempDir({ prefix: "icoscp-exit-" });
  await using emu = await startEmulator();
  try {
    const env = {
      HOME: join(dir, "home"),
      DENO_DIR: await denoDir(),
      DENO_INSTALL_ROOT: join(dir, "root"),
      DENO_NO_UPDATE_CHECK: "1",
      PATH: `${join(Deno.execPath(), "..")}:/usr/bin:/bin`,
      ...networkEnv(),
    };
    await Deno.mkdir(env.HOME, { recursive: true });
    const install = await new Deno.Command(Deno.execPath(), {
      args: ["task", "install:cli"],
      cwd: root,
      env,
      clearEnv: true,
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert.ok(install.success, new TextDecoder().decode(install.stderr));
    const icoscp = join(dir, "root", "bin", "icoscp");
    const P = ["--portal", emu.url];
    const day = ["GAT344", "2016-05-10", "2016-05-11"];
    const dobj = emu.dataset.objects.find((o) => o.kind === "data" && o.nRows)!;
    const mistakes: [string, string[]][] = [
      ["an hour of 25", ["stilt", "ts", ...day, "--hours", "25", ...P]],
      ["a bad date", ["stilt", "ts", "GAT344", "2016-13-45", "2016-05-11", ...P]],
      ["an unknown object id", ["dobj", "AAAAAAAAAAAAAAAAAAAAAAAA", "meta", ...P]],
      ["an offset past the table", ["dobj", dobj.id, "data", "--offset", "99999999", ...P]],
      ["a missing --file", ["login", "--file", join(dir, "no-such-file"), ...P]],
      ["--port 99999", ["serve-emulator", "--port", "99999"]],
      ["--out into a missing folder", [
        "stilt",
        "ts",
        ...day,
        "--out",
        join(dir, "no/x.csv"),
        ...P,
      ]],
      ["a malformed --portal", ["stations", "--portal", "http//example"]],
      ["a malformed --portal URL", ["stations", "--portal", "http://[bad"]],
      ["an unknown command", ["statoins", ...P]],
    ];
    const wrong: string[] = [];
    for (const [what, args] of mistakes) {
      const out = await new Deno.Command(icoscp, {
        args,
        cwd: dir,
        env,
        clearEnv: true,
        stdin: "null",
        stdout: "piped",
        stderr: "piped",
      }).output();
      const stderr = new TextDecoder().decode(out.stderr);
      if (out.code !== 2) wrong.push(`${what}: exit ${out.code}: ${stderr.trim().slice(0, 200)}`);
      else assert.match(stderr, /^icoscp: /, what);
    }
    assert.deepEqual(wrong, []);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
