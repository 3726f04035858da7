import assert from "node:assert/strict";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AuthenticationError, CarbonPortal, type FetchFn } from "../../mod.ts";
import {
  type AuthProvider,
  configFileAuth,
  parseAuthToken,
  passwordAuth,
  tokenAuth,
} from "../../src/auth/mod.ts";
import { deobfuscate, obfuscate, writeConfigFile } from "../../src/auth/_auth_file.ts";
import { InvalidArgumentError } from "../../src/errors.ts";

function tokenFor(user: string, expiry: number): string {
  return btoa(`[${expiry},"${user}","Password"]\u001e` + "\u0030\u0081sig");
}

/** A cpauth that issues tokens valid for `lifetime` ms and a /cpb that checks them. */
function fakeAuth(lifetime: number, password = "s3cret") {
  let logins = 0;
  const issued = new Set<string>();
  const fetch: FetchFn = (input, init) => {
    const url = String(input);
    if (url.endsWith("/password/login")) {
      const form = new URLSearchParams(String(init?.body));
      if (form.get("password") !== password) {
        return Promise.resolve(new Response("Incorrect user name or password", { status: 403 }));
      }
      logins++;
      const token = tokenFor(`${form.get("mail")}#${logins}`, Date.now() + lifetime);
      issued.add(`cpauthToken=${token}`);
      return Promise.resolve(
        new Response("OK", {
          headers: {
            "set-cookie": `cpauthToken=${token}; Domain=.icos-cp.eu; Path=/; Secure; HttpOnly`,
          },
        }),
      );
    }
    const cookie = new Headers(init?.headers).get("cookie");
    if (!cookie || !issued.has(cookie)) {
      return Promise.resolve(
        new Response("ICOS data portal login is required for binary downloads", { status: 401 }),
      );
    }
    return Promise.resolve(new Response("data"));
  };
  return { fetch, logins: () => logins, revokeAll: () => issued.clear() };
}

Deno.test("parseAuthToken() reads expiry, user and source with or without name and semicolon", () => {
  const token = tokenFor("user@example.org", 1696674988123);
  for (const v of [`cpauthToken=${token};`, `cpauthToken=${token}`, token, ` ${token} `]) {
    const t = parseAuthToken(v);
    assert.equal(t.name, "cpauthToken");
    assert.equal(t.user, "user@example.org");
    assert.equal(t.source, "Password");
    assert.equal(t.expiry?.getTime(), 1696674988123);
    assert.equal(t.cookie, `cpauthToken=${token}`);
  }
  assert.equal(parseAuthToken(`fieldsitesToken=${token}`).name, "fieldsitesToken");
  const opaque = parseAuthToken("cpauthToken=rO0ABXNyAB9zZS5sdS5uYXRnZW8=");
  assert.equal(opaque.expiry, undefined);
  assert.equal(opaque.msLeft(), Infinity);
  assert.throws(() => parseAuthToken(" ; "), InvalidArgumentError);
});

Deno.test("AuthToken never shows its secret in strings, JSON or inspection", () => {
  const token = tokenFor("a@b.c", 4102444800000);
  const t = parseAuthToken(token);
  const secret = token.slice(4, 30);
  for (const text of [String(t), JSON.stringify(t), Deno.inspect(t), Deno.inspect({ t })]) {
    assert.ok(!text.includes(secret), text);
  }
  assert.match(String(t), /a@b\.c/);
});

Deno.test("tokenAuth() refuses an expired token with a clear error", async () => {
  const auth = tokenAuth(tokenFor("a@b.c", Date.now() - 1000));
  await assert.rejects(auth.getToken(new CarbonPortal()), (e) => {
    assert.ok(e instanceof AuthenticationError);
    assert.match(e.message, /expired at .*log in with user and password/);
    return true;
  });
});

Deno.test("passwordAuth() logs in once, sends the cookie, and logs in again when the token is rejected", async () => {
  const portal = fakeAuth(48 * 3600_000);
  const cp = new CarbonPortal({ fetch: portal.fetch, auth: { user: "a@b.c", password: "s3cret" } });
  for (let i = 0; i < 3; i++) {
    const res = await cp.request("https://data.icos-cp.eu/cpb", { method: "POST", auth: true });
    assert.equal(await res.text(), "data");
  }
  assert.equal(portal.logins(), 1);
  portal.revokeAll();
  assert.equal(
    await (await cp.request("https://data.icos-cp.eu/cpb", { method: "POST", auth: true })).text(),
    "data",
  );
  assert.equal(portal.logins(), 2);
});

Deno.test("passwordAuth() refreshes a token with less than an hour left", async () => {
  const portal = fakeAuth(30 * 60_000);
  const auth: AuthProvider = passwordAuth("a@b.c", "s3cret");
  const cp = new CarbonPortal({ fetch: portal.fetch });
  const first = await auth.getToken(cp);
  const second = await auth.getToken(cp);
  assert.notEqual(first.cookie, second.cookie);
  assert.equal(portal.logins(), 2);
});

Deno.test("passwordAuth() reports wrong credentials as an AuthenticationError without the password", async () => {
  const portal = fakeAuth(3600_000);
  const cp = new CarbonPortal({
    fetch: portal.fetch,
    auth: { user: "a@b.c", password: "wrong-pw" },
  });
  await assert.rejects(cp.request("https://data.icos-cp.eu/cpb", { auth: true }), (e) => {
    assert.ok(e instanceof AuthenticationError);
    assert.match(e.message, /Incorrect user name or password/);
    assert.ok(!e.message.includes("wrong-pw"));
    return true;
  });
});

Deno.test("obfuscate() matches the Python client's password obfuscation", () => {
  assert.equal(obfuscate("abc"), "9e9d9c");
  assert.equal(deobfuscate(obfuscate("pässwörd 🙂")), "pässwörd 🙂");
});

Deno.test("configFileAuth() uses a fresh cached token, else logs in and rewrites the file with mode 0600", async () => {
  const dir = await Deno.makeTempDir({ dir: tmpdir() });
  try {
    const path = join(dir, "cpauthToken_auth_conf.json");
    const portal = fakeAuth(48 * 3600_000);
    await writeConfigFile(path, { user: "a@b.c", password: "s3cret" });
    const written = JSON.parse(await Deno.readTextFile(path));
    assert.deepEqual(written, { user_id: "a@b.c", password: obfuscate("s3cret") });
    assert.equal((await Deno.stat(path)).mode! & 0o777, 0o600);

    const cp = new CarbonPortal({ fetch: portal.fetch, auth: { configFile: path } });
    assert.equal(
      await (await cp.request("https://data.icos-cp.eu/cpb", { auth: true })).text(),
      "data",
    );
    assert.equal(portal.logins(), 1);
    const after = JSON.parse(await Deno.readTextFile(path));
    assert.match(after.cookie_value, /^cpauthToken=.*;$/);
    assert.equal((await Deno.stat(path)).mode! & 0o777, 0o600);

    // a second client (another process, say) reuses the cached token
    const cp2 = new CarbonPortal({ fetch: portal.fetch, auth: configFileAuth(path) });
    assert.equal(
      await (await cp2.request("https://data.icos-cp.eu/cpb", { auth: true })).text(),
      "data",
    );
    assert.equal(portal.logins(), 1);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("configFileAuth() names the file it cannot read", async () => {
  const cp = new CarbonPortal({
    fetch: fakeAuth(1).fetch,
    auth: { configFile: "/nonexistent/icoscp.json" },
  });
  await assert.rejects(
    cp.request("https://data.icos-cp.eu/cpb", { auth: true }),
    /Cannot read the credentials file \/nonexistent\/icoscp\.json/,
  );
});

Deno.test("passwordAuth(): caller A's abort does not fail caller B's shared login (issue 22)", async () => {
  const portal = fakeAuth(48 * 3600_000);
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  // the login answers only once the gate opens, and honours its signal as fetch does
  const fetch: FetchFn = async (input, init) => {
    if (String(input).endsWith("/password/login")) {
      const signal = init?.signal;
      await new Promise<void>((resolve, reject) => {
        signal?.addEventListener("abort", () => reject(signal.reason), { once: true });
        gate.then(resolve);
      });
    }
    return portal.fetch(input, init);
  };
  const cp = new CarbonPortal({ fetch, auth: { user: "a@b.c", password: "s3cret" } });
  const a = new AbortController();
  const first = cp.request("https://data.icos-cp.eu/cpb", { auth: true, signal: a.signal });
  const second = cp.request("https://data.icos-cp.eu/cpb", { auth: true });
  await new Promise((r) => setTimeout(r, 20));
  a.abort(new Error("A gave up"));
  await assert.rejects(first, /A gave up/);
  release();
  assert.equal(await (await second).text(), "data");
  assert.equal(portal.logins(), 1);
});
