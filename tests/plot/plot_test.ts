// Pictures through the public API against the emulator: a data object's
// series with bad flags masked, STILT modelled vs observed, a footprint map
// with borders, legend and title, a station map, PNG rendering, and the
// notebook MIME bundles of tables, data objects, stations and footprints.

import assert from "node:assert/strict";
import { table } from "arquero";
import { CarbonPortal } from "../../mod.ts";
import { startEmulator } from "../../emulator/mod.ts";
import { dobjLine, footprintMap, plotDobj, plotStilt, stationMap } from "../../src/plot/plot.ts";
import { showTable } from "../../src/plot/mod.ts";
import { listDataObjectsQuery } from "../../src/sparql/queries.ts";
import { InvalidArgumentError } from "../../src/errors.ts";

const DISPLAY = Symbol.for("Jupyter.display");
type Displayable = { [DISPLAY](): Record<string, string> | Promise<Record<string, string>> };
const display = (x: unknown) => (x as Displayable)[DISPLAY]();

function isPng(b: Uint8Array): boolean {
  return b[0] === 0x89 && String.fromCharCode(b[1], b[2], b[3]) === "PNG";
}

async function gartowCo2(cp: CarbonPortal) {
  const prefix = cp.endpoints.metaInstancePrefix;
  const found = await cp.sparql.select(listDataObjectsQuery({
    stations: [`${prefix}resources/stations/AS_GAT`],
    specs: [`${prefix}resources/cpmeta/atcCo2L2DataObject`],
  }));
  return await cp.dobj(found.rows[0].iri("dobj"));
}

Deno.test("plots, maps and notebook displays against the emulator", async (t) => {
  await using emu = await startEmulator();
  const cp = new CarbonPortal({
    portal: emu.endpoints,
    auth: { user: emu.user, password: emu.password },
  });
  const d = await gartowCo2(cp);

  await t.step("plotDobj masks bad flags as gaps and titles station and unit", async () => {
    const masked = await dobjLine(d);
    const kept = await dobjLine(d, { keepBadData: true });
    const nanMasked = Array.from(masked.values).filter(Number.isNaN).length;
    const nanKept = Array.from(kept.values).filter(Number.isNaN).length;
    assert.ok(nanMasked > nanKept, `masked ${nanMasked} NaN, kept ${nanKept}`);
    const pic = await plotDobj(d);
    assert.match(pic.title, /^co2 at /);
    assert.match(pic.svg, /bad flags masked/);
    assert.match(pic.svg, /µmol mol-1/);
    // a gap splits the line into several path segments (M commands)
    const path = /<path[^>]* d="([^"]+)"/.exec(
      pic.svg.slice(pic.svg.indexOf('aria-label="line"')),
    )!;
    assert.ok(path[1].split("M").length > 2, "the line has gaps");
    assert.ok(isPng(await pic.png(1)));
  });

  const st = (await cp.stilt.list()).find((s) => s.icos)!;
  const month = (await st.months(st.years[0]))[0];
  const day = `${st.years[0]}-${String(month).padStart(2, "0")}-01`;

  await t.step("plotStilt: modelled vs observed with a legend", async () => {
    const ts = await st.getTs(day, day.replace(/01$/, "05"));
    const pic = await plotStilt(ts, { observed: { ...(await dobjLine(d)), label: "observed" } });
    for (const s of ["co2.stilt (modelled)", "co2.background (modelled)", "observed"]) {
      assert.ok(pic.svg.includes(s), s);
    }
    await assert.rejects(() => plotStilt(table({ x: [1] })), InvalidArgumentError);
  });

  await t.step("footprintMap: raster, borders, legend with units, station and date", async () => {
    const fp = await st.getFp(day, day);
    assert.equal(fp.station?.id, st.id);
    const pic = await footprintMap(fp, { time: { index: 0 } });
    assert.match(pic.svg, /<image[^>]*footprint-raster/);
    assert.ok((pic.svg.match(/aria-label="geo"/g) ?? []).length >= 2, "land and borders");
    assert.match(pic.svg, /ppm per \(micromol m-2 s-1\)/);
    assert.ok(pic.title.includes(st.id), pic.title);
    assert.match(pic.svg, new RegExp(`${day} 00:00 UTC`));
    assert.match(pic.svg, /<circle/); // the receptor
    assert.ok(isPng(await fp.toPng()), "Footprints.toPng keeps working");
    const bundle = await display(fp);
    assert.match(bundle["image/svg+xml"], /footprint-raster/);
  });

  await t.step("stationMap and the notebook bundles", async () => {
    const recs = await cp.station.records();
    const pic = await stationMap(recs.map((r) => ({ lat: r.lat, lon: r.lon, title: r.id })));
    assert.equal(pic.svg.match(/<circle/g)?.length, recs.filter((r) => !isNaN(r.lat)).length);

    const html = (await display(d))["text/html"];
    assert.ok(html.includes(d.fileName) && html.includes("Citation"), html);
    const sel = await cp.stilt.find();
    assert.match((await display(sel))["text/html"], /data:image\/svg\+xml;base64/);
    const gat = await cp.station.get("GAT");
    assert.match((await display(gat))["image/svg+xml"], /<circle/);
  });
});

Deno.test("table display: formatted, abbreviated, with a plot for time series", async () => {
  const n = 100;
  const t = table({
    TIMESTAMP: Float64Array.from({ length: n }, (_, i) => Date.UTC(2020, 0, 1, i)),
    co2: Float32Array.from({ length: n }, (_, i) => (i === 3 ? NaN : 410.123456789 + i)),
    Flag: Array.from({ length: n }, () => "O"),
  });
  const b = await display(showTable(t)); // the explicit opt-in
  const html = b["text/html"];
  assert.match(html, /100 rows × 3 columns \(showing 20\)/);
  assert.match(html, /… 80 more rows …/);
  assert.match(html, /<td style="text-align:right">2020-01-01 00:00<\/td>/);
  assert.match(html, /410\.123/);
  assert.doesNotMatch(html, /410\.1234567/);
  assert.match(html, />NaN</);
  assert.match(html, /^<img alt="co2 over TIMESTAMP"/);
  const small = await display(showTable(table({ name: ["<b>"], n: [1] })));
  assert.doesNotMatch(small["text/html"], /<img|<b>/);
});
