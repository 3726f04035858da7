// The README's recipes, followed as a newcomer would: start the emulator with
// the documented task, then reach its data from an own script in another
// folder (the local-clone recipe, run with the documented command line) and
// from a browser page (the documented bundle task and HTML snippet). The
// snippets are taken from README.md itself, so a recipe that rots fails here.

import assert from "node:assert/strict";
import { join } from "node:path";
import { Browser, chromiumPath } from "./_chromium.ts";
import { peerTest } from "./_peers.ts";

const root = new URL("..", import.meta.url).pathname.replace(/\/$/, "");
const readme = await Deno.readTextFile(join(root, "README.md"));
const deno = Deno.execPath();

/** The first fenced block of a language whose text contains `marker`. */
function block(lang: string, marker: string): string {
  for (const m of readme.matchAll(/```(\w+)[^\n]*\n([\s\S]*?)```/g)) {
    if (m[1] === lang && m[2].includes(marker)) return m[2];
  }
  throw new Error(`README has no ${lang} block with ${marker}`);
}

/** Runs `deno task emulator --port P` as the README says; resolves with its first line. */
async function emulatorTask(): Promise<{ url: string; stop: () => Promise<void> }> {
  const line = block("sh", "task emulator").split("\n").find((l) => l.includes("task emulator"))!;
  assert.match(line, /deno@[\d.]+ task emulator --port 8080/);
  const proc = new Deno.Command(deno, {
    args: ["task", "--config", join(root, "deno.json"), "emulator", "--port", "0"],
    stdout: "piped",
    stderr: "null",
  }).spawn();
  const reader = proc.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  while (!text.includes("\n")) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`the emulator task ended: ${text}`);
    text += value;
  }
  const first = JSON.parse(text.slice(0, text.indexOf("\n")));
  return {
    url: first.url,
    stop: async () => {
      proc.kill("SIGTERM");
      await reader.cancel();
      await proc.status;
    },
  };
}

Deno.test("README: an own script in another folder reaches the emulator through the local clone", async () => {
  const emu = await emulatorTask();
  const dir = await Deno.makeTempDir({ prefix: "icoscp-readme-" });
  try {
    const script = block("ts", "my_script.ts")
      .replaceAll("/path/to/icoscp-ts", root)
      .replaceAll("http://127.0.0.1:8080", emu.url);
    await Deno.writeTextFile(join(dir, "my_script.ts"), script);
    const line = block("sh", "my_script.ts").trim();
    const args = line.replaceAll("/path/to/icoscp-ts", root).split(/\s+/).slice(1);
    assert.equal(args[0], "run");
    const out = await new Deno.Command(deno, { args, cwd: dir, stdout: "piped", stderr: "piped" })
      .output();
    const stderr = new TextDecoder().decode(out.stderr);
    assert.equal(out.code, 0, stderr);
    assert.match(new TextDecoder().decode(out.stdout), /^\d+ stations\n$/);
  } finally {
    await emu.stop();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test(peerTest(
  "README: the browser recipe (deno task bundle + the HTML snippet) lists the emulator's stations (Chromium)",
  { tools: [chromiumPath] },
  async () => {
    const emu = await emulatorTask();
    const dir = await Deno.makeTempDir({ prefix: "icoscp-readme-web-" });
    try {
      const config = JSON.parse(await Deno.readTextFile(join(root, "deno.json")));
      const task: string = config.tasks.bundle;
      assert.match(task, /--outdir dist mod\.ts$/);
      const args = task.split(/\s+/).slice(1).map((a) =>
        a === "dist" ? join(dir, "dist") : a === "mod.ts" ? join(root, "mod.ts") : a
      );
      const built = await new Deno.Command(deno, { args, stdout: "piped", stderr: "piped" })
        .output();
      assert.ok(built.success, new TextDecoder().decode(built.stderr));
      const html = block("html", "dist/mod.js").replaceAll("http://127.0.0.1:8080", emu.url);
      const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (req) => {
        const path = new URL(req.url).pathname;
        if (path === "/") {
          return new Response(`<!doctype html><body></body>${html}`, {
            headers: { "content-type": "text/html" },
          });
        }
        try {
          return new Response(await Deno.readFile(join(dir, path)), {
            headers: { "content-type": "text/javascript" },
          });
        } catch {
          return new Response("not found", { status: 404 });
        }
      });
      const browser = await Browser.launch();
      try {
        const page = await browser.newPage(`http://127.0.0.1:${server.addr.port}/`);
        await page.waitFor("document.body.textContent.includes('Gartow')", 30_000);
        const text = await page.evaluate<string>("document.body.textContent");
        assert.match(text, /Gartow/);
      } finally {
        await browser.close();
        await server.shutdown();
      }
    } finally {
      await emu.stop();
      await Deno.remove(dir, { recursive: true });
    }
  },
));
