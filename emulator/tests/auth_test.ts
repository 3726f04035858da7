import assert from "node:assert/strict";
import { startEmulator } from "../mod.ts";
import { login } from "./_helpers.ts";

function tokenParts(cookie: string): { head: unknown; sig: Uint8Array } {
  const b64 = cookie.slice("cpauthToken=".length).replace(/;$/, "");
  const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
  const sep = bytes.indexOf(0x1e);
  return {
    head: JSON.parse(new TextDecoder().decode(bytes.subarray(0, sep))),
    sig: bytes.subarray(sep + 1),
  };
}

Deno.test("startEmulator() logs a user in with a token cookie in the portal's format", async () => {
  const now = Date.UTC(2025, 0, 1);
  await using emu = await startEmulator({ now: () => now });
  const res = await fetch(`${emu.endpoints.auth}/password/login`, {
    method: "POST",
    body: new URLSearchParams({ mail: emu.user, password: emu.password }),
  });
  assert.equal(res.status, 200);
  assert.equal(await res.text(), "OK");
  const setCookie = res.headers.get("set-cookie")!;
  assert.match(setCookie, /^cpauthToken=WzE[A-Za-z0-9+/]+={0,2}; Path=\/; HttpOnly$/);
  const { head, sig } = tokenParts(setCookie.split(" ")[0]);
  assert.deepEqual(head, [now + 100_000_000, emu.user, "Password"]);
  assert.equal(sig[0], 0x30, "DER SEQUENCE");
  assert.equal(sig[1], sig.length - 2);
});

Deno.test("startEmulator() rejects wrong passwords with 403 and missing fields with 400", async () => {
  await using emu = await startEmulator({ failedLoginDelay: 0 });
  const wrong = await fetch(`${emu.endpoints.auth}/password/login`, {
    method: "POST",
    body: new URLSearchParams({ mail: emu.user, password: "nope" }),
  });
  assert.equal(wrong.status, 403);
  assert.equal(await wrong.text(), "Incorrect user name or password");
  assert.equal(wrong.headers.get("set-cookie"), null);
  const missing = await fetch(`${emu.endpoints.auth}/password/login`, {
    method: "POST",
    body: "{}",
  });
  assert.equal(missing.status, 400);
  assert.match(await missing.text(), /^Expected 'mail' and 'password'/);
});

Deno.test("startEmulator() answers whoami and cpauthcookie for a cookie with or without the trailing semicolon", async () => {
  await using emu = await startEmulator();
  const cookie = await login(emu);
  assert.ok(cookie.endsWith(";"));
  for (const c of [cookie, cookie.slice(0, -1), `other=1; ${cookie}`]) {
    const who = await fetch(`${emu.endpoints.auth}/whoami`, { headers: { cookie: c } });
    assert.deepEqual(await who.json(), { email: emu.user });
  }
  const cc = await (await fetch(`${emu.endpoints.auth}/cpauthcookie`, { headers: { cookie } }))
    .json();
  assert.equal(`${cc.value};`, cookie);
  assert.equal(cc.source, "Password");
  assert.equal(typeof cc.expiry, "number");
  const dataWho = await fetch(`${emu.endpoints.data}/whoami`, { headers: { cookie } });
  assert.deepEqual(await dataWho.json(), { email: emu.user });
  const anon = await fetch(`${emu.endpoints.data}/whoami`);
  assert.deepEqual(await anon.json(), { email: null });
  const no = await fetch(`${emu.endpoints.auth}/whoami`);
  assert.equal(no.status, 401);
  await no.body?.cancel();
});

Deno.test("startEmulator() rejects expired and forged tokens", async () => {
  let now = Date.UTC(2025, 0, 1);
  await using emu = await startEmulator({ tokenLifetime: 60_000, now: () => now });
  const cookie = await login(emu);
  const ok = await fetch(`${emu.endpoints.auth}/whoami`, { headers: { cookie } });
  assert.equal(ok.status, 200);
  await ok.body?.cancel();
  now += 60_000;
  const expired = await fetch(`${emu.endpoints.auth}/whoami`, { headers: { cookie } });
  assert.equal(expired.status, 401);
  await expired.body?.cancel();
  now -= 60_000;
  const { sig } = tokenParts(cookie);
  const forgedHead = new TextEncoder().encode(JSON.stringify([now + 1e9, emu.user, "Password"]));
  const forged = btoa(String.fromCharCode(...forgedHead, 0x1e, ...sig));
  const res = await fetch(`${emu.endpoints.auth}/whoami`, {
    headers: { cookie: `cpauthToken=${forged}` },
  });
  assert.equal(res.status, 401);
  await res.body?.cancel();
});

Deno.test("startEmulator() records portal-use events with the user", async () => {
  await using emu = await startEmulator();
  const cookie = await login(emu);
  const res = await fetch(`${emu.endpoints.auth}/logs/portaluse`, {
    method: "POST",
    headers: { cookie, "content-type": "application/json" },
    body: JSON.stringify({ cpbFileAccess: { objects: ["x"], client: "test" } }),
  });
  assert.equal(await res.text(), "OK");
  assert.deepEqual(emu.portalUse, [{
    cpbFileAccess: { objects: ["x"], client: "test" },
    cpUser: emu.user,
  }]);
});
