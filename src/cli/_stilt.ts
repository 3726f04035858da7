// Private: `icoscp stilt find|ts|fp`: STILT stations, time series and
// footprints (a map as PNG, NetCDF).

import { choice, csvOf, type Flags, list, LISTING_TIMES, type Out, UsageError } from "./_common.ts";
import type { CarbonPortal } from "../client/client.ts";
import { tableRows } from "../export/_table_text.ts";

export async function stilt(
  cp: CarbonPortal,
  rest: string[],
  o: Flags,
  io: Out,
): Promise<number> {
  const [sub, id, start, end] = rest;
  if (sub === "find") {
    const sel = await cp.stilt.find({
      ...(o.id ? { id: list(o.id) } : {}),
      ...(o.search ? { search: String(o.search) } : {}),
      ...(o.country ? { country: list(o.country) } : {}),
      ...(o.icos ? { icos: true } : {}),
      ...(o.sdate ? { sdate: String(o.sdate) } : {}),
      ...(o.edate ? { edate: String(o.edate) } : {}),
    }, { onProgress: io.bar("checking months") });
    if (o.json) io.json(sel.records());
    else io.out(io.shown(sel.toTable(), LISTING_TIMES));
    return 0;
  }
  if (!id || !start || !end) throw new UsageError(`stilt ${sub ?? ""} needs <id> <start> <end>`);
  const station = await cp.stilt.get(id);
  const hours = list(o.hours);
  if (sub === "ts") {
    const t = await station.getTs(start, end, {
      hours,
      columns: typeof o.columns === "string" ? o.columns : undefined,
    });
    if (o.out) {
      await Deno.writeTextFile(io.here(String(o.out)), csvOf(t, LISTING_TIMES));
      io.err(`wrote ${t.numRows()} rows to ${o.out}\n`);
    } else if (o.json) io.json(tableRows(t, LISTING_TIMES));
    else io.out(io.shown(t, LISTING_TIMES));
    return 0;
  }
  if (sub === "fp") {
    const fp = await station.getFp(start, end, {
      hours,
      via: choice("via", o.via, ["raster", "netcdf"]) ?? "raster",
      onProgress: io.bar("footprints"),
    });
    if (o.png) {
      // the map people expect: borders, graticule, colour scale with units, the station
      const { footprintMap } = await import("../plot/plot.ts");
      await Deno.writeFile(io.here(String(o.png)), await (await footprintMap(fp)).png());
    }
    if (o.nc) await Deno.writeFile(io.here(String(o.nc)), await fp.toNetCDF());
    const summary = {
      station: station.id,
      slots: fp.time.length,
      shape: fp.shape,
      total: fp.total(),
      png: o.png,
      nc: o.nc,
    };
    if (o.json) io.json(summary);
    else {io.out(
        `${station.id}: ${fp.time.length} footprints on ${fp.lat.length}×${fp.lon.length}, total ${fp.total()}${
          o.png ? `, map in ${o.png}` : ""
        }${o.nc ? `, NetCDF in ${o.nc}` : ""}\n`,
      );}
    return 0;
  }
  throw new UsageError(`Unknown stilt command ${sub} (find, ts, fp)`);
}
