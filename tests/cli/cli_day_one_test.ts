// The command line as a newcomer uses it: a saved login used by later
// commands, logins kept per portal, passwords from scripts, files written
// where the command was run, readable tables, documented exit codes.

import assert from "node:assert/strict";
import { join } from "node:path";
import { EXIT } from "../../src/cli/cli.ts";
import { networkEnv, runCli } from "../_cli.ts";
import { sharedEmulator } from "../_shared_emulator.ts";

function run(args: string[], extra: Parameters<typeof runCli>[1] = {}) {
  return runCli(args, { stdinIsTerminal: false, ...extra });
}

/** A fresh home folder in which the emulator's user has logged in (`login --password-stdin`). */
async function loggedInHome(emu: { url: string; user: string; password: string }) {
  const home = await tempDir();
  const r = await run(["--portal", emu.url, "login", "--user", emu.user, "--password-stdin"], {
    home,
    readStdin: () => Promise.resolve(emu.password),
  });
  if (r.code !== 0) throw new Error(r.stderr);
  return home;
}

async function tempDir(): Promise<string> {
  return await Deno.makeTempDir({ prefix: "icoscp-day1-" });
}

Deno.test("icoscp login to an emulator is saved for that portal, used later, and leaves the real portal's file alone", async () => {
  const emu = await sharedEmulator();
  const home = await tempDir();
  try {
    const real = join(home, ".icoscp", "cpauthToken_auth_conf.json");
    await Deno.mkdir(join(home, ".icoscp"), { recursive: true });
    const realText = JSON.stringify({ user_id: "me@example.org", password: "c6c6" });
    await Deno.writeTextFile(real, realText, { mode: 0o600 });
    const obj = emu.dataset.objects.find((o) =>
      o.kind === "data" && o.nRows && o.licence === "icos"
    )!;
    const p = ["--portal", emu.url];
    // Before logging in: the licence is refused (a portal error, exit 3).
    const before = await run([...p, "dobj", obj.id, "data", "--length", "2"], { home });
    assert.equal(before.code, EXIT.portal, before.stderr);
    const login = await run([...p, "login", "--user", emu.user, "--password-stdin"], {
      home,
      readStdin: () => Promise.resolve(`${emu.password}\n`),
    });
    assert.equal(login.code, 0, login.stderr);
    assert.equal(await Deno.readTextFile(real), realText, "the real portal's login was touched");
    const port = new URL(emu.url).port;
    const saved = join(
      home,
      ".icoscp",
      "portals",
      `127.0.0.1_${port}`,
      "cpauthToken_auth_conf.json",
    );
    assert.equal(JSON.parse(await Deno.readTextFile(saved)).user_id, emu.user);
    assert.equal((await Deno.stat(saved)).mode! & 0o777, 0o600);
    // After: the saved login is used without --config.
    const after = await run([...p, "dobj", obj.id, "data", "--length", "2"], { home });
    assert.equal(after.code, 0, after.stderr);
    assert.equal(after.stdout.trim().split("\n").length, 3);
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});

Deno.test("icoscp login without a terminal asks for --password-stdin instead of failing with ENOTTY", async () => {
  const emu = await sharedEmulator();
  const home = await tempDir();
  try {
    const r = await run(["--portal", emu.url, "login", "--user", emu.user], { home });
    assert.equal(r.code, EXIT.usage);
    assert.match(r.stderr, /--password-stdin/);
    const wrong = await run(
      ["--portal", emu.url, "login", "--user", emu.user, "--password-stdin"],
      {
        home,
        readStdin: () => Promise.resolve("wrong\n"),
      },
    );
    assert.equal(wrong.code, EXIT.portal, wrong.stderr);
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});

Deno.test("icoscp writes output files relative to the folder it was run from", async () => {
  const emu = await sharedEmulator();
  const home = await loggedInHome(emu);
  const cwd = await tempDir();
  try {
    const obj = emu.dataset.objects.find((o) =>
      o.kind === "data" && o.nRows && o.licence === "icos"
    )!;
    const r = await run(["--portal", emu.url, "dobj", obj.id, "data", "--out", "t.csv"], {
      home,
      cwd,
    });
    assert.equal(r.code, 0, r.stderr);
    assert.ok((await Deno.stat(join(cwd, "t.csv"))).isFile);
    const ts = await run([
      "--portal",
      emu.url,
      "stilt",
      "ts",
      "GAT344",
      "2016-05-10",
      "2016-05-10",
      "--out",
      "sub/../ts.csv",
    ], { home, cwd });
    assert.equal(ts.code, 0, ts.stderr);
    assert.ok((await Deno.stat(join(cwd, "ts.csv"))).isFile);
  } finally {
    await Deno.remove(home, { recursive: true });
    await Deno.remove(cwd, { recursive: true });
  }
});

Deno.test("icoscp prints ISO times, float32 values at float32 precision and missing values as empty", async () => {
  const emu = await sharedEmulator();
  const home = await loggedInHome(emu);
  try {
    const obj = emu.dataset.objects.find((o) =>
      o.kind === "data" && o.nRows && o.licence === "icos" && o.spec?.includes("atcCo2L2")
    )!;
    const r = await run(["--portal", emu.url, "dobj", obj.id, "data"], { home });
    assert.equal(r.code, 0, r.stderr);
    const [header, ...rows] = r.stdout.trim().split("\n");
    const names = header.split(",");
    const t = names.indexOf("TIMESTAMP");
    const co2 = names.indexOf("co2");
    assert.ok(t >= 0 && co2 >= 0, header);
    assert.match(rows[0].split(",")[t], /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.ok(!r.stdout.includes("NaN"), "NaN printed");
    for (const row of rows) {
      const v = row.split(",")[co2];
      if (v === "") continue; // a bad-flag value: empty, not NaN
      assert.ok(v.replace(/^-|\./g, "").length <= 9, `float32 noise in ${v}`);
      assert.equal(Math.fround(Number(v)), Math.fround(Math.fround(Number(v))));
    }
    assert.ok(rows.some((row) => row.split(",")[co2] === ""), "no masked value in the series");
    const st = await run(["--portal", emu.url, "station", "GAT"], { home });
    assert.match(st.stdout, /,\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ,/);
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});

Deno.test("icoscp maps every failure to a documented exit code", async () => {
  const emu = await sharedEmulator();
  const home = await tempDir();
  try {
    const p = ["--portal", emu.url];
    const badQuery = await run([...p, "sparql", "select ?s\nwhere {\n  ?s ?p ?o .\n  bogus }"], {
      home,
    });
    assert.equal(badQuery.code, EXIT.portal, badQuery.stderr);
    assert.match(badQuery.stderr, /\b4:\d+/, "the error position is not the user's line 4");
    const noConfig = await run([...p, "--config", join(home, "nope.json"), "stations"], { home });
    assert.equal(noConfig.code, EXIT.usage, noConfig.stderr);
    await Deno.writeTextFile(join(home, "bad.json"), "{not json");
    const badConfig = await run([...p, "--config", join(home, "bad.json"), "stations"], { home });
    assert.equal(badConfig.code, EXIT.usage, badConfig.stderr);
    for (
      const args of [
        ["stilt", "fp", "GAT344", "2016-05-10", "2016-05-10", "--via", "carrier-pigeon"],
        ["station", "GAT", "--level", "7"],
        ["dobj", "x", "data", "--offset", "-1"],
        ["stations", "--theme", "XX"],
        ["sparql", "--format", "yaml", "select * {}"],
      ]
    ) {
      const r = await run([...p, ...args], { home });
      assert.equal(r.code, EXIT.usage, `${args.join(" ")}: ${r.stderr}`);
      assert.match(r.stderr, /is not one of|non-negative integer|ambiguous|valid: /);
    }
    const dropped = await run([...p, "stations"], {
      home,
      fetch: () => Promise.reject(new TypeError("error sending request: connection reset")),
    });
    assert.equal(dropped.code, EXIT.portal, dropped.stderr);
    const hostile = await run([...p, "dobj", "AAAAAAAAAAAAAAAAAAAAAAAA"], {
      home,
      fetch: () =>
        Promise.resolve(new Response("\x1b]0;pwned\x07\x1b[31mred\x1b[0m", { status: 404 })),
    });
    assert.ok(!hostile.stderr.includes("\x1b"), JSON.stringify(hostile.stderr));
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});

Deno.test("deno task emulator --help prints help instead of starting a server", async () => {
  const main = new URL("../../emulator/main.ts", import.meta.url).pathname;
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-net=127.0.0.1", "--allow-read", "--allow-env", main, "--help"],
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(out.code, 0);
  assert.match(new TextDecoder().decode(out.stdout), /^Usage: deno task emulator/);
  const bad = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-net=127.0.0.1", "--allow-read", "--allow-env", main, "--prot", "1"],
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(bad.code, 2);
});

Deno.test("deno task --config <clone>/deno.json cli writes its files where it was run, not in the clone", async () => {
  const emu = await sharedEmulator();
  const cwd = await tempDir();
  try {
    const config = new URL("../../deno.json", import.meta.url).pathname;
    const out = await new Deno.Command(Deno.execPath(), {
      args: [
        "task",
        "--config",
        config,
        "cli",
        "--portal",
        emu.url,
        "stilt",
        "ts",
        "GAT344",
        "2016-05-10",
        "2016-05-10",
        "--out",
        "ts.csv",
      ],
      cwd,
      // A shell as a user has it: no INIT_CWD left by an outer `deno task` (such as `deno task test`).
      clearEnv: true,
      env: {
        ...networkEnv(),
        ...Object.fromEntries(
          ["PATH", "HOME", "DENO_DIR", "DENO_NO_UPDATE_CHECK"].flatMap((k) => {
            const v = Deno.env.get(k);
            return v === undefined ? [] : [[k, v]];
          }),
        ),
      },
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
    assert.match(await Deno.readTextFile(join(cwd, "ts.csv")), /^isodate,/);
  } finally {
    await Deno.remove(cwd, { recursive: true });
  }
});
