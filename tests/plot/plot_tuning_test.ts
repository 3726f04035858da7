// Maps and plots people can tune: footprint maps with a shared colour range
// (comparable), a colour map, an extent, a lat/lon graticule and powers of
// ten as 10⁻⁷; `icoscp stilt fp --png` draws that map, not the bare raster.

import assert from "node:assert/strict";
import { CarbonPortal, InvalidArgumentError } from "../../mod.ts";
import { sharedEmulator } from "../_shared_emulator.ts";
import { dobjLine, footprintMap, plotDobj, plotSeries, powerOfTen } from "../../src/plot/plot.ts";
import { runCli } from "../_cli.ts";

/** The legend's tick labels (the texts of the last nested plot). */
function legendTicks(svg: string): string[] {
  const legend = svg.slice(svg.lastIndexOf("<svg"));
  return [...legend.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]).filter(Boolean);
}

function pngWidth(png: Uint8Array): number {
  return new DataView(png.buffer, png.byteOffset).getUint32(16);
}

Deno.test("powers of ten read as 10⁻⁷", () => {
  assert.equal(powerOfTen(1e-7), "10⁻⁷");
  assert.equal(powerOfTen(1e-2), "10⁻²");
  assert.equal(powerOfTen(100), "10²");
  assert.equal(powerOfTen(3e-5), "3×10⁻⁵");
});

Deno.test("footprint maps: shared vmin/vmax, colour maps, extent, graticule; icoscp stilt fp --png draws the map", async (t) => {
  const emu = await sharedEmulator();
  const cp = new CarbonPortal({ portal: emu.endpoints });
  const fp = await (await cp.stilt.get("GAT344")).getFp("2022-06-01", "2022-06-01");

  await t.step(
    "by default each map has its own range; vmin/vmax give every map the same",
    async () => {
      const own = await Promise.all(
        ["2022-06-01T00:00:00Z", "2022-06-01T12:00:00Z"].map((time) => footprintMap(fp, { time })),
      );
      const shared = await Promise.all(
        ["2022-06-01T00:00:00Z", "2022-06-01T12:00:00Z"].map((time) =>
          footprintMap(fp, { time, vmin: 1e-7, vmax: 1e-2 })
        ),
      );
      const [a, b] = shared.map((p) => legendTicks(p.svg));
      assert.deepEqual(a, b);
      assert.equal(a[0], "10⁻⁷");
      assert.ok(a.includes("10⁻²"), a.join(" "));
      for (const p of [...own, ...shared]) {
        const ticks = legendTicks(p.svg);
        assert.ok(ticks.every((x) => !/e[-+]?\d/.test(x)), ticks.join(" "));
        assert.ok(ticks.some((x) => /^10[⁻⁰¹²³⁴⁵⁶⁷⁸⁹]+$/.test(x)), ticks.join(" "));
      }
      assert.notDeepEqual(legendTicks(own[0].svg), legendTicks(own[1].svg));
      await assert.rejects(footprintMap(fp, { vmin: 0 }), InvalidArgumentError);
      await assert.rejects(footprintMap(fp, { vmin: 1e-2, vmax: 1e-7 }), InvalidArgumentError);
    },
  );

  await t.step("a colour map by name (or stops), unknown names refused", async () => {
    const firstCell = (svg: string) => {
      const legend = svg.slice(svg.lastIndexOf("<svg"));
      return /<rect[^>]*fill="rgb\((\d+),(\d+),(\d+)\)"/.exec(legend)!.slice(1).map(Number);
    };
    const [r, g, b] = firstCell((await footprintMap(fp, { colors: "magma" })).svg);
    assert.ok(r < 20 && g < 10 && b < 30, `magma starts black: ${r},${g},${b}`);
    const [vr, vg, vb] = firstCell((await footprintMap(fp)).svg);
    assert.ok(vr > 60 && vb > 80, `viridis starts purple: ${vr},${vg},${vb}`);
    await assert.rejects(footprintMap(fp, { colors: "jet" as never }), /Unknown colour map jet/);
  });

  await t.step("an extent zooms in, the graticule labels what is inside", async () => {
    const zoomed = await footprintMap(fp, { extent: [0, 45, 25, 60] });
    const labels = [...zoomed.svg.matchAll(/>(\d+(?:\.\d+)?°[NSEW])</g)].map((m) => m[1]);
    assert.ok(labels.includes("5°E") && labels.includes("50°N"), labels.join(" "));
    assert.ok(!labels.includes("30°E") && !labels.includes("70°N"), labels.join(" "));
    const bare = await footprintMap(fp, { graticule: false });
    assert.ok(!/°[NSEW]</.test(bare.svg), "graticule labels without the graticule");
    await assert.rejects(footprintMap(fp, { extent: [25, 45, 0, 60] }), InvalidArgumentError);
  });

  await t.step("icoscp stilt fp --png writes the footprint map, not the raw raster", async () => {
    const dir = await Deno.makeTempDir();
    try {
      const r = await runCli([
        "--portal",
        emu.url,
        "stilt",
        "fp",
        "GAT344",
        "2022-06-01",
        "2022-06-01",
        "--hours",
        "12",
        "--png",
        "fp.png",
      ], { cwd: dir });
      assert.equal(r.code, 0, r.stderr);
      const png = await Deno.readFile(`${dir}/fp.png`);
      assert.equal(pngWidth(png), 760 * 2); // footprintMap's width at Picture.png()'s scale
      assert.notEqual(pngWidth(png), fp.lon.length);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  });
});

Deno.test("series: bad-flag points marked when kept, the year on the time axis, x/y limits, log y, x label", async () => {
  const emu = await sharedEmulator();
  const cp = new CarbonPortal({
    portal: emu.endpoints,
    auth: { user: emu.user, password: emu.password },
  });
  const obj = emu.dataset.objects.find((o) => o.fileName.includes("GAT_341.0_CTS_CO2"))!;
  const d = await cp.dobj(obj.id);
  const kept = await plotDobj(d, { keepBadData: true, xDomain: ["2022-06-01", "2022-07-01"] });
  const crosses = (svg: string) => (svg.match(/aria-label="dot"/) ? svg.split("<path").length : 0);
  assert.match(kept.svg, /× bad quality flag \(kept\)/);
  assert.ok(crosses(kept.svg) > 0);
  assert.match(kept.svg, />2022 \(UTC\)</);
  assert.match(kept.svg, />01 Jun</);
  const line = await dobjLine(d, { keepBadData: true });
  assert.ok(line.bad && Array.from(line.bad).some(Boolean), "no bad points found");
  const masked = await plotDobj(d);
  assert.doesNotMatch(masked.svg, /bad quality flag/);
  assert.match(masked.svg, />2022 \(UTC\)</);
  const time = [0, 1, 2, 3].map((h) => Date.UTC(2021, 11, 31, 22 + h));
  const log = await plotSeries({ label: "x", time, values: [1, 10, 100, 1000] }, {
    logY: true,
    xLabel: "hour",
  });
  assert.match(log.svg, />hour</);
  assert.match(log.svg, />2021 – 2022|2021–2022|>hour</);
  await assert.rejects(
    plotSeries({ label: "x", time, values: [1, 2, 3, 4] }, { yDomain: [5, 1] }),
    InvalidArgumentError,
  );
  await assert.rejects(
    plotSeries({ label: "x", time, values: [1, 2, 3, 4] }, { logY: true, yDomain: [0, 1] }),
    InvalidArgumentError,
  );
  await assert.rejects(
    plotSeries({ label: "x", time, values: [1, 2, 3, 4] }, { xDomain: ["soon", "later"] }),
    InvalidArgumentError,
  );
});
