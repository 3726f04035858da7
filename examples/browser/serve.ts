/**
 * Serves the browser tour (examples/browser/) with the library's ESM bundle
 * and a Carbon Portal emulator: `deno task demo:web` prints the URL to open.
 *
 * @module
 */

import { join } from "node:path";
import { startEmulator } from "../../emulator/mod.ts";

const here = new URL(".", import.meta.url);
const root = new URL("../../", import.meta.url);

/** The entry points of the web page's bundle. */
const PAGE_ENTRIES = ["mod.ts", "src/plot/mod.ts", "src/sparql/mod.ts"];

/**
 * Bundles entry points of the library (paths from the clone's root; default:
 * the web page's) for browsers, as `deno task bundle` does (ESM, code-split,
 * minified), into `dir`. The tests bundle through this too.
 */
export async function bundle(
  dir: string,
  entries: readonly string[] = PAGE_ENTRIES,
): Promise<void> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "bundle",
      "--quiet",
      "--platform",
      "browser",
      "--format",
      "esm",
      "--code-splitting",
      "--minify",
      // error classes keep their names (`err.name === "NotFoundError"`)
      "--keep-names",
      "--outdir",
      dir,
      ...entries.map((e) => new URL(e, root).pathname),
    ],
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!out.success) throw new Error(`deno bundle failed:\n${new TextDecoder().decode(out.stderr)}`);
}

const TYPES: Record<string, string> = {
  html: "text/html; charset=utf-8",
  js: "text/javascript; charset=utf-8",
  json: "application/json",
};

/** The running demo. */
export interface WebDemo extends AsyncDisposable {
  /** The page's URL. */
  url: string;
  /** The emulator's URL. */
  emulatorUrl: string;
  /** Stops the server and the emulator, removes the bundle. */
  close(): Promise<void>;
}

/** Starts the emulator, bundles the library and serves the page on a loopback port. */
export async function serveWebDemo(options: { port?: number } = {}): Promise<WebDemo> {
  const emu = await startEmulator();
  const dir = await Deno.makeTempDir({ prefix: "icoscp-web-demo-" });
  try {
    await bundle(join(dir, "bundle"));
  } catch (e) {
    await emu.close();
    throw e;
  }
  const config = JSON.stringify({
    endpoints: emu.endpoints,
    user: emu.user,
    password: emu.password,
  });
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: options.port ?? 0, onListen() {} },
    async (req) => {
      const path = new URL(req.url).pathname;
      if (path === "/emulator.json") {
        return new Response(config, { headers: { "content-type": TYPES.json } });
      }
      const file = path === "/" ? "index.html" : path.slice(1);
      if (file.includes("..")) return new Response("no", { status: 400 });
      const url = file.startsWith("bundle/")
        ? new URL(`file://${join(dir, file)}`)
        : new URL(file, here);
      if (!/^(index\.html|tour\.js|bundle\/[\w./-]+\.js)$/.test(file)) {
        return new Response("not here", { status: 404 });
      }
      try {
        return new Response(await Deno.readFile(url), {
          headers: {
            "content-type": TYPES[file.replace(/^.*\./, "")] ?? "application/octet-stream",
          },
        });
      } catch {
        return new Response("not here", { status: 404 });
      }
    },
  );
  const close = async () => {
    await server.shutdown();
    await emu.close();
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  };
  return {
    url: `http://127.0.0.1:${server.addr.port}/`,
    emulatorUrl: emu.url,
    close,
    [Symbol.asyncDispose]: close,
  };
}

if (import.meta.main) {
  const { parseArgs } = await import("node:util");
  const { values, positionals } = parseArgs({
    args: Deno.args,
    allowPositionals: true,
    options: { port: { type: "string" }, help: { type: "boolean", short: "h" } },
  });
  if (values.help) {
    console.log("Usage: deno task demo:web [--port N]   (default 8000; 0 for any free port)");
    Deno.exit(0);
  }
  const text = values.port ?? positionals[0] ?? "8000";
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`--port expects a port number, not ${text}`);
    Deno.exit(2);
  }
  const busy = () => {
    console.error(`Port ${port} is in use: run deno task demo:web --port N (or --port 0)`);
    Deno.exit(2);
  };
  if (port !== 0) { // before the bundling, which takes a while
    try {
      Deno.listen({ hostname: "127.0.0.1", port }).close();
    } catch (e) {
      if (e instanceof Deno.errors.AddrInUse) busy();
      throw e;
    }
  }
  let demo: WebDemo;
  try {
    demo = await serveWebDemo({ port });
  } catch (e) {
    if (e instanceof Deno.errors.AddrInUse) busy();
    throw e;
  }
  console.log(`Carbon Portal emulator at ${demo.emulatorUrl}`);
  console.log(`Open ${demo.url} (Ctrl-C stops)`);
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    Deno.addSignalListener(signal, async () => {
      await demo.close();
      Deno.exit(0);
    });
  }
}
