// Issue 21, item 6: the credentials file icoscp_core writes (mode 0644) stays
// refused, the refusal names `icoscp login`, and `icoscp login` offers to make
// it private — a question on a terminal, --fix-permissions otherwise. Each
// case in a fresh HOME, the file written by icoscp_core itself.

import assert from "node:assert/strict";
import { dirname, join } from "node:path";
import { runCli } from "../_cli.ts";
import { type Emulator, startEmulator } from "../../emulator/mod.ts";
import { peerTest, python } from "../_peers.ts";

const posix = Deno.build.os !== "windows";

/** The login file of the emulator's portal under `home`, as the command line looks for it. */
function savedPath(emu: Emulator, home: string): string {
  const u = new URL(emu.url);
  return join(home, ".icoscp", "portals", `${u.hostname}_${u.port}`, "cpauthToken_auth_conf.json");
}

/** icoscp_core's PasswordAuth.save_to_file, with the usual umask 022: mode 0644. */
async function coreSaves(path: string, user: string, password: string): Promise<void> {
  await Deno.mkdir(dirname(path), { recursive: true });
  const r = await new Deno.Command(python, {
    args: [
      "-c",
      "import os, sys\nos.umask(0o022)\nfrom icoscp_core.auth import PasswordAuth\n" +
      "PasswordAuth(sys.argv[2], sys.argv[3], None).save_to_file(sys.argv[1])",
      path,
      user,
      password,
    ],
    stderr: "piped",
  }).output();
  assert.ok(r.success, new TextDecoder().decode(r.stderr));
  assert.equal((await Deno.stat(path)).mode! & 0o777, 0o644);
}

const mode = async (path: string) => (await Deno.stat(path)).mode! & 0o777;

Deno.test(
  peerTest(
    "icoscp login offers to make icoscp_core's 0644 login file private; the refusal names icoscp login",
    { python: ["icoscp_core"] },
    async (t) => {
      if (!posix) return;
      await using emu = await startEmulator();
      const obj = emu.dataset.objects.find((o) =>
        o.kind === "data" && o.nRows && o.licence === "icos"
      )!;
      const data = ["--portal", emu.url, "dobj", obj.id, "data", "--length", "2"];
      const login = ["--portal", emu.url, "login"];
      const fresh = async () => {
        const home = await Deno.makeTempDir({ prefix: "icoscp-home-" });
        const path = savedPath(emu, home);
        await coreSaves(path, emu.user, emu.password);
        return { home, path };
      };

      await t.step("any command refuses the file and names icoscp login", async () => {
        const { home } = await fresh();
        const r = await runCli(data, { home });
        assert.notEqual(r.code, 0);
        assert.match(r.stderr, /Permissions 0644 .* too open/);
        assert.match(r.stderr, /icoscp login/);
        assert.ok(!r.stderr.includes(emu.password));
      });

      await t.step(
        "without a terminal, login says to pass --fix-permissions and changes nothing",
        async () => {
          const { home, path } = await fresh();
          const r = await runCli(login, { home, stdinIsTerminal: false });
          assert.equal(r.code, 2, r.stderr);
          assert.match(r.stderr, /--fix-permissions/);
          assert.equal(await mode(path), 0o644);
        },
      );

      await t.step(
        "with --fix-permissions, login makes it private and logs in with it",
        async () => {
          const { home, path } = await fresh();
          const r = await runCli([...login, "--fix-permissions"], { home, stdinIsTerminal: false });
          assert.equal(r.code, 0, r.stderr);
          assert.match(r.stdout, /Made .* private \(0600\); logged in as/);
          assert.equal(await mode(path), 0o600);
          const after = await runCli(data, { home });
          assert.equal(after.code, 0, after.stderr);
          assert.equal(after.stdout.trim().split("\n").length, 3);
        },
      );

      await t.step(
        "on a terminal, login asks; yes fixes it without asking for the password",
        async () => {
          const { home, path } = await fresh();
          const asked: string[] = [];
          const r = await runCli(login, {
            home,
            stdinIsTerminal: true,
            confirm: (q) => (asked.push(q), Promise.resolve(true)),
            readPassword: () => Promise.reject(new Error("the password was asked for")),
          });
          assert.equal(r.code, 0, r.stderr);
          assert.equal(asked.length, 1);
          assert.match(asked[0], /permissions 0644: others may read .*\(chmod 600\)/);
          assert.equal(await mode(path), 0o600);
        },
      );

      await t.step(
        "on a terminal, no goes on to a password login that replaces it privately",
        async () => {
          const { home, path } = await fresh();
          const r = await runCli([...login, "--user", emu.user], {
            home,
            stdinIsTerminal: true,
            confirm: () => Promise.resolve(false),
            readPassword: () => Promise.resolve(emu.password),
          });
          assert.equal(r.code, 0, r.stderr);
          assert.equal(await mode(path), 0o600);
        },
      );
    },
  ),
);
