import assert from "node:assert/strict";

Deno.test("the emulator command prints its endpoints and login first, then stops on SIGTERM", async () => {
  const main = new URL("../main.ts", import.meta.url).pathname;
  const config = new URL("../../deno.json", import.meta.url).pathname;
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--config",
      config,
      "--allow-net=127.0.0.1",
      "--allow-read",
      "--allow-env",
      main,
      "--port",
      "0",
    ],
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let buffered = "";
  while (!buffered.includes("\n")) {
    const { value, done } = await reader.read();
    if (done) break;
    buffered += value;
  }
  const first = JSON.parse(buffered.split("\n")[0]);
  assert.match(first.url, /^http:\/\/127\.0\.0\.1:\d+$/);
  assert.equal(first.endpoints.sparql, `${first.url}/meta/sparql`);
  assert.equal(first.user, "alice@emulator.icos-cp.test");
  const res = await fetch(`${first.endpoints.auth}/password/login`, {
    method: "POST",
    body: new URLSearchParams({ mail: first.user, password: first.password }),
  });
  assert.equal(await res.text(), "OK");
  child.kill("SIGTERM");
  const status = await child.status;
  await reader.cancel();
  await child.stderr.cancel();
  assert.equal(status.code, 0);
});
