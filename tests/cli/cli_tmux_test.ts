// The command line in a real terminal (tmux): the hidden password prompt and
// the progress bar drawn when stderr is a terminal.

import assert from "node:assert/strict";
import { join } from "node:path";
import { startEmulator } from "../../emulator/mod.ts";
import { writeConfigFile } from "../../src/auth/_auth_file.ts";
import { peerTest } from "../_peers.ts";
import { screenUntil, tmux } from "../_cli.ts";

const deno = Deno.execPath();
const cli = new URL("../../src/cli/cli.ts", import.meta.url).pathname;

Deno.test(
  peerTest(
    "icoscp login hides the password typed at its prompt (tmux)",
    { tools: ["tmux"] },
    async () => {
      await using emu = await startEmulator();
      const dir = await Deno.makeTempDir({ prefix: "icoscp-tmux-" });
      const session = `icoscp-login-${Date.now()}`;
      try {
        const config = join(dir, "conf.json");
        const cmd =
          `${deno} run -A ${cli} --portal ${emu.url} --config ${config} login --user ${emu.user}; sleep 30`;
        await tmux(["new-session", "-d", "-s", session, "-x", "160", "-y", "20", cmd]);
        await screenUntil(session, /Password for alice@/);
        await tmux(["send-keys", "-t", session, emu.password, "Enter"]);
        const screen = await screenUntil(session, /Logged in as/);
        assert.ok(!screen.includes(emu.password), screen);
        assert.equal(JSON.parse(await Deno.readTextFile(config)).user_id, emu.user);
      } finally {
        await tmux(["kill-session", "-t", session]);
        await Deno.remove(dir, { recursive: true });
      }
    },
  ),
);

Deno.test(
  peerTest(
    "icoscp dobj download draws a progress bar in a terminal (tmux)",
    { tools: ["tmux"] },
    async () => {
      await using emu = await startEmulator();
      const dir = await Deno.makeTempDir({ prefix: "icoscp-tmux-" });
      const session = `icoscp-bar-${Date.now()}`;
      try {
        const config = join(dir, "conf.json");
        await writeConfigFile(config, { user: emu.user, password: emu.password });
        const obj = emu.dataset.objects.find((o) => o.kind === "data" && o.licence === "icos")!;
        const cmd =
          `${deno} run -A ${cli} --portal ${emu.url} --config ${config} dobj ${obj.id} download --dir ${dir}/files; echo EXIT=$?; sleep 30`;
        await tmux(["new-session", "-d", "-s", session, "-x", "200", "-y", "20", cmd]);
        const screen = await screenUntil(session, /EXIT=\d/);
        assert.match(screen, /downloading .* \[#{30}\] 100% /);
        assert.match(screen, /EXIT=0/);
        assert.match(screen, /verified against/);
      } finally {
        await tmux(["kill-session", "-t", session]);
        await Deno.remove(dir, { recursive: true });
      }
    },
  ),
);

Deno.test(
  peerTest(
    "icoscp dobj … data draws a progress bar in a terminal, and none when piped (tmux)",
    { tools: ["tmux"] },
    async () => {
      await using emu = await startEmulator();
      const dir = await Deno.makeTempDir({ prefix: "icoscp-tmux-" });
      const session = `icoscp-data-bar-${Date.now()}`;
      try {
        const config = join(dir, "conf.json");
        await writeConfigFile(config, { user: emu.user, password: emu.password });
        const obj = emu.dataset.objects.find((o) =>
          o.fileName.includes("2024.1_GAT_341.0_CTS_CO2")
        )!;
        const args = [
          "run",
          "-A",
          cli,
          "--portal",
          emu.url,
          "--config",
          config,
          "dobj",
          obj.id,
          "data",
        ];
        // a terminal: the rows go to a file, the bar to the screen
        const cmd = `${deno} ${args.join(" ")} > ${dir}/co2.csv; echo EXIT=$?; sleep 30`;
        await tmux(["new-session", "-d", "-s", session, "-x", "200", "-y", "20", cmd]);
        const screen = await screenUntil(session, /EXIT=\d/);
        assert.match(
          screen,
          /reading ICOS_ATC_L2_L2-2024\.1_GAT_341\.0_CTS_CO2\.zip \[#{30}\] 100% /,
        );
        assert.match(screen, /EXIT=0/);
        assert.equal(
          (await Deno.readTextFile(join(dir, "co2.csv"))).trim().split("\n").length,
          8761,
        );
        // piped: the same rows on stdout, nothing on stderr
        const piped = await new Deno.Command(deno, { args, stdout: "piped", stderr: "piped" })
          .output();
        assert.equal(piped.code, 0);
        assert.equal(new TextDecoder().decode(piped.stderr), "");
        assert.equal(new TextDecoder().decode(piped.stdout).trim().split("\n").length, 8761);
      } finally {
        await tmux(["kill-session", "-t", session]);
        await Deno.remove(dir, { recursive: true });
      }
    },
  ),
);
