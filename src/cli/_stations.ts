// Private: `icoscp stations` (the station list) and `icoscp station <id>` (one
// station and its data objects).

import { choice, type Flags, list, LISTING_TIMES, type Out, UsageError } from "./_common.ts";
import type { CarbonPortal } from "../client/client.ts";
import { tableRows } from "../export/_table_text.ts";

/** Runs `icoscp stations` and `icoscp station <id>`. */
export async function stationsCommand(
  which: "stations" | "station",
  cp: CarbonPortal,
  rest: string[],
  o: Flags,
  { out, json, shown }: Pick<Out, "out" | "json" | "shown">,
): Promise<number> {
  if (which === "stations") {
    const t = await cp.station.getIdList({
      theme: list(o.theme),
      countries: list(o.country),
      project: o.project ?? "ICOS",
    });
    if (o.json) json(tableRows(t));
    else {out(
        shown(
          t.select("id", "name", "theme", "icosClass", "country", "lat", "lon", "elevation"),
        ),
      );}
    return 0;
  }
  if (which === "station") {
    if (!rest[0]) throw new UsageError("station needs an id");
    const st = await cp.station.get(rest[0]);
    const lv = choice("level", o.level, ["1", "2", "3", "all"]) ?? "2";
    const level = lv === "all" ? "all" : Number(lv) as 1 | 2 | 3;
    const data = await st.data({ level });
    if (o.json) json({ ...st.record, data: tableRows(data, LISTING_TIMES) });
    else {
      out(
        `${st.name} (${st.id}), ${st.theme}, class ${
          st.icosClass || "-"
        }, ${st.country}, ${st.lat}, ${st.lon}, ${st.elevation} m\n`,
      );
      out(
        shown(
          data.select("specLabel", "dobj", "timeStart", "timeEnd", "samplingheight"),
          LISTING_TIMES,
        ),
      );
    }
    return 0;
  }
  throw new Error(`not a command: ${which}`);
}
