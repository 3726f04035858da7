// The emulator's synthetic STILT series run in phase with its observation
// series at the same station, as real ones do: the night layer piles up
// concentrations until dawn in both, and the seasonal cycles peak together.
// Read as a user reads them: the L2 release at Gartow (341 m) and the STILT
// station GAT344, 2022, matched at the three-hourly STILT times.

import assert from "node:assert/strict";
import { CarbonPortal } from "../../src/client/client.ts";
import { startEmulator } from "../../emulator/mod.ts";

function correlation(a: readonly number[], b: readonly number[]): number {
  const mean = (x: readonly number[]) => x.reduce((s, v) => s + v, 0) / x.length;
  const ma = mean(a), mb = mean(b);
  let ab = 0, aa = 0, bb = 0;
  for (let i = 0; i < a.length; i++) {
    ab += (a[i] - ma) * (b[i] - mb);
    aa += (a[i] - ma) ** 2;
    bb += (b[i] - mb) ** 2;
  }
  return ab / Math.sqrt(aa * bb);
}

/** Means of both series grouped by a key of the time (hour of day, month). */
function cycles(
  time: readonly number[],
  a: readonly number[],
  b: readonly number[],
  key: (t: Date) => number,
): [number[], number[]] {
  const groups = new Map<number, { a: number; b: number; n: number }>();
  time.forEach((t, i) => {
    const k = key(new Date(t));
    const g = groups.get(k) ?? groups.set(k, { a: 0, b: 0, n: 0 }).get(k)!;
    g.a += a[i];
    g.b += b[i];
    g.n++;
  });
  const keys = [...groups.keys()].sort((x, y) => x - y);
  return [
    keys.map((k) => groups.get(k)!.a / groups.get(k)!.n),
    keys.map((k) => groups.get(k)!.b / groups.get(k)!.n),
  ];
}

Deno.test("the emulator's STILT series at GAT344 run in phase with Gartow's observations (CO2 and CH4, 2022)", async (t) => {
  await using emu = await startEmulator();
  const cp = new CarbonPortal({
    portal: emu.endpoints,
    auth: { user: emu.user, password: emu.password },
  });
  const station = await cp.stilt.get("GAT344");
  for (const [gas, min] of [["co2", 0.55], ["ch4", 0.2]] as const) {
    await t.step(gas, async () => {
      const obj = emu.dataset.objects.find((o) =>
        o.fileName === `ICOS_ATC_L2_L2-2024.1_GAT_341.0_CTS_${gas.toUpperCase()}.zip`
      )!;
      const observed = await (await cp.dobj(obj.id)).getColumns(["TIMESTAMP", gas]);
      const byTime = new Map<number, number>();
      const ot = observed.TIMESTAMP as Float64Array, ov = observed[gas] as Float32Array;
      ot.forEach((time, i) => byTime.set(time, ov[i]));
      const ts = await station.getTs("2022-01-01", "2022-12-31", { columns: gas });
      const st = ts.array("isodate") as ArrayLike<number>;
      const sv = ts.array(`${gas}.stilt`) as ArrayLike<number>;
      const time: number[] = [], obs: number[] = [], model: number[] = [];
      for (let i = 0; i < st.length; i++) {
        const o = byTime.get(Number(st[i]));
        if (o === undefined || Number.isNaN(o) || Number.isNaN(sv[i])) continue;
        time.push(Number(st[i]));
        obs.push(o);
        model.push(sv[i]);
      }
      assert.ok(time.length > 2000, `${time.length} matched times`);
      const r = correlation(obs, model);
      const diurnal = correlation(...cycles(time, obs, model, (d) => d.getUTCHours()));
      const seasonal = correlation(...cycles(time, obs, model, (d) => d.getUTCMonth()));
      console.log(
        `${gas}: r = ${r.toFixed(3)} over ${time.length} times; ` +
          `diurnal cycles r = ${diurnal.toFixed(3)}, seasonal cycles r = ${seasonal.toFixed(3)}`,
      );
      assert.ok(r > min, `${gas}: series correlation ${r.toFixed(3)} ≤ ${min}`);
      assert.ok(diurnal > 0.7, `${gas}: diurnal cycles out of phase (r = ${diurnal.toFixed(3)})`);
      assert.ok(
        seasonal > 0.8,
        `${gas}: seasonal cycles out of phase (r = ${seasonal.toFixed(3)})`,
      );
    });
  }
});
