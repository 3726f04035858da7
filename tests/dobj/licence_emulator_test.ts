// Original files without an account, on the user's explicit consent: the
// portal's licence_accept route and CpLicenseAcceptedFor cookie as the
// emulator serves them (after ICOS-Carbon-Portal/data LicenceRouting and
// DownloadRouting), driven through download(), fileStream() and the CLI.

import assert from "node:assert/strict";
import { join } from "node:path";
import { CarbonPortal, LicenceError } from "../../mod.ts";
import { startEmulator } from "../../emulator/mod.ts";
import { sharedEmulator } from "../_shared_emulator.ts";
import { runCli } from "../_cli.ts";

/** A fetch that records each request's path, query and cookie header. */
function recording() {
  const seen: {
    path: string;
    cookie: string | null;
    range: string | null;
    ifRange: string | null;
  }[] = [];
  const f: typeof fetch = (input, init) => {
    const req = new Request(input, init);
    const u = new URL(req.url);
    seen.push({
      path: u.pathname + u.search,
      cookie: req.headers.get("cookie"),
      range: req.headers.get("range"),
      ifRange: req.headers.get("if-range"),
    });
    return fetch(req);
  };
  return { seen, fetch: f };
}

const gatCo2 = (o: { fileName: string }) => o.fileName.includes("2024.1_GAT_341.0_CTS_CO2");

Deno.test("download() without a login or consent is a LicenceError that says how to consent, and accepts nothing", async () => {
  const emu = await sharedEmulator();
  const o = emu.dataset.objects.find(gatCo2)!;
  const rec = recording();
  const cp = new CarbonPortal({ portal: emu.endpoints, fetch: rec.fetch, retry: { minDelay: 1 } });
  const d = await cp.dobj(o.id);
  const dir = await Deno.makeTempDir({ prefix: "icoscp-lic-" });
  try {
    const e = await d.download(dir).then(() => undefined, (e) => e);
    assert.ok(e instanceof LicenceError, String(e));
    // issue 21, item 6: it says the user is not logged in, and how to log in
    assert.match(e.message, /not logged in/);
    assert.match(e.message, /new CarbonPortal\(\{ auth: \{ user, password \} \}\)/);
    assert.match(e.message, /icoscp login/);
    assert.match(e.message, /acceptLicence: true/);
    assert.match(e.message, /--accept-licence/);
    assert.match(e.message, /https:\/\/data\.icos-cp\.eu\/licence/);
    assert.equal(rec.seen.filter((r) => r.path.includes("licence_accept")).length, 0);
    assert.deepEqual([...Deno.readDirSync(dir)].filter((f) => !f.name.startsWith(".")), []);
    // the stream says the same
    const err = await new Response(d.fileStream()).arrayBuffer().then(() => undefined, (e) => e);
    assert.ok(err instanceof LicenceError);
    assert.match(err.message, /acceptLicence/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("download({ acceptLicence: true }) works without an account: licence_accept, then the file with its cookie only", async () => {
  const emu = await sharedEmulator();
  const o = emu.dataset.objects.find(gatCo2)!;
  const rec = recording();
  const cp = new CarbonPortal({ portal: emu.endpoints, fetch: rec.fetch });
  const d = await cp.dobj(o.id);
  const dir = await Deno.makeTempDir({ prefix: "icoscp-lic-" });
  try {
    const path = await d.download(dir, { acceptLicence: true });
    assert.deepEqual(await Deno.readFile(path), o.file());
    const data = rec.seen.filter((r) => r.path.includes("/data/"));
    assert.deepEqual(data.map((r) => r.path.split("?")[0]), [
      "/data/licence_accept",
      `/data/objects/${o.id}`,
    ]);
    assert.ok(data[0].path.includes(encodeURIComponent(JSON.stringify([o.hash]))));
    assert.equal(data[1].cookie, `CpLicenseAcceptedFor=${o.hash}`);
    // the stream too
    const bytes = new Uint8Array(
      await new Response(d.fileStream({ acceptLicence: true })).arrayBuffer(),
    );
    assert.deepEqual(bytes, o.file());
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a consented download dropped mid-way resumes by Range with the cookie, without a login", async () => {
  await using emu = await startEmulator();
  const o = emu.dataset.objects.find(gatCo2)!;
  emu.faults.add({ path: `/data/objects/${o.id}`, dropAfterBytes: 40_000, times: 1 });
  const rec = recording();
  const cp = new CarbonPortal({ portal: emu.endpoints, fetch: rec.fetch, retry: { minDelay: 1 } });
  const d = await cp.dobj(o.id);
  const dir = await Deno.makeTempDir({ prefix: "icoscp-lic-" });
  try {
    const path = await d.download(dir, { acceptLicence: true });
    assert.deepEqual(await Deno.readFile(path), o.file());
    const gets = rec.seen.filter((r) => r.path.startsWith(`/data/objects/${o.id}`));
    assert.equal(gets.length, 2);
    assert.equal(gets[0].range, null);
    assert.match(gets[1].range ?? "", /^bytes=\d+-$/);
    assert.ok(Number(/\d+/.exec(gets[1].range!)![0]) >= 40_000 - 16_384);
    assert.ok(gets.every((g) => g.cookie?.startsWith("CpLicenseAcceptedFor=")));
    assert.ok(gets.every((g) => !g.cookie?.includes("cpauthToken")));
    // the resumed range names the version it continues (the file route's ETag)
    assert.match(gets[1].ifRange ?? "", /^"[0-9a-f]+"$/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("emulator: licence_accept and the file route behave as the portal's", async () => {
  const emu = await sharedEmulator();
  const o = emu.dataset.objects.find(gatCo2)!;
  const data = emu.endpoints.data;
  // ids in any hash spelling, full or truncated; the cookie holds base64url
  const res = await fetch(`${data}/licence_accept?ids=${encodeURIComponent(`["${o.id}"]`)}`, {
    redirect: "manual",
  });
  await res.body?.cancel();
  assert.equal(res.status, 302);
  assert.equal(res.headers.get("location"), `${data}/objects/${o.id}`);
  const setCookie = res.headers.get("set-cookie")!;
  assert.match(setCookie, new RegExp(`^CpLicenseAcceptedFor=${o.id}; Path=/data/objects/${o.id}$`));
  const cookie = setCookie.split(";")[0];
  // a malformed id list is refused
  const bad = await fetch(`${data}/licence_accept?ids=${encodeURIComponent('["nope"]')}`, {
    redirect: "manual",
  });
  assert.equal(bad.status, 400);
  await bad.body?.cancel();
  // a batch (fileName) goes to the batch route, with the cookie on /objects
  const batch = await fetch(
    `${data}/licence_accept?ids=${encodeURIComponent(JSON.stringify([o.hash]))}&fileName=x`,
    { redirect: "manual" },
  );
  await batch.body?.cancel();
  assert.match(batch.headers.get("set-cookie")!, /Path=\/data\/objects$/);
  assert.match(batch.headers.get("location")!, /\/data\/objects\?ids=.*&fileName=x$/);

  // without a cookie or login: the licence page
  const anon = await fetch(`${data}/objects/${o.id}`, { redirect: "manual" });
  await anon.body?.cancel();
  assert.equal(anon.status, 302);
  assert.match(anon.headers.get("location")!, /\/data\/licence\?ids=/);
  // a cookie naming another object does not open this one
  const other = emu.dataset.objects.find((x) => x.licence === "icos" && x.id !== o.id)!;
  const wrong = await fetch(`${data}/objects/${o.id}`, {
    redirect: "manual",
    headers: { cookie: `CpLicenseAcceptedFor=${other.hash}` },
  });
  await wrong.body?.cancel();
  assert.equal(wrong.status, 302);

  // with it: the file, the cookie deleted, ETag and Last-Modified
  const full = await fetch(`${data}/objects/${o.id}`, { headers: { cookie } });
  assert.equal(full.status, 200);
  assert.deepEqual(new Uint8Array(await full.arrayBuffer()), o.file());
  assert.match(
    full.headers.get("set-cookie")!,
    /^CpLicenseAcceptedFor=deleted; Expires=Thu, 01 Jan 1970/,
  );
  const etag = full.headers.get("etag")!;
  assert.match(etag, /^"[0-9a-f]+"$/);
  assert.ok(full.headers.get("last-modified"));
  // ranges, conditionals
  const part = await fetch(`${data}/objects/${o.id}`, {
    headers: { cookie, range: "bytes=10-19", "if-range": etag },
  });
  assert.equal(part.status, 206);
  assert.equal(part.headers.get("content-range"), `bytes 10-19/${o.size}`);
  assert.deepEqual(new Uint8Array(await part.arrayBuffer()), o.file().subarray(10, 20));
  const stale = await fetch(`${data}/objects/${o.id}`, {
    headers: { cookie, range: "bytes=10-19", "if-range": '"0"' },
  });
  assert.equal(stale.status, 200); // the file changed since: all of it
  assert.equal((await stale.arrayBuffer()).byteLength, o.size);
  const same = await fetch(`${data}/objects/${o.id}`, {
    headers: { cookie, "if-none-match": etag },
  });
  await same.body?.cancel();
  assert.equal(same.status, 304);
  const pre = await fetch(`${data}/objects/${o.id}`, { headers: { cookie, "if-match": '"0"' } });
  await pre.body?.cancel();
  assert.equal(pre.status, 412);
  const tooFar = await fetch(`${data}/objects/${o.id}`, {
    headers: { cookie, range: `bytes=${o.size}-` },
  });
  await tooFar.body?.cancel();
  assert.equal(tooFar.status, 416);
});

Deno.test("icoscp download --accept-licence works in a fresh HOME without an account; without it, exit 3 naming the option", async () => {
  const emu = await sharedEmulator();
  const o = emu.dataset.objects.find(gatCo2)!;
  const home = await Deno.makeTempDir({ prefix: "icoscp-home-" });
  try {
    const refused = await runCli(["--portal", emu.url, "download", o.id, "--dir", "out"], {
      home,
      cwd: home,
    });
    assert.equal(refused.code, 3, refused.stderr);
    assert.match(refused.stderr, /--accept-licence/);
    const ok = await runCli(
      ["--portal", emu.url, "download", o.id, "--dir", "out", "--accept-licence", "--json"],
      { home, cwd: home },
    );
    assert.equal(ok.code, 0, ok.stderr);
    const { path } = JSON.parse(ok.stdout);
    assert.equal(path, join(home, "out", o.fileName));
    assert.deepEqual(await Deno.readFile(path), o.file());
    const same = await runCli(
      ["--portal", emu.url, "dobj", o.id, "download", "--dir", "out2", "--accept-licence"],
      { home, cwd: home },
    );
    assert.equal(same.code, 0, same.stderr);
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});

Deno.test("download() logged in with an account that has not accepted the licence says so, not 'not logged in' (issue 21)", async () => {
  const emu = await sharedEmulator();
  const o = emu.dataset.objects.find(gatCo2)!;
  const bob = emu.users[1];
  const cp = new CarbonPortal({
    portal: emu.endpoints,
    auth: { user: bob.email, password: bob.password },
    retry: { minDelay: 1 },
  });
  const dir = await Deno.makeTempDir({ prefix: "icoscp-lic-" });
  try {
    const e = await (await cp.dobj(o.id)).download(dir).then(() => undefined, (e) => e);
    assert.ok(e instanceof LicenceError, String(e));
    assert.match(e.message, /account logged in has not accepted the data licence/);
    assert.doesNotMatch(e.message, /not logged in/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
