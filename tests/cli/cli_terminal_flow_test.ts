// A newcomer's first session at a terminal (tmux), in a fresh home folder:
// install the command as the README says, log in to an emulator at the
// password prompt, list stations, fetch data to CSV and Parquet, draw a
// footprint; the real portal's credentials file is left untouched.

import assert from "node:assert/strict";
import { dirname, join } from "node:path";
import { startEmulator } from "../../emulator/mod.ts";
import { peerTest } from "../_peers.ts";
import { screenUntil, tmux } from "../_cli.ts";

const root = new URL("../..", import.meta.url).pathname;

async function denoDir(): Promise<string> {
  const out = await new Deno.Command(Deno.execPath(), { args: ["info", "--json"], stdout: "piped" })
    .output();
  return JSON.parse(new TextDecoder().decode(out.stdout)).denoDir;
}

Deno.test(
  peerTest(
    "a first terminal session: install icoscp, log in to the emulator, fetch data, draw a footprint (tmux)",
    { tools: ["tmux"] },
    async () => {
      await using emu = await startEmulator();
      const dir = await Deno.makeTempDir({ prefix: "icoscp-flow-" });
      const home = join(dir, "home");
      const work = join(dir, "work");
      const bin = join(dir, "bin");
      const session = `icoscp-flow-${Date.now()}`;
      try {
        await Deno.mkdir(join(home, ".icoscp"), { recursive: true });
        await Deno.mkdir(work);
        const real = join(home, ".icoscp", "cpauthToken_auth_conf.json");
        const realText = '{"user_id": "scientist@example.org", "password": "9a9b9c"}';
        await Deno.writeTextFile(real, realText, { mode: 0o600 });
        const obj = emu.dataset.objects.find((o) =>
          o.kind === "data" && o.nRows && o.licence === "icos"
        )!;
        const env = [
          `HOME=${home}`,
          `DENO_DIR=${await denoDir()}`,
          `DENO_INSTALL_ROOT=${dir}`,
          `PATH=${bin}:${dirname(Deno.execPath())}:/usr/bin:/bin`,
          "DENO_NO_UPDATE_CHECK=1",
          // As left behind by an outer `deno task`: must not redirect the command's files.
          `INIT_CWD=${root}`,
        ].map((e) => `export ${e}`).join("; ");
        const p = `--portal ${emu.url}`;
        const script = [
          env,
          `cd ${root} && deno task install:cli >${dir}/install.log 2>&1; echo INSTALLED-$?`,
          `cd ${work}`,
          `icoscp ${p} login --user ${emu.user}; echo LOGIN-$?`,
          `icoscp ${p} stations --theme as; echo STATIONS-$?`,
          `icoscp ${p} dobj ${obj.id} data --out co2.csv; echo CSV-$?`,
          `icoscp ${p} dobj ${obj.id} data --out co2.parquet; echo PARQUET-$?`,
          `icoscp ${p} stilt fp GAT344 2016-05-10 2016-05-10 --hours 12 --png fp.png; echo FP-$?`,
          "sleep 60",
        ].join("\n");
        await Deno.writeTextFile(join(dir, "session.sh"), script);
        await tmux([
          "new-session",
          "-d",
          "-s",
          session,
          "-x",
          "200",
          "-y",
          "50",
          `bash ${join(dir, "session.sh")}`,
        ]);
        const installed = await screenUntil(session, /INSTALLED-\d+/, 180_000);
        assert.match(
          installed,
          /INSTALLED-0/,
          await Deno.readTextFile(join(dir, "install.log")).catch(() => ""),
        );
        await screenUntil(session, /Password for alice@/);
        await tmux(["send-keys", "-t", session, emu.password, "Enter"]);
        const screen = await screenUntil(session, /FP-\d+/);
        assert.ok(!screen.includes(emu.password), "the password was echoed");
        for (const step of ["LOGIN", "STATIONS", "CSV", "PARQUET", "FP"]) {
          assert.match(screen, new RegExp(`${step}-0`), screen);
        }
        assert.match(screen, /Logged in as alice@/);
        // a terminal gets aligned columns (CSV only when piped)
        assert.match(screen, /^GAT\s+Gartow\s+AS\s/m);
        const csv = await Deno.readTextFile(join(work, "co2.csv"));
        assert.equal(csv.trim().split("\n").length, obj.nRows! + 1);
        assert.match(csv.split("\n")[1], /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/);
        const pq = await Deno.readFile(join(work, "co2.parquet"));
        assert.equal(new TextDecoder().decode(pq.subarray(0, 4)), "PAR1");
        const png = await Deno.readFile(join(work, "fp.png"));
        assert.deepEqual(Array.from(png.subarray(1, 4)), [80, 78, 71]);
        assert.equal(await Deno.readTextFile(real), realText, "the real portal's login changed");
      } finally {
        await tmux(["kill-session", "-t", session]);
        await Deno.remove(dir, { recursive: true });
      }
    },
  ),
);
