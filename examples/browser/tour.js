// The tour of examples/tour.ipynb in a browser: the library's ESM bundle
// (./bundle/, made by serve.ts) against the Carbon Portal emulator, whose
// endpoints and demo login come from ./emulator.json. Sets window.tour.
import { CarbonPortal } from "./bundle/mod.js";
import { dobjLine, footprintMap, plotDobj, plotStilt, stationMap } from "./bundle/src/plot/mod.js";

const tour = (globalThis.tour = { done: false, error: undefined, rendered: [] });
const status = document.getElementById("status");

/** Shows a picture (an SVG document) in a section. */
function show(id, picture, note) {
  const section = document.getElementById(id);
  const figure = document.createElement("figure");
  figure.innerHTML = picture.svg;
  if (note) {
    const p = document.createElement("figcaption");
    p.className = "citation";
    p.textContent = note;
    figure.append(p);
  }
  section.append(figure);
  section.dataset.rendered = "true";
  tour.rendered.push(id);
}

try {
  const emu = await (await fetch("./emulator.json")).json();
  const cp = new CarbonPortal({ portal: emu.endpoints, credentials: "include" });
  // Log in (a session cookie for the emulator's origin) to read data.
  await cp.request(`${emu.endpoints.auth}/password/login`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ mail: emu.user, password: emu.password }).toString(),
  });

  const stations = await cp.station.records();
  show(
    "map",
    await stationMap(
      stations.map((s) => ({ lat: s.lat, lon: s.lon, title: `${s.id} ${s.name}`, theme: s.theme })),
      { title: "ICOS stations in the emulator, by theme" },
    ),
  );

  // Gartow's level-2 data objects, as with Python's station.get("GAT").data(2)
  const gatStation = await cp.station.get("GAT");
  const objects = (await gatStation.data(2)).objects();
  const co2 = await cp.dobj(objects.find((o) => o.specLabel === "ICOS ATC CO2 Release").dobj);
  show("plot", await plotDobj(co2), co2.citation);

  const gat = await cp.stilt.get("GAT344");
  const ts = await gat.getTs("2022-06-01", "2022-06-30");
  const observed = await dobjLine(co2, { label: "observed co2 (GAT, 341 m)" });
  const june = [];
  observed.time.forEach((t, i) => {
    if (t >= Date.UTC(2022, 5, 1) && t < Date.UTC(2022, 6, 1)) june.push(i);
  });
  show(
    "stilt",
    await plotStilt(ts, {
      observed: {
        label: observed.label,
        time: june.map((i) => observed.time[i]),
        values: june.map((i) => observed.values[i]),
      },
      subtitle: "Gartow, June 2022 · bad flags masked",
    }),
  );

  const fp = await gat.getFp("2022-06-01", "2022-06-01", { via: "raster", hours: [12] });
  show("footprint", await footprintMap(fp));
  status.textContent = `Done: ${tour.rendered.length} pictures from ${emu.endpoints.meta}.`;
} catch (e) {
  tour.error = String(e?.stack ?? e);
  status.className = "error";
  status.textContent = `Failed: ${tour.error}`;
} finally {
  tour.done = true;
}
