// icoscp_stilt (PyPI) and this library against the same emulator: the
// functions that work off the portal's servers must agree.

import assert from "node:assert/strict";
import { CarbonPortal } from "../../mod.ts";
import { startEmulator } from "../../emulator/mod.ts";
import { peerTest, python } from "../_peers.ts";

Deno.test(
  peerTest("StiltApi agrees with icoscp_stilt on stations, time series and footprint slots", {
    python: ["icoscp_stilt.stilt"],
  }, async () => {
    await using emu = await startEmulator();
    const out = await new Deno.Command(python, {
      args: [
        new URL("./icoscp_stilt_peer.py", import.meta.url).pathname,
        `${emu.endpoints.stilt}/`,
      ],
      stdout: "piped",
      stderr: "piped",
      env: { HOME: await Deno.makeTempDir({ prefix: "icoscp-home-" }) },
    }).output();
    assert.ok(out.success, new TextDecoder().decode(out.stderr));
    const theirs = JSON.parse(new TextDecoder().decode(out.stdout));
    const cp = new CarbonPortal({ portal: emu.endpoints });
    const ours = await cp.stilt.list();
    assert.deepEqual(
      ours.map((s) => ({
        id: s.id,
        lat: s.lat,
        lon: s.lon,
        alt: s.alt,
        icosId: s.info.icosId ?? null,
        icosHeight: s.info.icosHeight ?? null,
        countryCode: s.country,
        years: s.years,
      })),
      [...theirs.stations].sort((a: { id: string }, b: { id: string }) => a.id.localeCompare(b.id)),
    );
    const gat = await cp.stilt.get("GAT344");
    const t = await gat.getTs("2016-05-10", "2016-05-12");
    for (const c of t.columnNames()) {
      const mine = Array.from(t.array(c) as ArrayLike<number>, (v) => (Number.isNaN(v) ? null : v));
      assert.deepEqual(mine, theirs.series[c], c);
    }
    assert.equal(t.numRows(), 24);
    const slots = await gat.listFootprints("2016-05-10", "2016-05-11");
    assert.deepEqual(slots.map((s) => s.replace(/Z$/, ":00")), theirs.footprints);
  }),
);
