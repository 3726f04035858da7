import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { CarbonPortal } from "../../mod.ts";
import { mapHtml } from "../../src/discovery/mod.ts";
import { Browser, chromiumPath } from "../_chromium.ts";
import { peerTest } from "../_peers.ts";
import { realStore, sparqlFetch } from "../_rdf_store.ts";
import "leaflet/package.json" with { type: "json" };

const leafletDir = fileURLToPath(new URL(".", import.meta.resolve("leaflet/dist/leaflet.js")));

/** Serves pages and Leaflet on a loopback port; tiles answer 404. */
function serve(pages: Record<string, string>) {
  return Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (req) => {
    const path = new URL(req.url).pathname;
    if (pages[path]) return new Response(pages[path], { headers: { "content-type": "text/html" } });
    const m = /^\/leaflet\/(leaflet\.(js|css))$/.exec(path);
    if (m) {
      return new Response(await Deno.readFile(`${leafletDir}${m[1]}`), {
        headers: { "content-type": m[2] === "js" ? "text/javascript" : "text/css" },
      });
    }
    return new Response("not here", { status: 404 });
  });
}

async function countMarkers(html: (base: string) => string | Promise<string>): Promise<number> {
  const pages: Record<string, string> = {};
  const server = serve(pages);
  const base = `http://127.0.0.1:${server.addr.port}`;
  pages["/map.html"] = await html(base);
  const browser = await Browser.launch();
  try {
    const page = await browser.newPage(`${base}/map.html`);
    try {
      await page.waitFor("window.stationCount !== undefined");
      return await page.evaluate<number>("document.querySelectorAll('path.station-marker').length");
    } catch (e) {
      await page.screenshot("tests/.tmp-map-failure.png").catch(() => {});
      throw e;
    }
  } finally {
    await browser.close();
    await server.shutdown();
  }
}

Deno.test(
  peerTest(
    "mapHtml() draws one marker per placed station in Chromium",
    { tools: [chromiumPath] },
    async () => {
      const markers = [
        { lat: 53.0657, lon: 11.4429, title: "Gartow (GAT)" },
        { lat: 56.0976, lon: 13.4189, title: "Hyltemossa (HTM)" },
        { lat: 60.0864, lon: 17.4794, title: "Norunda <NOR>" },
        { lat: NaN, lon: NaN, title: "Ship" },
      ];
      const n = await countMarkers((base) =>
        mapHtml(markers, { leafletUrl: `${base}/leaflet/`, tiles: `${base}/tiles/{z}/{x}/{y}.png` })
      );
      assert.equal(n, 3);
    },
  ),
);

Deno.test(peerTest(
  "StationApi.map() of the 36 atmosphere stations shows 36 markers in Chromium",
  { tools: [chromiumPath], fixtures: true },
  async () => {
    const cp = new CarbonPortal({ fetch: sparqlFetch(await realStore()).fetch });
    const n = await countMarkers((base) =>
      cp.station.map({
        theme: ["AS"],
        leafletUrl: `${base}/leaflet/`,
        tiles: `${base}/tiles/{z}/{x}/{y}.png`,
      })
    );
    assert.equal(n, 36);
  },
));
