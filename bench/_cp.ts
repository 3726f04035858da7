import { openNetCDF } from "../src/netcdf.ts";
const path = Deno.args[0];
for (let rep = 0; rep < 6; rep++) {
  const t0 = performance.now();
  using nc = await openNetCDF(path);
  const t1 = performance.now();
  const parts: string[] = [`open ${(t1 - t0).toFixed(1)}`];
  for (const v of nc.variables) {
    const s = performance.now();
    await nc.read(v.path);
    parts.push(`${v.path} ${(performance.now() - s).toFixed(1)}`);
  }
  console.log((performance.now() - t0).toFixed(1), parts.join(" | "));
}
