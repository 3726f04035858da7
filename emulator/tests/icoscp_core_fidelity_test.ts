// The unmodified icoscp_core from PyPI, pointed at the emulator, must get the
// answers the emulator generated. Skipped when python3 or icoscp_core is
// missing, unless ICOSCP_REQUIRE_PEERS=1.

import assert from "node:assert/strict";
import { startEmulator } from "../mod.ts";
import { peerTest, python } from "../../tests/_peers.ts";

const GOOD_ATC = new Set(["O", "R", "U"]);

Deno.test(peerTest(
  "icoscp_core lists, reads metadata, logs in and fetches columns from startEmulator()",
  { python: ["icoscp_core", "numpy"] },
  async () => {
    await using emu = await startEmulator({ failedLoginDelay: 0 });
    const ds = emu.dataset;
    const P = emu.endpoints.metaInstancePrefix;
    const uri = (id: string) => `${P}objects/${id}`;
    const latest = ds.objects.filter((o) => o.kind === "data" && !o.nextVersion);
    const co2 = latest.filter((o) => o.spec === "atcCo2L2DataObject");
    const main = co2.find((o) => o.station === "AS_GAT")!;
    const col = (o: typeof main, label: string) =>
      o.columns!.find((c) => c.label === label)!.values;
    const flags = Array.from(col(main, "Flag"), (c) => String.fromCharCode(c));
    const values = Array.from(col(main, "co2"));
    const etc = latest.find((o) => o.spec === "etcFluxnetProduct")!;
    const neeQc = Array.from(col(etc, "NEE_VUT_REF_QC"), (c) => String.fromCharCode(c));
    const coll = ds.collections.find((c) => c.doi === "10.18160/EMU1-ATMO")!;
    const expected = {
      endpoints: emu.endpoints,
      user: emu.user,
      password: emu.password,
      unlicensedUser: emu.users[1].email,
      unlicensedPassword: emu.users[1].password,
      stationIds: ds.stations.map((s) => s.id),
      specLabels: [
        "ETC L2 ARCHIVE",
        "ICOS ATC CH4 Release",
        "ICOS ATC CO2 Release",
        "ICOS ATC NRT CO2 growing time series",
        "ICOS ETC Fluxdata Preview Selection",
        "ICOS ObsPack CO2 time series",
        "Inversion modeling spatial result",
      ],
      latestDataObjects: latest.length,
      nrtFileName: latest.find((o) => o.spec === "atcCo2NrtGrowingDataObject")!.fileName,
      main: {
        uri: uri(main.id),
        fileName: main.fileName,
        size: main.size,
        hash: main.hash,
        citation: main.citation,
        nRows: main.nRows,
        previousVersion: uri(main.previousVersion!),
        co2Masked: values.map((v, i) => GOOD_ATC.has(flags[i]) && !Number.isNaN(v) ? v : null),
        flags50: flags.slice(0, 50).join(""),
        gapRows: values.filter((v) => Number.isNaN(v)).length,
      },
      spatialUri: uri(latest.find((o) => o.spec === "inversionModelingSpatial")!.id),
      collection: {
        uri: `${P}collections/${coll.id}`,
        doi: coll.doi,
        members: coll.members.length,
        citation: coll.citation,
      },
      co2Uris: co2.map((o) => uri(o.id)),
      rows: Object.fromEntries(co2.map((o) => [uri(o.id), o.nRows])),
      etcUri: uri(etc.id),
      etcBadNee: neeQc.filter((q) => q !== "0" && q !== "1").length,
      csvHeader: "TIMESTAMP,Flag,NbPoints,Stdev,co2",
    };
    const file = await Deno.makeTempFile({ suffix: ".json" });
    try {
      await Deno.writeTextFile(file, JSON.stringify(expected));
      const script = new URL("./icoscp_core_fidelity.py", import.meta.url).pathname;
      const env = { ...Deno.env.toObject() };
      delete env.PORTAL_DATA_PATH_ICOS;
      const child = new Deno.Command(python, {
        args: [script, file],
        stdout: "piped",
        stderr: "piped",
        env,
        clearEnv: true,
      }).spawn();
      const out = await child.output();
      const stdout = new TextDecoder().decode(out.stdout).trim();
      const stderr = new TextDecoder().decode(out.stderr).trim();
      const report = JSON.parse(stdout.split("\n").at(-1) || "{}");
      assert.equal(
        report.failed,
        undefined,
        `icoscp_core check "${report.failed}" failed: ${report.detail}\n${stderr}`,
      );
      assert.ok(out.success, stderr);
      assert.ok(report.passed.length >= 40, `only ${report.passed.length} checks ran`);
    } finally {
      await Deno.remove(file);
    }
  },
));
