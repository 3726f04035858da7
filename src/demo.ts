/**
 * A short tour of the library against the local Carbon Portal emulator
 * (`deno task demo`): stations over SPARQL, a data object's landing page and
 * citation, login, its columns over `/cpb`, a collection, and a STILT series.
 *
 * @module
 */

import { CarbonPortal } from "./client.ts";
import { decodeCpb } from "./cpb.ts";
import type { CpbType } from "./_cpb_layout.ts";
import { startEmulator } from "./emulator/mod.ts";

type Binding = Record<string, { value: string }>;

const CPB: Record<string, CpbType> = {
  float32: "FLOAT",
  float64: "DOUBLE",
  int32: "INT",
  bmpChar: "CHAR",
  iso8601dateTime: "DOUBLE",
  etcLocalDateTime: "DOUBLE",
  isoLikeLocalDateTime: "DOUBLE",
  iso8601date: "INT",
  iso8601timeOfDay: "INT",
  iso8601month: "INT",
  boolean: "BYTE",
  string: "STRING",
};

async function main(): Promise<void> {
  await using emu = await startEmulator();
  const cp = new CarbonPortal({ portal: emu.endpoints });
  const ep = cp.endpoints;
  console.log(`Local Carbon Portal emulator at ${emu.url}\n`);

  const select = async (query: string): Promise<Binding[]> => {
    const res = await cp.request(ep.sparql, {
      method: "POST",
      body: query,
      headers: { accept: "application/json", "content-type": "text/plain" },
      hint: "SPARQL SELECT",
      idempotent: true,
    });
    return (await res.json()).results.bindings;
  };

  console.log("1. ICOS stations (SPARQL):");
  const stations = await select(`prefix cpmeta: <http://meta.icos-cp.eu/ontologies/cpmeta/>
    select ?id ?name ?country ?lat ?lon where {
      ?st a/rdfs:subClassOf* cpmeta:IcosStation ; cpmeta:hasStationId ?id ; cpmeta:hasName ?name ;
        cpmeta:countryCode ?country ; cpmeta:hasLatitude ?lat ; cpmeta:hasLongitude ?lon .
    } order by ?id`);
  for (const s of stations) {
    console.log(
      `   ${s.id.value.padEnd(7)} ${
        s.name.value.padEnd(22)
      } ${s.country.value}  ${s.lat.value}, ${s.lon.value}`,
    );
  }

  const objects = await select(`prefix cpmeta: <http://meta.icos-cp.eu/ontologies/cpmeta/>
    prefix prov: <http://www.w3.org/ns/prov#>
    select ?dobj ?fileName where {
      ?dobj cpmeta:hasObjectSpec ?spec ; cpmeta:hasName ?fileName ;
        cpmeta:wasAcquiredBy/prov:wasAssociatedWith/cpmeta:hasStationId "GAT" .
      ?spec rdfs:label "ICOS ATC CO2 Release" .
      FILTER NOT EXISTS {[] cpmeta:isNextVersionOf ?dobj}
    }`);
  const dobj = objects[0].dobj.value;
  console.log(`\n2. Latest CO2 release at Gartow: ${objects[0].fileName.value}`);
  const meta = await cp.fetchJson(dobj, "Fetching JSON metadata") as {
    hash: string;
    specification: { format: { self: { uri: string }; goodFlagValues?: string[] } };
    specificInfo: { nRows: number; columns: { label: string; valueFormat: string }[] };
    references: { citationString: string };
    previousVersion?: string;
  };
  console.log(`   citation: ${meta.references.citationString}`);
  console.log(`   replaces: ${meta.previousVersion ?? "nothing"}`);

  console.log(`\n3. Logging in as ${emu.user}`);
  const login = await cp.request(`${ep.auth}/password/login`, {
    method: "POST",
    body: new URLSearchParams({ mail: emu.user, password: emu.password }),
    hint: "Fetching auth token",
  });
  const cookie = (login.headers.get("set-cookie") ?? "").split(";")[0];
  console.log(`   token cookie: ${cookie.slice(0, 28)}…`);

  const columns = [...meta.specificInfo.columns].sort((a, b) => a.label < b.label ? -1 : 1);
  const schema = {
    columns: columns.map((c) => CPB[c.valueFormat.split("/").at(-1)!]),
    size: meta.specificInfo.nRows,
  };
  const res = await cp.request(`${ep.data}/cpb`, {
    method: "POST",
    headers: { cookie, accept: "application/octet-stream", "content-type": "application/json" },
    body: JSON.stringify({
      tableId: meta.hash.slice(0, 24),
      subFolder: meta.specification.format.self.uri.split("/").at(-1),
      schema,
      columnNumbers: columns.map((_, i) => i),
    }),
    hint: "Fetching binary",
  });
  const cols = decodeCpb(new Uint8Array(await res.arrayBuffer()), {
    ...schema,
    labels: columns.map((c) => c.label),
  });
  const good = new Set(meta.specification.format.goodFlagValues ?? []);
  const flags = cols.Flag as Uint16Array;
  const co2 = cols.co2 as Float32Array;
  const time = cols.TIMESTAMP as Float64Array;
  let sum = 0;
  let n = 0;
  for (let i = 0; i < co2.length; i++) {
    if (good.has(String.fromCharCode(flags[i])) && !Number.isNaN(co2[i])) {
      sum += co2[i];
      n++;
    }
  }
  console.log(`\n4. Data (/cpb): ${co2.length} rows, ${columns.map((c) => c.label).join(", ")}`);
  console.log(
    `   ${new Date(time[0]).toISOString()} … ${new Date(time[time.length - 1]).toISOString()}`,
  );
  console.log(`   mean co2 of ${n} good rows: ${(sum / n).toFixed(2)} µmol mol-1`);

  const coll = emu.dataset.collections.find((c) => c.doi)!;
  const cmeta = await cp.fetchJson(
    `${ep.meta}/collections/${coll.id}`,
    "Fetching JSON metadata",
  ) as {
    title: string;
    doi: string;
    members: unknown[];
    references: { citationString?: string };
  };
  console.log(`\n5. Collection: ${cmeta.title}`);
  console.log(`   DOI ${cmeta.doi}, ${cmeta.members.length} members`);
  console.log(`   citation: ${cmeta.references.citationString}`);

  console.log("\n6. STILT:");
  if (!ep.stilt) {
    console.log("   (no STILT endpoint)");
  } else {
    const st = await cp.fetchJson(`${ep.stilt}/stationinfo`, "Fetching STILT stations") as {
      id: string;
      name?: string;
      years?: number[];
    }[];
    console.log(
      `   ${st.length} STILT stations${st.length ? `, e.g. ${st[0].id} ${st[0].name ?? ""}` : ""}`,
    );
    const withYears = st.find((s) => s.years?.length);
    if (withYears) {
      const year = withYears.years![0];
      const ts = await cp.request(`${ep.stilt}/stiltresult`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          stationId: withYears.id,
          fromDate: `${year}-01-01`,
          toDate: `${year}-01-02`,
          columns: ["isodate", "co2.stilt", "co2.background"],
        }),
        hint: "Fetching STILT results",
        idempotent: true,
      });
      const rows = await ts.json() as (number | null)[][];
      console.log(
        `   ${withYears.id}, ${year}-01-01..02: ${rows.length} three-hourly rows, first ${
          JSON.stringify(rows[0])
        }`,
      );
    }
  }
  console.log("\nDone.");
}

if (import.meta.main) {
  await main();
}
