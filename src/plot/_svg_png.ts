// SVG → PNG with resvg (WebAssembly, from npm), loaded on first use with a
// bundled TrueType font (DejaVu Sans) so text renders the same everywhere.

import { UnsupportedFormatError } from "../errors.ts";

type Resvg = typeof import("@resvg/resvg-wasm");

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
    const resvg = await import("@resvg/resvg-wasm");
    const [wasm, ...fonts] = await Promise.all([
      readPackageFile(import.meta.resolve("@resvg/resvg-wasm/index_bg.wasm")),
      readPackageFile(import.meta.resolve("dejavu-fonts-ttf/ttf/DejaVuSans.ttf")),
      readPackageFile(import.meta.resolve("dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf")),
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
