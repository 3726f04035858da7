/**
 * A short tour of the library against the local Carbon Portal emulator
 * (`deno task demo`): stations, a station's data objects, a search, a data
 * object with its citation and data, a collection, and STILT time series and
 * footprints. The same calls work against the real portal: drop
 * `portal: emu.endpoints`.
 *
 * @module
 */

import { CarbonPortal } from "../src/client/client.ts";
import { startEmulator } from "../emulator/mod.ts";
import { FOOTPRINT_UNITS } from "../src/stilt/footprints.ts";
import { alignedText, cellText } from "../src/export/_table_text.ts";

function fmt(x: number, digits = 2): string {
  return Number.isFinite(x) ? x.toFixed(digits) : "–";
}

/** An ISO time to the minute, as people write it. */
function when(ms: number): string {
  return new Date(ms).toISOString().slice(0, 16).replace("T", " ") + " UTC";
}

/** Rows as an indented, aligned table. */
function show(rows: string[][], numeric: boolean[] = []): void {
  console.log(alignedText(rows, numeric).replace(/^/gm, "   ").trimEnd());
}

async function main(): Promise<void> {
  await using emu = await startEmulator();
  console.log(`Local Carbon Portal emulator at ${emu.url}`);
  console.log(
    "The emulator serves SYNTHETIC data shaped like the real portal's: stations and\n" +
      "metadata are real-looking, every value below is generated, not a measurement.\n",
  );
  // A client for the emulator, logging in with the built-in user who has accepted the licence.
  const cp = new CarbonPortal({
    portal: emu.endpoints,
    auth: { user: emu.user, password: emu.password },
  });

  console.log("1. ICOS stations (cp.station.getIdList):");
  const stations = await cp.station.records({ sort: "id" });
  show(
    [
      ["id", "name", "country", "lat °N", "lon °E", "theme"],
      ...stations.map((s) => [s.id, s.name, s.country, fmt(s.lat, 4), fmt(s.lon, 4), s.theme]),
    ],
    [false, false, false, true, true, false],
  );

  console.log('\n2. Data at Gartow (cp.station.get("GAT"), then station.data(2)):');
  const gat = await cp.station.get("GAT");
  const objects = (await gat.data(2)).objects() as {
    specLabel: string;
    timeStart: Date;
    timeEnd: Date;
    bytes: number;
  }[];
  show(
    [
      ["product", "from", "to", "size (bytes)"],
      ...objects.map((o) => [
        o.specLabel,
        when(o.timeStart.getTime()),
        when(o.timeEnd.getTime()),
        String(o.bytes),
      ]),
    ],
    [false, false, false, true],
  );
  console.log(
    '   the CO2 release, found by search (cp.search({ station: "GAT", variable: "co2", level: 2 })):',
  );
  const found = await cp.search({ station: "GAT", variable: "co2", level: 2 });
  const d = await cp.dobj(found.objects.get("pid", 0) as string);
  console.log(`   ${d.fileName}`);
  console.log(`   citation: ${d.citation}`);
  if (d.previous.length) console.log(`   replaces: ${d.previous.join(", ")}`);

  console.log(`\n3. Logged in as ${emu.user}; data through the wasm decoder (d.getColumns):`);
  const cols = await d.getColumns();
  const co2 = cols.co2 as Float32Array;
  const time = cols.TIMESTAMP as Float64Array;
  const good = co2.filter((v) => !Number.isNaN(v));
  const mean = good.reduce((a, b) => a + b, 0) / good.length;
  console.log(`   ${co2.length} rows, ${Object.keys(cols).join(", ")}`);
  console.log(`   ${when(time[0])} … ${when(time[time.length - 1])}`);
  console.log(
    `   mean co2 of ${good.length} good rows: ${fmt(mean)} µmol mol-1 (bad flags masked)`,
  );
  const table = await d.get(["TIMESTAMP", "co2"], { offset: 0, length: 3 });
  console.log("   first rows as an arquero table (d.get):");
  const t = table.getter("TIMESTAMP");
  const v = table.getter("co2");
  const f = table.getter("Flag");
  show(
    [
      ["TIMESTAMP", "co2 (µmol mol-1)", "Flag"],
      ...Array.from({ length: table.numRows() }, (_, i) => [
        when(t(i) as number),
        cellText(v(i), { float32: true }),
        String(f(i)),
      ]),
    ],
    [false, true, false],
  );

  console.log("\n4. A collection (cp.collection.get):");
  const ids = await cp.collection.getIdList();
  const withDoi = (ids.objects() as { collection: string; doi: string }[]).filter((c) => c.doi)
    .sort((a, b) => a.doi.localeCompare(b.doi))[0];
  const c = await cp.collection.get(withDoi.doi);
  console.log(`   ${c.title}`);
  console.log(`   DOI ${c.doi}, ${c.datalink.length} members`);
  console.log(`   citation: ${await c.getCitation()}`);

  console.log("\n5. STILT (cp.stilt):");
  const stilt = await cp.stilt.list();
  const st = stilt.find((s) => s.icos) ?? stilt[0];
  console.log(
    `   ${stilt.length} STILT stations, e.g. ${st.id} ${st.name}${
      st.icos ? ` (ICOS ${st.icos.stationId})` : ""
    }`,
  );
  const year = st.years[0];
  const ts = await st.getTs(`${year}-01-01`, `${year}-01-02`, { columns: "default" });
  const first = ts.objects()[0] as Record<string, number>;
  console.log(
    `   ${st.id}, ${year}-01-01..02: ${ts.numRows()} three-hourly rows; first co2.stilt ${
      fmt(first["co2.stilt"])
    } ppm, background ${fmt(first["co2.background"])} ppm`,
  );
  const fp = await st.getFp(`${year}-01-01`, `${year}-01-01`, { hours: [0, 12] });
  console.log(
    `   footprints ${fp.shape.join(" × ")} (time × lat × lon), total sensitivity ${
      fp.total().toPrecision(3)
    } ${FOOTPRINT_UNITS}`,
  );

  console.log("\nDone.");
}

if (import.meta.main) await main();
