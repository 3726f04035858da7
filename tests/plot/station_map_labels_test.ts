// Station maps of the real station list (the portal's RDF exports served by
// the emulator): labels that never overlap one another nor cover a marker
// (their boxes checked against the text as resvg lays it out, with DejaVu
// Sans), leader lines for labels set apart, labels with no room left out and
// counted, markers coloured by theme with a legend; HTM and SE-Htm, at one
// place, both shown and both labelled.

import assert from "node:assert/strict";
import * as resvg from "npm:@resvg/resvg-wasm@2.6.2";
import { CarbonPortal } from "../../mod.ts";
import type { StationRecord } from "../../src/discovery/mod.ts";
import { startEmulator } from "../../emulator/mod.ts";
import { showTable, stationMap } from "../../src/plot/mod.ts";
import { withRealFixtures } from "../_fixtures.ts";
import { realRdfSources } from "../_rdf_store.ts";

type Box = [number, number, number, number];
const meets = (a: Box, b: Box) => a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3];
const attr = (tag: string, name: string) => new RegExp(`\\b${name}="([^"]*)"`).exec(tag)?.[1];

interface Drawn {
  markers: { x: number; y: number; r: number; fill: string; title: string }[];
  labels: { x: number; y: number; text: string; box: Box }[];
  leaders: number;
  legend: Record<string, number>;
}

function drawn(svg: string): Drawn {
  const markers = [...svg.matchAll(/<circle class="station-marker"[^>]*><title>([^<]*)<\/title>/g)]
    .map((m) => ({
      x: Number(attr(m[0], "cx")),
      y: Number(attr(m[0], "cy")),
      r: Number(attr(m[0], "r")),
      fill: attr(m[0], "fill")!,
      title: m[1],
    }));
  const labels = [...svg.matchAll(/<text class="station-label"[^>]*>([^<]*)<\/text>/g)].map((
    m,
  ) => ({
    x: Number(attr(m[0], "x")),
    y: Number(attr(m[0], "y")),
    text: m[1],
    box: attr(m[0], "data-box")!.split(" ").map(Number) as Box,
  }));
  const legend = Object.fromEntries(
    [...svg.matchAll(
      /<g class="legend-entry" data-theme="(\w+)">.*?<text[^>]*>[^<]*\((\d+)\)<\/text>/g,
    )]
      .map((m) => [m[1], Number(m[2])]),
  );
  return { markers, labels, leaders: (svg.match(/class="label-leader"/g) ?? []).length, legend };
}

function assertApart(d: Drawn): void {
  for (let i = 0; i < d.labels.length; i++) {
    for (let j = i + 1; j < d.labels.length; j++) {
      assert.ok(
        !meets(d.labels[i].box, d.labels[j].box),
        `labels ${d.labels[i].text} and ${d.labels[j].text} overlap`,
      );
    }
    for (const m of d.markers) {
      const dot: Box = [m.x - m.r, m.y - m.r, m.x + m.r, m.y + m.r];
      assert.ok(!meets(d.labels[i].box, dot), `label ${d.labels[i].text} covers ${m.title}`);
    }
  }
}

let fonts: Uint8Array[] | undefined;
/** The box resvg gives a label's text (halo included), rendered alone as the map sets it. */
async function inkBox(l: { x: number; y: number; text: string }): Promise<Box> {
  if (!fonts) {
    await import("npm:dejavu-fonts-ttf@2.37.3/package.json", { with: { type: "json" } });
    const file = (s: string) => Deno.readFile(new URL(import.meta.resolve(s)));
    try {
      await resvg.initWasm(await file("npm:@resvg/resvg-wasm@2.6.2/index_bg.wasm"));
    } catch (e) {
      if (!/already/i.test(String(e))) throw e;
    }
    fonts = [await file("npm:dejavu-fonts-ttf@2.37.3/ttf/DejaVuSans.ttf")];
  }
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="2000" height="2000">` +
    `<text x="${l.x}" y="${l.y}" font-size="11" font-family="DejaVu Sans" stroke="white" ` +
    `stroke-width="3" stroke-linejoin="round">${l.text}</text></svg>`;
  const b = new resvg.Resvg(svg, {
    font: { fontBuffers: fonts, defaultFontFamily: "DejaVu Sans", loadSystemFonts: false },
  }).getBBox()!;
  return [b.x, b.y, b.x + b.width, b.y + b.height];
}

const theme = (s: StationRecord) => ({ lat: s.lat, lon: s.lon, title: s.id, theme: s.theme });

Deno.test(
  withRealFixtures(
    "stationMap() of the real station list: labels apart, themes coloured, a legend",
  ),
  async (t) => {
    await using emu = await startEmulator({ rdf: await realRdfSources(), builtinMetadata: false });
    const cp = new CarbonPortal({
      portal: emu.endpoints,
      endpoints: { metaInstancePrefix: "http://meta.icos-cp.eu/" },
    });
    const stations = await cp.station.records();
    assert.equal(stations.length, 139);

    await t.step("Europe, every station labelled where there is room", async () => {
      const pic = await stationMap(stations.map(theme), {
        labels: true,
        bbox: [-11, 35, 33, 71],
      });
      const d = drawn(pic.svg);
      assert.ok(d.markers.length > 100, `${d.markers.length} markers`);
      assertApart(d);
      // the boxes hold the text as laid out in DejaVu Sans (the font of the PNG)
      for (const l of d.labels) {
        const ink = await inkBox(l);
        assert.ok(
          ink[0] >= l.box[0] - 0.01 && ink[1] >= l.box[1] - 0.01 && ink[2] <= l.box[2] + 0.01 &&
            ink[3] <= l.box[3] + 0.01,
          `${l.text}: ink ${ink} outside its box ${l.box}`,
        );
      }
      const left = d.markers.length - d.labels.length;
      assert.ok(d.labels.length > 30, `${d.labels.length} labels`);
      assert.ok(d.leaders > 0, "labels set apart have leader lines");
      assert.match(pic.svg, new RegExp(`${left} labels left out \\(no room\\)`));
      // colours by theme, and a legend that counts them
      const byColor = (c: string) => d.markers.filter((m) => m.fill === c).length;
      assert.deepEqual(d.legend, {
        atmosphere: byColor("#D55E00"),
        ecosystem: byColor("#009E73"),
        ocean: byColor("#0072B2"),
      });
      assert.ok(d.legend.atmosphere > 20 && d.legend.ecosystem > 50 && d.legend.ocean > 0);
      assert.match(pic.svg, />Atmosphere \(\d+\)</);
    });

    await t.step("Hyltemossa: HTM and SE-Htm side by side, both labelled, apart", async () => {
      const pic = await stationMap(stations.map(theme), {
        labels: true,
        bbox: [11, 54.5, 17, 58.5],
      });
      const d = drawn(pic.svg);
      assertApart(d);
      const htm = d.markers.find((m) => m.title === "HTM")!;
      const seHtm = d.markers.find((m) => m.title === "SE-Htm")!;
      assert.ok(
        Math.hypot(htm.x - seHtm.x, htm.y - seHtm.y) >= htm.r + seHtm.r,
        "both markers show",
      );
      assert.deepEqual([htm.fill, seHtm.fill], ["#D55E00", "#009E73"]);
      assert.deepEqual(d.labels.map((l) => l.text).filter((x) => /htm/i.test(x)).sort(), [
        "HTM",
        "SE-Htm",
      ]);
    });
  },
);

Deno.test("stationMap() of the emulator's stations: names as labels, apart, with a legend; no themes, no legend", async () => {
  await using emu = await startEmulator();
  const cp = new CarbonPortal({ portal: emu.endpoints });
  const stations = await cp.station.records();
  const pic = await stationMap(
    stations.map((s) => ({ ...theme(s), title: `${s.id} ${s.name}` })),
  );
  const d = drawn(pic.svg);
  assertApart(d);
  assert.equal(d.labels.length, stations.length);
  assert.ok(d.labels.some((l) => l.text === "HTM Hyltemossa"));
  assert.ok(d.labels.some((l) => l.text === "SE-Htm Hyltemossa"));
  assert.deepEqual(d.legend, { atmosphere: 4, ecosystem: 1, ocean: 1 });
  // the station list shown as a table: its map colours the themes too
  const html = (await showTable(await cp.station.getIdList()).toMimeBundle())["text/html"];
  const b64 = /data:image\/svg\+xml;base64,([^"]+)"/.exec(html)![1];
  const listMap = new TextDecoder().decode(Uint8Array.from(atob(b64), (c) => c.charCodeAt(0)));
  assert.deepEqual(drawn(listMap).legend, { atmosphere: 4, ecosystem: 1, ocean: 1 });
  const plain = drawn(
    (await stationMap(stations.map((s) => ({ ...theme(s), theme: undefined })))).svg,
  );
  assert.deepEqual(plain.legend, {});
  assert.equal(plain.markers.length, stations.length);
});
