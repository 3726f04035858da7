// The browser tour (examples/browser/, `deno task demo:web`) in headless
// Chromium: the ESM bundle against the emulator draws the station map, the
// CO2 plot, modelled vs observed CO2 and the footprint map.

import assert from "node:assert/strict";
import { serveWebDemo } from "../examples/browser/serve.ts";
import { Browser, chromiumPath } from "./_chromium.ts";
import { peerTest } from "./_peers.ts";

Deno.test(peerTest(
  "the browser tour renders its map, plots and footprint in Chromium",
  { tools: [chromiumPath] },
  async () => {
    await using demo = await serveWebDemo();
    const browser = await Browser.launch();
    try {
      const page = await browser.newPage(demo.url);
      try {
        await page.waitFor("globalThis.tour?.done", 120_000);
        const r = await page.evaluate<Record<string, unknown>>(`(() => {
          const q = (s) => document.querySelectorAll(s);
          const raster = document.querySelector("#footprint image.footprint-raster");
          const box = raster?.getBBox();
          return {
            error: tour.error ?? null,
            rendered: tour.rendered,
            markers: q("#map svg circle").length,
            plotLines: q("#plot svg [aria-label=line] path").length,
            stiltLines: q("#stilt svg [aria-label=line] path").length,
            borders: q("#footprint svg [aria-label=geo] path").length,
            raster: raster ? [Math.round(box.width), Math.round(box.height), raster.getAttribute("href").slice(0, 22)] : null,
            legend: document.querySelector("#footprint svg").textContent.includes("ppm per (micromol m-2 s-1)"),
          };
        })()`);
        assert.equal(r.error, null);
        assert.deepEqual(r.rendered, ["map", "plot", "stilt", "footprint"]);
        assert.equal(r.markers, 6);
        assert.equal(r.plotLines, 1);
        assert.equal(r.stiltLines, 3);
        assert.ok((r.borders as number) > 20, `borders: ${r.borders}`);
        const [w, h, href] = r.raster as [number, number, string];
        assert.ok(w > 300 && h > 300, `raster ${w} × ${h}`);
        assert.equal(href, "data:image/png;base64,");
        assert.equal(r.legend, true);
      } catch (e) {
        await page.screenshot("tests/.tmp-web-demo-failure.png").catch(() => {});
        throw e;
      }
    } finally {
      await browser.close();
    }
  },
));
