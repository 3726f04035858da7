// cp.search gives the same objects in the same order as the unmodified
// icoscp_core's list_data_objects, for every filter icoscp_core has
// (datatype, station, time, size, sampling height, area, deprecated, order,
// paging), both against one emulator with a generated catalogue. Skipped when
// python3 or icoscp_core is missing, unless ICOSCP_REQUIRE_PEERS=1.

import assert from "node:assert/strict";
import { CarbonPortal } from "../../mod.ts";
import type { SearchFilters, SearchOptions } from "../../src/search/mod.ts";
import { startEmulator } from "../../emulator/mod.ts";
import { peerTest, python } from "../_peers.ts";

interface Case {
  name: string;
  datatype: string[] | null;
  station: string[] | null;
  filters: unknown[][];
  include_deprecated: boolean;
  order_by: unknown;
  limit: number;
  offset: number;
  /** The same search in our words. */
  ours: [SearchFilters, SearchOptions];
  /** When the order key has ties: compare the set and the key sequence, not the URIs' order. */
  key?: "size";
}

Deno.test(peerTest(
  "search: same objects in the same order as icoscp_core list_data_objects",
  { python: ["icoscp_core"] },
  async () => {
    await using emu = await startEmulator({ objects: 1500 });
    const ds = emu.dataset;
    const R = `${emu.endpoints.metaInstancePrefix}resources/`;
    const spec = (k: string) => `${R}cpmeta/${k}`;
    const gen = ds.objects.filter((o) => o.station && !["AS_GAT", "AS_HTM"].includes(o.station));
    const st = gen.find((o) => o.spec === "atcCo2L2DataObject")!;
    const stationUri = `${R}stations/${st.station}`;
    const stId = ds.stations.find((s) => s.key === st.station)!.id;
    const ch4 = gen.find((o) => o.spec === "atcCh4L2DataObject")!;
    const sizes = gen.map((o) => o.size).sort((a, b) => a - b);
    const [lo, hi] = [sizes[Math.floor(sizes.length * 0.4)], sizes[Math.floor(sizes.length * 0.6)]];
    const base = {
      datatype: null,
      station: null,
      filters: [],
      include_deprecated: false,
      order_by: { prop: "submTime", descending: true },
      limit: 100,
      offset: 0,
    };
    const cases: Case[] = [
      { ...base, name: "all, newest first", ours: [{}, { limit: 100, facets: false }] },
      {
        ...base,
        name: "paging",
        offset: 250,
        limit: 40,
        ours: [{}, { offset: 250, limit: 40, facets: false }],
      },
      {
        ...base,
        name: "datatype and station",
        datatype: [spec("atcCo2L2DataObject")],
        station: [stationUri],
        ours: [{ spec: "atcco2l2dataobject", station: stId.toLowerCase() }, {
          limit: 100,
          facets: false,
        }],
      },
      {
        ...base,
        name: "deprecated too",
        datatype: [spec("atcCo2L2DataObject"), spec("atcCh4L2DataObject")],
        include_deprecated: true,
        limit: 1000,
        ours: [{ spec: ["atcCo2L2DataObject", "ICOS ATC CH4 Release"], latestOnly: false }, {
          limit: 1000,
          facets: false,
        }],
      },
      {
        ...base,
        name: "coverage overlaps 2020-2021, oldest submission first",
        datatype: [spec("atcCo2L2DataObject")],
        filters: [["time", "timeEnd", ">=", "2020-01-01T00:00:00Z"], [
          "time",
          "timeStart",
          "<=",
          "2021-12-31T00:00:00Z",
        ]],
        order_by: { prop: "submTime", descending: false },
        limit: 1000,
        ours: [{ spec: "atcCo2L2DataObject", from: "2020-01-01", to: "2021-12-31" }, {
          limit: 1000,
          descending: false,
          facets: false,
        }],
      },
      {
        ...base,
        name: "submitted after",
        filters: [["time", "submTime", ">=", "2024-06-01T00:00:00Z"]],
        limit: 1000,
        ours: [{ submittedAfter: new Date("2024-06-01T00:00:00Z") }, {
          limit: 1000,
          facets: false,
        }],
      },
      {
        ...base,
        name: "sampling height",
        datatype: [spec("atcCh4L2DataObject")],
        filters: [["height", "=", ch4.samplingHeight]],
        limit: 1000,
        ours: [{ spec: "atcCh4L2DataObject", samplingHeight: ch4.samplingHeight! }, {
          limit: 1000,
          facets: false,
        }],
      },
      {
        ...base,
        name: "size range, by size",
        filters: [["size", ">=", lo], ["size", "<=", hi]],
        order_by: "size",
        limit: 1000,
        key: "size",
        ours: [{ size: [lo, hi] }, { limit: 1000, orderBy: "size", facets: false }],
      },
      {
        ...base,
        name: "area",
        filters: [["geo", [[50, 5], [50, 15], [56, 15], [56, 5]]]],
        limit: 1000,
        ours: [{ bbox: [5, 50, 15, 56] }, { limit: 1000, facets: false }],
      },
    ];
    const file = await Deno.makeTempFile({ suffix: ".json" });
    await Deno.writeTextFile(
      file,
      JSON.stringify({
        endpoints: emu.endpoints,
        user: emu.user,
        password: emu.password,
        cases: cases.map(({ ours: _, key: __, ...c }) => c),
      }),
    );
    const script = new URL("./icoscp_core_search.py", import.meta.url).pathname;
    const out = await new Deno.Command(python, { args: [script, file], stderr: "piped" }).output();
    await Deno.remove(file);
    assert.ok(out.success, new TextDecoder().decode(out.stderr));
    const theirs = JSON.parse(new TextDecoder().decode(out.stdout)) as Record<string, string[]>;
    const cp = new CarbonPortal({ portal: emu.endpoints });
    const size = new Map(ds.objects.map((o) => [o.id, o.size]));
    const sizeOf = (u: string) => size.get(u.slice(-24));
    for (const c of cases) {
      const r = await cp.search(...c.ours);
      const ours = r.objects.array("uri") as string[];
      assert.ok(theirs[c.name].length > 0, `${c.name}: icoscp_core found nothing`);
      if (c.key === "size") {
        assert.deepEqual([...ours].sort(), [...theirs[c.name]].sort(), c.name);
        assert.deepEqual(ours.map(sizeOf), theirs[c.name].map(sizeOf), c.name);
      } else assert.deepEqual(ours, theirs[c.name], c.name);
    }
  },
));
