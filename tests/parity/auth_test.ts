// Parity with the Python docs' "Authentication" section (icoscp.cpauth),
// against the emulator: every documented way to authenticate, the three
// documented credentials-file formats, and the file's safety (issue 11 item 7).

import assert from "node:assert/strict";
import { join } from "node:path";
import { AuthenticationError, CarbonPortal, CarbonPortalError } from "../../mod.ts";
import {
  Authentication,
  configFileAuth,
  defaultConfigurationFile,
  readConfiguration,
  writeConfiguration,
} from "../../src/auth/mod.ts";
import type { Emulator } from "../../emulator/mod.ts";
import { sharedEmulator } from "../_shared_emulator.ts";
import { deobfuscate } from "../../src/auth/_auth_file.ts";
import { InvalidArgumentError } from "../../src/errors.ts";

const posix = Deno.build.os !== "windows";

async function withHome(fn: (home: string) => Promise<void>): Promise<void> {
  const home = await Deno.makeTempDir();
  try {
    await fn(home);
  } finally {
    await Deno.remove(home, { recursive: true });
  }
}

/** Reads one data column with the client: proof that the authentication works. */
async function canReadData(emu: Emulator, cp: CarbonPortal): Promise<boolean> {
  const o = emu.dataset.objects.find((x) => x.fileName.includes("2024.1_GAT_341.0_CTS_CO2"))!;
  const d = await cp.dobj(o.id);
  const cols = await d.getColumns(["co2"], { length: 3, offset: 0 });
  return cols.co2.length === 3;
}

async function writeFile(path: string, json: unknown, mode = 0o600): Promise<void> {
  await Deno.mkdir(join(path, ".."), { recursive: true });
  await Deno.writeTextFile(path, JSON.stringify(json), { mode });
  await Deno.chmod(path, mode);
}

async function token(emu: Emulator, cp: CarbonPortal): Promise<string> {
  const a = await Authentication.create(cp, {
    username: emu.user,
    password: emu.password,
    writeConfiguration: false,
  });
  return (await a.getToken(cp)).cookie;
}

Deno.test("Authentication(username=, password=) logs in and stores {username, base64 password, token} at ~/icoscp/.icos_carbon_portal", async () => {
  const emu = await sharedEmulator();
  await withHome(async (home) => {
    const cp = new CarbonPortal({ portal: emu.endpoints });
    const a = await Authentication.create(cp, {
      username: emu.user,
      password: emu.password,
      home,
    });
    const path = join(home, "icoscp", ".icos_carbon_portal");
    assert.equal(defaultConfigurationFile(home), path);
    assert.equal(a.configurationFile, path);
    const stored = JSON.parse(await Deno.readTextFile(path));
    assert.deepEqual(Object.keys(stored).sort(), ["password", "token", "username"]);
    assert.equal(stored.username, emu.user);
    assert.equal(atob(stored.password), emu.password);
    assert.match(stored.token, /^cpauthToken=[^;]+;$/);
    if (posix) assert.equal((await Deno.stat(path)).mode! & 0o777, 0o600);
    // print(Authentication()): the four documented lines, no secret
    const text = String(a);
    assert.match(
      text,
      /^Username: .+\nToken will expire in: (\d+ days?, )?\d+:\d\d:\d\d\nLogin source: Password\nPath to configuration file: '.+'$/,
    );
    assert.ok(!text.includes(emu.password) && !text.includes(stored.token.slice(12, 40)));
    assert.ok(await canReadData(emu, new CarbonPortal({ portal: emu.endpoints, auth: a })));
    // Authentication(): later runs read the default file
    const again = await Authentication.create(cp, { home });
    assert.equal(again.username, emu.user);
  });
});

Deno.test("Authentication(username=, password=, write_configuration=False) writes nothing", async () => {
  const emu = await sharedEmulator();
  await withHome(async (home) => {
    const cp = new CarbonPortal({ portal: emu.endpoints });
    const a = await Authentication.create(cp, {
      username: emu.user,
      password: emu.password,
      writeConfiguration: false,
      home,
    });
    assert.deepEqual([...Deno.readDirSync(home)], []);
    assert.ok(await canReadData(emu, new CarbonPortal({ portal: emu.endpoints, auth: a })));
  });
});

Deno.test("Authentication(token=) validates the token at /whoami and rejects a bad one", async () => {
  const emu = await sharedEmulator();
  await withHome(async (home) => {
    const cp = new CarbonPortal({ portal: emu.endpoints });
    const t = await token(emu, cp);
    const a = await Authentication.create(cp, { token: `${t};`, home });
    const stored = await readConfiguration(defaultConfigurationFile(home));
    assert.equal(stored.username, emu.user); // from the token's payload
    assert.equal(stored.password, undefined);
    assert.equal(stored.token, `${t};`);
    assert.ok(await canReadData(emu, new CarbonPortal({ portal: emu.endpoints, auth: a })));
    await assert.rejects(
      Authentication.create(cp, { token: "cpauthToken=Wfluffy-bunny-slippersA=", home }),
      AuthenticationError,
    );
  });
});

Deno.test("Authentication(configuration_file=) reads each documented format", async () => {
  const emu = await sharedEmulator();
  await withHome(async (home) => {
    const cp = new CarbonPortal({ portal: emu.endpoints });
    const path = join(home, "my-folder", "icos_carbon_portal.json");
    const t = await token(emu, cp);
    const cases: [string, Record<string, string>][] = [
      ["username and plain password", { username: emu.user, password: emu.password }],
      ["username and base64 password", { username: emu.user, password: btoa(emu.password) }],
      ["username, password and a valid token", {
        username: emu.user,
        password: emu.password,
        token: t,
      }],
      ["username, password and a stale token", {
        username: emu.user,
        password: emu.password,
        token: "cpauthToken=WzE2Nzc1MTIt+works/on!my0machine!U4NzSpc2k=",
      }],
      ["token only", { token: `${t};` }],
    ];
    for (const [what, json] of cases) {
      await writeFile(path, json);
      const a = await Authentication.create(cp, { configurationFile: path });
      assert.ok(
        await canReadData(emu, new CarbonPortal({ portal: emu.endpoints, auth: a })),
        what,
      );
      const after = JSON.parse(await Deno.readTextFile(path));
      assert.match(after.token, /^cpauthToken=.+;$/, what);
      if (json.password) assert.equal(atob(after.password), emu.password, what);
      // the same file through the client's option
      const viaOption = new CarbonPortal({ portal: emu.endpoints, auth: { configFile: path } });
      assert.ok(await canReadData(emu, viaOption), what);
    }
    await writeFile(path, { username: emu.user });
    await assert.rejects(
      Authentication.create(cp, { configurationFile: path }),
      (e) => e instanceof CarbonPortalError && /neither a token nor a username/.test(e.message),
    );
  });
});

Deno.test("configFile: true finds icoscp's file under home, and icoscp_core's first when both exist", async () => {
  const emu = await sharedEmulator();
  await withHome(async (home) => {
    const cp = new CarbonPortal({ portal: emu.endpoints });
    await writeConfiguration(defaultConfigurationFile(home), {
      username: emu.user,
      password: emu.password,
    });
    const auth = { configFile: true as const, home };
    assert.ok(await canReadData(emu, new CarbonPortal({ portal: emu.endpoints, auth })));
    const core = join(home, ".icoscp", "cpauthToken_auth_conf.json");
    await writeFile(core, { user_id: emu.user, password: "00" });
    await assert.rejects(
      canReadData(emu, new CarbonPortal({ portal: emu.endpoints, auth })),
      AuthenticationError, // icoscp_core's file (with a wrong password) is the one read
    );
    await assert.rejects(
      configFileAuth(true).getToken(cp),
      (e) => e instanceof CarbonPortalError && /needs the home folder/.test(e.message),
    );
    const empty = await Deno.makeTempDir();
    await assert.rejects(
      configFileAuth(true, { home: empty }).getToken(cp),
      (e) => e instanceof CarbonPortalError && /No credentials file at .*icoscp/.test(e.message),
    );
    await Deno.remove(empty);
    // icoscp_core's format is written back in that format
    const { writeConfigFile } = await import("../../src/auth/_auth_file.ts");
    await writeConfigFile(core, { user: emu.user, password: emu.password });
    assert.ok(await canReadData(emu, new CarbonPortal({ portal: emu.endpoints, auth })));
    const after = JSON.parse(await Deno.readTextFile(core));
    assert.equal(deobfuscate(after.password), emu.password);
    assert.match(after.cookie_value, /^cpauthToken=.+;$/);
  });
});

Deno.test("Authentication(initialize=True) replaces a malformed file; the library never prompts", async () => {
  const emu = await sharedEmulator();
  await withHome(async (home) => {
    const cp = new CarbonPortal({ portal: emu.endpoints });
    const path = defaultConfigurationFile(home);
    // Authentication() on a first run: Python prompts; here a typed error says what to do
    await assert.rejects(
      Authentication.create(cp, { home }),
      (e) => e instanceof CarbonPortalError && /there is none yet\. Log in once/.test(e.message),
    );
    await writeFile(path, { nonsense: 1 });
    await assert.rejects(Authentication.create(cp, { home }), CarbonPortalError);
    await Authentication.create(cp, {
      username: emu.user,
      password: emu.password,
      initialize: true,
      home,
    });
    assert.equal((await readConfiguration(path)).password, emu.password);
    await assert.rejects(
      Authentication.create(cp, { initialize: true, home }),
      InvalidArgumentError,
    );
    await assert.rejects(
      Authentication.create(cp, { username: emu.user, home }),
      InvalidArgumentError,
    );
    await assert.rejects(
      Authentication.create(cp, { username: emu.user, password: emu.password }),
      /configurationFile or home/,
    );
  });
});

Deno.test({
  name: "a credentials file others may read is refused, as ssh refuses such a key",
  ignore: !posix,
  fn: async () => {
    const emu = await sharedEmulator();
    await withHome(async (home) => {
      const cp = new CarbonPortal({ portal: emu.endpoints });
      const path = defaultConfigurationFile(home);
      await writeFile(path, { username: emu.user, password: emu.password }, 0o644);
      for (
        const attempt of [
          () => Authentication.create(cp, { home }),
          () => readConfiguration(path),
          () => configFileAuth(path).getToken(cp),
        ]
      ) {
        await assert.rejects(attempt(), (e) => {
          assert.ok(e instanceof CarbonPortalError);
          assert.match(e.message, /Permissions 0644 .* too open.*chmod 600/);
          assert.ok(!e.message.includes(emu.password));
          return true;
        });
      }
      await Deno.chmod(path, 0o620);
      await assert.rejects(readConfiguration(path), /too open/);
      await Deno.chmod(path, 0o600);
      assert.equal((await readConfiguration(path)).username, emu.user);
    });
  },
});

Deno.test({
  name: "writing credentials replaces a symlink instead of following it, and leaves mode 0600",
  ignore: !posix,
  fn: async () => {
    await withHome(async (home) => {
      const victim = join(home, "victim.txt");
      await Deno.writeTextFile(victim, "precious", { mode: 0o644 });
      const path = defaultConfigurationFile(home);
      await Deno.mkdir(join(path, ".."), { recursive: true });
      await Deno.symlink(victim, path);
      await writeConfiguration(path, { username: "a@b.c", password: "pw", token: "cpauthToken=x" });
      assert.equal(await Deno.readTextFile(victim), "precious");
      assert.equal((await Deno.stat(victim)).mode! & 0o777, 0o644);
      const info = await Deno.lstat(path);
      assert.ok(info.isFile && !info.isSymlink);
      assert.equal(info.mode! & 0o777, 0o600);
      // a file that was world-readable becomes private when rewritten
      await Deno.chmod(path, 0o644);
      await writeConfiguration(path, { token: "cpauthToken=y" });
      assert.equal((await Deno.stat(path)).mode! & 0o777, 0o600);
      // no temporary files are left behind
      assert.deepEqual([...Deno.readDirSync(join(path, ".."))].map((e) => e.name), [
        ".icos_carbon_portal",
      ]);
    });
  },
});

Deno.test("Authentication logs in again, and rewrites the file, when the token nears expiry or is rejected", async () => {
  let logins = 0;
  let valid = "";
  let lifetime = 1_800_000; // 30 minutes left: under the hour after which a token is refreshed
  const fetch = (input: string | URL | Request, init?: RequestInit) => {
    const url = String(input instanceof Request ? input.url : input);
    if (url.endsWith("/password/login")) {
      logins++;
      const t = btoa(`[${Date.now() + lifetime},"a@b.c","Password"]\u001e#${logins}`);
      valid = `cpauthToken=${t}`;
      return Promise.resolve(
        new Response("OK", { headers: { "set-cookie": `${valid}; Path=/; HttpOnly` } }),
      );
    }
    const cookie = new Headers(init?.headers).get("cookie");
    return Promise.resolve(
      cookie === valid ? new Response("data") : new Response("login required", { status: 401 }),
    );
  };
  await withHome(async (home) => {
    const cp = new CarbonPortal({ fetch });
    const a = await Authentication.create(cp, { username: "a@b.c", password: "pw", home });
    assert.equal(logins, 1);
    const first = (await readConfiguration(defaultConfigurationFile(home))).token;
    await a.getToken(cp);
    assert.equal(logins, 2);
    assert.notEqual((await readConfiguration(defaultConfigurationFile(home))).token, first);
    lifetime = 7_200_000;
    await a.getToken(cp);
    assert.equal(logins, 3);
    await a.getToken(cp);
    assert.equal(logins, 3); // two hours left: kept
    const client = new CarbonPortal({ fetch, auth: a });
    assert.equal(
      await (await client.request("https://data.icos-cp.eu/x", { auth: true })).text(),
      "data",
    );
    valid = "revoked";
    // the portal rejects the token: the client invalidates it and the next login succeeds
    assert.equal(logins, 3);
    assert.equal(
      await (await client.request("https://data.icos-cp.eu/x", { auth: true })).text(),
      "data",
    );
    // a token-only authentication cannot refresh: a clear error once rejected
    const t = await Authentication.create(cp, { token: valid, writeConfiguration: false });
    t.invalidate();
    await assert.rejects(
      t.getToken(cp),
      (e) => e instanceof AuthenticationError && /was rejected/.test(e.message),
    );
  });
});
