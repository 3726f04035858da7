// SVG → PNG with resvg (WebAssembly, from npm), loaded on first use with a
// bundled TrueType font (DejaVu Sans) so text renders the same everywhere.

import { UnsupportedFormatError } from "../errors.ts";

type Resvg = typeof import("npm:@resvg/resvg-wasm@2.6.2");

let ready: Promise<{ resvg: Resvg; fonts: Uint8Array[] }> | undefined;

async function readPackageFile(resolved: string): Promise<Uint8Array> {
  const url = new URL(resolved);
  if (url.protocol === "file:") {
    const { readFile } = await import("node:fs/promises");
    const { fileURLToPath } = await import("node:url");
    return new Uint8Array(await readFile(fileURLToPath(url)));
  }
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  return new Uint8Array(await res.arrayBuffer());
}

function load(): Promise<{ resvg: Resvg; fonts: Uint8Array[] }> {
  ready ??= (async () => {
    const resvg = await import("npm:@resvg/resvg-wasm@2.6.2");
    // the font package has no module: importing its manifest puts it in the
    // module graph, so that Deno installs it and resolves its files to paths
    // also where no deno.json lists it (a script or notebook anywhere)
    await import("npm:dejavu-fonts-ttf@2.37.3/package.json", { with: { type: "json" } });
    const [wasm, ...fonts] = await Promise.all([
      readPackageFile(import.meta.resolve("npm:@resvg/resvg-wasm@2.6.2/index_bg.wasm")),
      readPackageFile(import.meta.resolve("npm:dejavu-fonts-ttf@2.37.3/ttf/DejaVuSans.ttf")),
      readPackageFile(import.meta.resolve("npm:dejavu-fonts-ttf@2.37.3/ttf/DejaVuSans-Bold.ttf")),
    ]);
    await resvg.initWasm(wasm);
    return { resvg, fonts };
  })();
  ready.catch(() => (ready = undefined));
  return ready;
}

/** Renders an SVG document to PNG at `scale` times its size, on white. */
export async function svgToPng(svg: string, scale = 2): Promise<Uint8Array> {
  let loaded;
  try {
    loaded = await load();
  } catch (e) {
    throw new UnsupportedFormatError(
      "PNG rendering needs @resvg/resvg-wasm and dejavu-fonts-ttf, readable where this module runs",
      { cause: e },
    );
  }
  const { resvg, fonts } = loaded;
  let r;
  try {
    r = new resvg.Resvg(svg, {
      background: "white",
      fitTo: { mode: "zoom", value: scale },
      font: {
        fontBuffers: fonts,
        defaultFontFamily: "DejaVu Sans",
        sansSerifFamily: "DejaVu Sans",
      },
    });
  } catch (e) {
    throw new UnsupportedFormatError(`Cannot render this SVG: ${(e as Error).message}`, {
      cause: e,
    });
  }
  try {
    return r.render().asPng();
  } finally {
    r.free();
  }
}
