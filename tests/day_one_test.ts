// The README's first minutes: the emulator prints one human line on stderr
// beside its JSON on stdout and says when its port is busy; the web demo
// takes --port and says when that port is busy (before bundling).

import assert from "node:assert/strict";

const root = new URL("..", import.meta.url).pathname;

function task(args: string[]) {
  return new Deno.Command(Deno.execPath(), {
    args: ["task", "-q", ...args],
    cwd: root,
    env: { NO_COLOR: "1", DENO_NO_UPDATE_CHECK: "1" },
    stdout: "piped",
    stderr: "piped",
  });
}

async function firstLine(stream: ReadableStream<Uint8Array>): Promise<string> {
  const reader = stream.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  while (!text.includes("\n")) {
    const { value, done } = await reader.read();
    if (done) break;
    text += value;
  }
  reader.releaseLock();
  return text.split("\n")[0];
}

Deno.test("deno task emulator: JSON on stdout, one human line on stderr; a busy port is said so (exit 2)", async () => {
  const proc = task(["emulator", "--port", "0"]).spawn();
  try {
    const json = JSON.parse(await firstLine(proc.stdout));
    const human = await firstLine(proc.stderr);
    assert.equal(
      human,
      `ICOS Carbon Portal emulator at ${json.url} (user ${json.user}, password ${json.password}); Ctrl-C stops it`,
    );
    const port = new URL(json.url).port;
    const second = await task(["emulator", "--port", port]).output();
    assert.equal(second.code, 2);
    assert.equal(second.stdout.length, 0);
    assert.match(new TextDecoder().decode(second.stderr), new RegExp(`^Port ${port} is in use: `));
  } finally {
    proc.kill("SIGTERM");
    await proc.status;
    await proc.stdout.cancel().catch(() => {});
    await proc.stderr.cancel().catch(() => {});
  }
});

Deno.test("deno task demo:web --port N: a busy port is said so at once (exit 2)", async () => {
  using listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  const out = await task(["demo:web", "--port", String(port)]).output();
  assert.equal(out.code, 2, new TextDecoder().decode(out.stderr));
  assert.match(
    new TextDecoder().decode(out.stderr),
    new RegExp(`Port ${port} is in use: run deno task demo:web --port N`),
  );
  const bad = await task(["demo:web", "--port", "http"]).output();
  assert.equal(bad.code, 2);
  assert.match(new TextDecoder().decode(bad.stderr), /--port expects a port number, not http/);
});
