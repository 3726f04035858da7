// Notebook displays and plots are bounded (issue 22, item 8): a line has at
// most four points per pixel column whatever its length (the first, lowest,
// highest and last of each column, so it rasterizes the same), and a table's
// display stays small. Measured by size of output, never by time.

import assert from "node:assert/strict";
import { table } from "arquero";
import { plotSeries } from "../../src/plot/mod.ts";
import { displayTable } from "../../src/plot/_display.ts";
import { decimate } from "../../src/plot/_decimate.ts";

function series(n: number) {
  const t0 = Date.UTC(2016, 0, 1);
  const time = Float64Array.from({ length: n }, (_, i) => t0 + i * 60_000);
  const values = Float64Array.from(
    { length: n },
    (_, i) => (i % 9973 === 5 ? NaN : 400 + 10 * Math.sin(i / 500) + ((i * 7919) % 101) / 20),
  );
  return { time, values };
}

/** Vertices of the path(s) of an SVG's line marks. */
function vertices(svg: string): number {
  let n = 0;
  for (const m of svg.matchAll(/<path[^>]* d="([^"]+)"/g)) n += (m[1].match(/[ML]/g) ?? []).length;
  return n;
}

Deno.test("decimate() keeps, per pixel column, the first, lowest, highest and last point and every gap", () => {
  const { time, values } = series(200_000);
  const width = 700;
  const d = decimate(time, values, width);
  assert.ok(d.time.length <= 6 * width + 2 * 21, `${d.time.length} points`);
  const t0 = time[0], span = time[time.length - 1] - t0;
  const col = (t: number) => Math.min(width - 1, Math.floor(((t - t0) / span) * width));
  const summary = (ts: ArrayLike<number>, vs: ArrayLike<number>) => {
    const m = new Map<number, [number, number, number, number]>();
    for (let i = 0; i < ts.length; i++) {
      if (!Number.isFinite(vs[i])) continue;
      const c = col(ts[i]);
      const s = m.get(c);
      if (!s) m.set(c, [vs[i], vs[i], vs[i], vs[i]]);
      else m.set(c, [s[0], Math.min(s[1], vs[i]), Math.max(s[2], vs[i]), vs[i]]);
    }
    return m;
  };
  assert.deepEqual(summary(d.time, d.values), summary(time, values));
  const gaps = (vs: ArrayLike<number>) => Array.from(vs).filter((v) => Number.isNaN(v)).length;
  assert.equal(gaps(d.values), gaps(values));
  // few points: all kept
  assert.equal(decimate(time.subarray(0, 100), values.subarray(0, 100), width).time.length, 100);
});

Deno.test("plotSeries() of 300k points draws at most four points per pixel column", async () => {
  const { time, values } = series(300_000);
  const pic = await plotSeries({ label: "co2", time, values }, { width: 760 });
  const v = vertices(pic.svg);
  assert.ok(v > 760 && v <= 4 * 760 + 200, `${v} vertices`);
  assert.ok(pic.svg.length < 200_000, `${pic.svg.length} characters of SVG`);
});

Deno.test("a 300k-row table's notebook display stays small", async () => {
  const { time, values } = series(300_000);
  const bundle = await displayTable(table({ TIMESTAMP: time, co2: values }));
  const html = bundle["text/html"] as string;
  assert.ok(html.length < 400_000, `${html.length} characters of HTML`);
  assert.match(html, /<img/);
});
