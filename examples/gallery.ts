/**
 * Writes every picture the library makes into one folder
 * (`deno task gallery [folder]`, default `gallery/`): plots, maps and
 * footprints as SVG and PNG, the raw `Footprints.toPng()` raster, the
 * notebook's rendered HTML (executed by .ci/notebook.sh) and the browser
 * tour, both as Chromium screenshots, and an index.html showing them all.
 *
 * @module
 */

import { join } from "node:path";
import { CarbonPortal } from "../mod.ts";
import { listDataObjectsQuery } from "../src/sparql/mod.ts";
import { startEmulator } from "../emulator/mod.ts";
import {
  dobjLine,
  footprintMap,
  type Picture,
  plotDobj,
  plotSeries,
  plotStilt,
  stationMap,
} from "../src/plot/plot.ts";
import { Browser, chromiumPath } from "../tests/_chromium.ts";
import { serveWebDemo } from "./browser/serve.ts";

const out = Deno.args[0] ?? "gallery";
await Deno.mkdir(out, { recursive: true });
const written: string[] = [];

async function save(name: string, pic: Picture): Promise<void> {
  await Deno.writeTextFile(join(out, `${name}.svg`), pic.svg);
  await Deno.writeFile(join(out, `${name}.png`), await pic.png());
  written.push(`${name}.png`, `${name}.svg`);
  console.log(`${name}.svg, ${name}.png  ${pic.title}`);
}

{
  await using emu = await startEmulator();
  const cp = new CarbonPortal({
    portal: emu.endpoints,
    auth: { user: emu.user, password: emu.password },
  });
  const stations = await cp.station.records();
  await save(
    "stations",
    await stationMap(
      stations.map((s) => ({ lat: s.lat, lon: s.lon, title: `${s.id} ${s.name}`, theme: s.theme })),
      {
        title: "ICOS stations in the emulator, by theme",
      },
    ),
  );
  await save(
    "stations_hyltemossa",
    await stationMap(
      stations.map((s) => ({ lat: s.lat, lon: s.lon, title: `${s.id} ${s.name}`, theme: s.theme })),
      { title: "HTM and SE-Htm: two stations at Hyltemossa", bbox: [11, 54.5, 17, 58.5] },
    ),
  );
  const prefix = cp.endpoints.metaInstancePrefix;
  const found = await cp.sparql.select(listDataObjectsQuery({
    stations: [`${prefix}resources/stations/AS_GAT`],
    specs: [`${prefix}resources/cpmeta/atcCo2L2DataObject`],
  }));
  const co2 = await cp.dobj(found.rows[0].iri("dobj"));
  await save("co2_gartow", await plotDobj(co2));
  await save("co2_gartow_with_bad_data", await plotDobj(co2, { keepBadData: true }));
  await save(
    "co2_gartow_june_bad_flags_marked",
    await plotDobj(co2, { keepBadData: true, xDomain: ["2022-06-01", "2022-07-01"] }),
  );

  const stilt = await cp.stilt.find();
  await save(
    "stilt_stations",
    await stationMap(stilt.stations.map((s) => ({ lat: s.lat, lon: s.lon, title: s.id })), {
      title: "STILT stations",
    }),
  );
  const gat = await cp.stilt.get("GAT344");
  const ts = await gat.getTs("2022-06-01", "2022-06-30");
  const observed = await dobjLine(co2, { label: "observed co2 (GAT, 341 m)" });
  const times = Array.from(observed.time, Number);
  const june = times.flatMap((t, i) =>
    t >= Date.UTC(2022, 5, 1) && t < Date.UTC(2022, 6, 1) ? [i] : []
  );
  await save(
    "stilt_modelled_vs_observed",
    await plotStilt(ts, {
      observed: {
        label: observed.label,
        time: june.map((i) => times[i]),
        values: june.map((i) => observed.values[i]),
      },
      subtitle: "Gartow, June 2022 · bad flags masked",
    }),
  );
  await save(
    "stilt_components",
    await plotSeries(
      ["co2.bio", "co2.fuel", "co2.cement"].map((c) => ({
        label: c,
        time: ts.array("isodate") as Float64Array,
        values: ts.array(c) as Float64Array,
      })),
      { title: "STILT CO2 components at Gartow, June 2022", yLabel: "co2 (µmol mol-1)" },
    ),
  );
  const fp = await gat.getFp("2022-06-01", "2022-06-01");
  await save("footprint_noon", await footprintMap(fp, { time: "2022-06-01T12:00:00Z" }));
  await save("footprint_daily_mean", await footprintMap(fp));
  // tuned: two hours on one colour range (comparable), another colour map, a zoomed extent
  for (const hour of [0, 12]) {
    await save(
      `footprint_${String(hour).padStart(2, "0")}h_shared_range`,
      await footprintMap(fp, {
        time: `2022-06-01T${String(hour).padStart(2, "0")}:00:00Z`,
        vmin: 1e-7,
        vmax: 1e-2,
        title: `Gartow footprint ${hour}:00 UTC, shared colour range 10⁻⁷–10⁻²`,
      }),
    );
  }
  await save(
    "footprint_magma_zoomed",
    await footprintMap(fp, { colors: "magma", extent: [0, 45, 25, 60], title: "magma, zoomed" }),
  );
  await Deno.writeFile(join(out, "footprint_raw_toPng.png"), await fp.toPng());
  written.push("footprint_raw_toPng.png");
  console.log("footprint_raw_toPng.png  Footprints.toPng()");
}

// The notebook, executed and rendered by nbconvert (needs Python with jupyter_client, nbformat
// and nbconvert: .ci/notebook.sh installs them into .ci/.tools/venv), then both the notebook and
// the web page photographed (needs Chromium). What cannot run is skipped and said so.
const skipped: string[] = [];
const nb = new Deno.Command("bash", {
  args: [".ci/notebook.sh", "examples/tour.ipynb", join(out, "tour.ipynb"), join(out, "tour.html")],
  stdout: "inherit",
  stderr: "inherit",
}).spawn();
const notebookOk = (await nb.status).success;
if (notebookOk) written.push("tour.html", "tour.ipynb");
else skipped.push("the executed notebook (tour.html): .ci/notebook.sh failed, see above");

async function hasChromium(): Promise<boolean> {
  try {
    return (await new Deno.Command(chromiumPath, { args: ["--version"], stdout: "null" }).output())
      .success;
  } catch {
    return false;
  }
}

if (!(await hasChromium())) {
  skipped.push(
    `notebook.png and webpage.png: no Chromium (${chromiumPath}; set CHROMIUM to its path)`,
  );
} else {
  const browser = await Browser.launch();
  try {
    if (notebookOk) {
      const nbPage = await browser.newPage(
        new URL(join(out, "tour.html"), `file://${Deno.cwd()}/`).href,
      );
      await nbPage.screenshot(join(out, "notebook.png"), { fullPage: true });
      written.push("notebook.png");
      console.log("notebook.png  Chromium screenshot of the executed notebook");
    }
    await using demo = await serveWebDemo();
    const page = await browser.newPage(demo.url);
    await page.waitFor("globalThis.tour?.done", 120_000);
    const error = await page.evaluate<string | null>("tour.error ?? null");
    if (error) throw new Error(`the web page failed: ${error}`);
    await page.screenshot(join(out, "webpage.png"), { fullPage: true });
    written.push("webpage.png");
    console.log("webpage.png  Chromium screenshot of the browser tour");
  } finally {
    await browser.close();
  }
}

const pictures = written.filter((f) => f.endsWith(".png"));
await Deno.writeTextFile(
  join(out, "index.html"),
  `<!doctype html><meta charset="utf-8"><title>icoscp gallery</title>
<style>body{font-family:sans-serif;margin:1em}figure{display:inline-block;margin:1em;vertical-align:top}
img{max-width:720px;border:1px solid #ddd}</style><h1>icoscp gallery</h1>
${
    pictures.map((p) => `<figure><img src="${p}"><figcaption>${p}</figcaption></figure>`).join("\n")
  }${
    skipped.length
      ? `\n<h2>Skipped</h2><ul>${
        skipped.map((s) => `<li>${s.replace(/</g, "&lt;")}</li>`).join("")
      }</ul>`
      : ""
  }`,
);
for (const s of skipped) console.log(`skipped: ${s}`);
console.log(`\n${written.length + 1} files in ${out}/ (open ${join(out, "index.html")})`);
