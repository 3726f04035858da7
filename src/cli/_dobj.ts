// Private: `icoscp dobj <ref> meta|citation|data|download`: one data object.

import { choice, count, csvOf, enc, type Flags, list, type Out, UsageError } from "./_common.ts";
import type { CarbonPortal } from "../client/client.ts";
import { tableRows, TIME_FORMATS, type TimeKind } from "../export/_table_text.ts";
import { toArrow, toParquet } from "../export/export.ts";

/** Runs `icoscp dobj`. */
export async function dobjCommand(
  cp: CarbonPortal,
  rest: string[],
  o: Flags,
  { out, err, json, bar, here, shown, isTerminal }: Out,
): Promise<number> {
  const [ref, action = "meta"] = rest;
  if (!ref) throw new UsageError("dobj needs an id, PID or URI");
  const d = await cp.dobj(ref);
  if (action === "meta") {
    if (o.json) json(d.meta);
    else {
      out(
        `${d.fileName}\npid ${d.pid ?? "-"}\nstation ${d.station?.id ?? "-"}  rows ${
          d.rows ?? "-"
        }  size ${d.size ?? "-"}\n`,
      );
      out(`columns ${d.colNames.join(", ")}\n${d.citation ?? ""}\n`);
    }
  } else if (action === "citation") {
    const style = choice("style", o.style, ["plain", "bibtex", "ris"]) ?? "plain";
    const c = d.getCitation(style);
    if (o.json) json({ style, citation: c ?? null });
    else out(`${c ?? "(no citation in this style)"}\n`);
  } else if (action === "data") {
    const times: Record<string, TimeKind> = {};
    for (const c of d.columns) {
      const kind = c.valueFormat && TIME_FORMATS[c.valueFormat.split("/").pop() ?? ""];
      if (kind) times[c.label] = kind;
    }
    // a bar on a terminal only: piped, stderr stays quiet
    const show = isTerminal ? bar(`reading ${d.fileName}`) : undefined;
    const columns = withTime(
      list(o.columns),
      d.columns.map((c) => c.label),
      times,
      o["no-time"] === true,
    );
    const t = await d.get(columns, {
      offset: count("offset", o.offset),
      length: count("length", o.length),
      keepBadData: o["keep-bad-data"],
      onProgress: show && ((p) => show(p.received, p.total)),
    });
    const shownTimes = Object.fromEntries(
      Object.entries(times).filter(([name]) => t.columnNames().includes(name)),
    );
    if (o.out) {
      const bytes = o.out.endsWith(".parquet")
        ? await toParquet(t, { times: shownTimes })
        : o.out.endsWith(".arrow") || o.out.endsWith(".feather")
        ? toArrow(t, { times: shownTimes })
        : enc.encode(csvOf(t, shownTimes));
      await Deno.writeFile(here(o.out), bytes);
      err(`wrote ${t.numRows()} rows to ${o.out}\n`);
    } else if (o.json) json(tableRows(t, shownTimes));
    else out(shown(t, shownTimes));
  } else if (action === "download") {
    const show = bar(`downloading ${d.fileName}`);
    const path = await d.download(here(o.dir ?? "."), {
      cacheDir: o.cache === undefined ? undefined : here(o.cache),
      onProgress: (p) => show(p.received, p.total),
      acceptLicence: o["accept-licence"] === true,
    });
    if (o.json) json({ path, hash: d.meta.hash, verified: true });
    else out(`${path} (verified against ${d.pid ?? d.id})\n`);
  } else {throw new UsageError(
      `Unknown dobj action ${action} (meta, citation, data, download)`,
    );}
  return 0;
}

/**
 * The columns `dobj … data` reads: those asked for, with the object's time
 * column (`TIMESTAMP`, else its first date-time column) first unless it is
 * among them; without `--columns`, every column. `--no-time` leaves the time
 * column out on purpose (of every column, or of those asked for unless named).
 */
function withTime(
  columns: string[] | undefined,
  all: readonly string[],
  times: Readonly<Record<string, TimeKind>>,
  noTime: boolean,
): string[] | undefined {
  const dateTimes = Object.keys(times).filter((name) => times[name] === "dateTime");
  const time = dateTimes.find((name) => name.toUpperCase() === "TIMESTAMP") ?? dateTimes[0] ??
    Object.keys(times)[0];
  if (!time) return columns;
  if (!columns) return noTime ? all.filter((c) => c !== time) : undefined;
  const asked = new Set(columns.map((c) => c.toLowerCase()));
  if (noTime || asked.has(time.toLowerCase())) return columns;
  return [time, ...columns];
}
