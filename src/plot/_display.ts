// Rich display in Jupyter notebooks (Deno kernel: an object's
// `Symbol.for("Jupyter.display")` method returns a MIME bundle). Tables and
// summaries are built here (small); plots and maps come from ./plot.ts,
// imported only when a notebook asks for a picture.

import type { ColumnTable } from "../_util/arquero.ts";
import type { Collection } from "../discovery/collection.ts";
import type { Dobj } from "../dobj/dobj.ts";
import type { MapMarker } from "../discovery/map.ts";
import type { Footprints } from "../stilt/footprints.ts";
import type { Picture } from "./plot.ts";
import { float32Text } from "../export/_table_text.ts";
import { timeKindOf } from "../_util/time_columns.ts";

const DISPLAY = Symbol.for("Jupyter.display");

/** A Jupyter MIME bundle. */
export type MimeBundle = Record<string, string>;

export function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Milliseconds since the epoch as `YYYY-MM-DD HH:MM[:SS]` (UTC). */
export function formatTime(ms: number): string {
  if (!Number.isFinite(ms)) return "";
  const iso = new Date(ms).toISOString();
  return iso.replace("T", " ").replace(/\.000Z$/, "").replace(/Z$/, "").replace(/:00$/, "");
}

/** A number, short: integers as they are, others to 6 significant digits. */
export function formatNumber(v: number): string {
  if (Number.isNaN(v)) return "NaN";
  if (Number.isInteger(v) && Math.abs(v) < 1e15) return String(v);
  const a = Math.abs(v);
  if (a !== 0 && (a >= 1e9 || a < 1e-3)) return v.toExponential(4).replace(/\.?0+e/, "e");
  return String(Number(v.toPrecision(6)));
}

const TIME_NAME = /^(timestamp|isodate|time|date|datetime)$|^time_?(start|end)$|(Time|Start|End)$/i;

/**
 * Whether a column holds times: the library marked it (a data object's or a
 * STILT table's time column), or its name says so and it holds Dates or
 * epoch milliseconds.
 */
function isTimeColumn(name: string, values: ArrayLike<unknown>, column?: unknown): boolean {
  const kind = timeKindOf(column);
  if (kind) return kind !== "timeOfDay";
  if (!TIME_NAME.test(name)) return false;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v instanceof Date) return true;
    if (typeof v !== "number") return false;
    if (Number.isFinite(v)) return Math.abs(v) > 1e10; // milliseconds, not years or hours
  }
  return false;
}

function cell(v: unknown, time: boolean): string {
  if (v === null || v === undefined) return `<td class="na"></td>`;
  if (v instanceof Date) return `<td>${formatTime(v.getTime())}</td>`;
  if (typeof v === "number") {
    if (Number.isNaN(v)) return `<td class="na" style="color:#999">NaN</td>`;
    return `<td style="text-align:right">${time ? formatTime(v) : formatNumber(v)}</td>`;
  }
  return `<td>${esc(String(v))}</td>`;
}

/**
 * An HTML table: numbers to 6 significant digits, epoch-millisecond time
 * columns as UTC date-times, NaN greyed; more than `maxRows` rows are
 * abbreviated to the first and last few with the count of those left out.
 */
export function tableHtml(t: ColumnTable, maxRows = 20): string {
  const names = t.columnNames();
  const n = t.numRows();
  const cols = names.map((c) => t.array(c) as ArrayLike<unknown>);
  const time = names.map((c, i) => isTimeColumn(c, cols[i], t.column(c)));
  const head = n > maxRows ? Math.ceil(maxRows * 2 / 3) : n;
  const tail = n > maxRows ? maxRows - head : 0;
  const row = (i: number) =>
    `<tr><th style="color:#999;text-align:right">${i}</th>${
      cols.map((c, k) => cell(c[i], time[k])).join("")
    }</tr>`;
  const rows: string[] = [];
  for (let i = 0; i < head; i++) rows.push(row(i));
  if (tail) {
    rows.push(
      `<tr class="skipped"><td colspan="${
        names.length + 1
      }" style="text-align:center;color:#777">… ${n - head - tail} more rows …</td></tr>`,
    );
    for (let i = n - tail; i < n; i++) rows.push(row(i));
  }
  return `<div class="icoscp-table" style="overflow-x:auto"><table>` +
    `<caption style="text-align:left;color:#555">${n} row${
      n === 1 ? "" : "s"
    } × ${names.length} column${names.length === 1 ? "" : "s"}${
      tail ? ` (showing ${head + tail})` : ""
    }</caption>` +
    `<thead><tr><th></th>${names.map((c) => `<th>${esc(c)}</th>`).join("")}</tr></thead>` +
    `<tbody>${rows.join("")}</tbody></table></div>`;
}

/** An SVG as an `<img>` (survives notebook HTML sanitizing). */
export function svgImg(svg: string, alt: string): string {
  const b = new TextEncoder().encode(svg);
  let s = "";
  for (let i = 0; i < b.length; i += 0x8000) s += String.fromCharCode(...b.subarray(i, i + 0x8000));
  return `<img alt="${esc(alt)}" src="data:image/svg+xml;base64,${
    btoa(s)
  }" style="max-width:100%">`;
}

/** Numeric columns (typed arrays or numbers) other than the time column. */
function numericColumns(t: ColumnTable, timeName: string): string[] {
  return t.columnNames().filter((c) => {
    if (c === timeName) return false;
    const a = t.array(c) as ArrayLike<unknown>;
    return ArrayBuffer.isView(a) || (a.length > 0 && typeof a[0] === "number");
  });
}

/** The MIME bundle of a table: HTML, with a map or a plot above when its columns allow. */
export async function displayTable(t: ColumnTable, maxRows = 20): Promise<MimeBundle> {
  const names = t.columnNames();
  const timeName = names.find((c) =>
    isTimeColumn(c, t.array(c) as ArrayLike<unknown>, t.column(c))
  );
  let plot = "";
  const lat = names.find((c) => /^lat(itude)?$/i.test(c));
  const lon = names.find((c) => /^lon(gitude)?$/i.test(c));
  if (lat && lon && t.numRows() <= 1000) {
    const { stationMap } = await import("./plot.ts");
    const ids = t.array(names.find((c) => /^(id|stationId|station)$/i.test(c)) ?? names[0]);
    const la = t.array(lat) as ArrayLike<number>, lo = t.array(lon) as ArrayLike<number>;
    const theme = names.find((c) => /^(theme|stationTheme)$/i.test(c));
    const themes = theme ? t.array(theme) as ArrayLike<unknown> : undefined;
    const markers = Array.from({ length: t.numRows() }, (_, i) => ({
      lat: Number(la[i]),
      lon: Number(lo[i]),
      title: String(ids[i]),
      ...(themes && typeof themes[i] === "string" ? { theme: themes[i] as string } : {}),
    }));
    const pic = await stationMap(markers, { title: "", width: 640 });
    plot = svgImg(pic.svg, "map");
  } else if (timeName && t.numRows() > 1) {
    const values = numericColumns(t, timeName).slice(0, 4);
    if (values.length) {
      const { plotSeries } = await import("./plot.ts");
      const time = t.array(timeName) as ArrayLike<number>;
      const pic = await plotSeries(
        values.map((c) => ({ label: c, time, values: t.array(c) as ArrayLike<number> })),
        { height: 240, yLabel: values.length === 1 ? values[0] : undefined },
      );
      plot = svgImg(pic.svg, `${values.join(", ")} over ${timeName}`);
    }
  }
  return {
    "text/html": plot + tableHtml(t, maxRows),
    "text/plain": `Table: ${t.numRows()} rows × ${names.length} columns (${names.join(", ")})`,
  };
}

/**
 * The rows `showTable(t).print()` shows: time columns (epoch milliseconds) as
 * dates, float32 values as the shortest decimal of their float32 (0.156, not
 * 0.15600000321865082). Same options as arquero's `print` (`limit` default 10).
 */
export function printRows(
  t: ColumnTable,
  options: number | { limit?: number; offset?: number; columns?: unknown } = {},
): Record<string, unknown>[] {
  const opt = typeof options === "number" ? { limit: options } : { limit: 10, ...options };
  const rows = t.objects({ ...opt, grouped: false } as never) as Record<string, unknown>[];
  const names = Object.keys(rows[0] ?? {});
  const kinds = names.map((c) => {
    const col = t.column(c) as unknown as { data?: unknown } | undefined;
    if (col instanceof Float32Array || col?.data instanceof Float32Array) return "float32";
    return isTimeColumn(c, t.array(c) as ArrayLike<unknown>, col) ? "time" : "";
  });
  return rows.map((r) => {
    const o: Record<string, unknown> = {};
    names.forEach((c, i) => {
      const v = r[c];
      o[c] = typeof v !== "number" || Number.isNaN(v)
        ? v
        : kinds[i] === "float32"
        ? Number(float32Text(v))
        : kinds[i] === "time"
        ? new Date(v)
        : v;
    });
    return o;
  });
}

function row(label: string, value: string | undefined): string {
  return value
    ? `<tr><th style="text-align:left">${
      esc(label)
    }</th><td style="text-align:left">${value}</td></tr>`
    : "";
}

function link(url: string | undefined, text?: string): string | undefined {
  return url ? `<a href="${esc(url)}" target="_blank">${esc(text ?? url)}</a>` : undefined;
}

/** A data object's summary: name, type, station, period, columns with units, citation. */
export function displayDobj(d: Dobj): MimeBundle {
  const m = d.meta as unknown as {
    specification?: { self?: { label?: string } };
    specificInfo?: { acquisition?: { interval?: { start: string; stop: string } } };
    references?: { title?: string };
  };
  const interval = m.specificInfo?.acquisition?.interval;
  const station = d.station
    ? `${esc(d.station.org?.name ?? d.station.id)} (${esc(d.station.id)})`
    : undefined;
  const columns = d.columns.filter((c) => c.valueFormat !== undefined);
  const colList = columns.map((c) =>
    `<code>${esc(c.label)}</code>${
      c.valueType.unit ? ` <span style="color:#777">(${esc(c.valueType.unit)})</span>` : ""
    }`
  ).join(", ");
  const html = `<div class="icoscp-dobj"><h3 style="margin:0.2em 0">${esc(d.fileName)}</h3>` +
    `<table>${
      row("Type", m.specification?.self?.label ? esc(m.specification.self.label) : undefined)
    }${row("Station", station)}${
      row("Sampling height", d.samplingHeight !== undefined ? `${d.samplingHeight} m` : undefined)
    }${row("Period", interval ? `${esc(interval.start)} – ${esc(interval.stop)}` : undefined)}${
      row("Rows", d.rows !== undefined ? String(d.rows) : undefined)
    }${row("Columns", colList || undefined)}${
      row("PID", link(d.pid ? `https://hdl.handle.net/${d.pid}` : undefined, d.pid))
    }${row("DOI", link(d.doi ? `https://doi.org/${d.doi}` : undefined, d.doi))}${
      row("Landing page", link(d.uri))
    }${
      row(
        "Deprecated",
        d.isDeprecated ? `yes, newer: ${d.next.map((n) => esc(n)).join(", ")}` : undefined,
      )
    }</table>${
      d.citation ? `<p style="margin:0.4em 0"><b>Citation</b>: ${esc(d.citation)}</p>` : ""
    }</div>`;
  return {
    "text/html": html,
    "text/plain": `${d.fileName}${d.citation ? `\n${d.citation}` : ""}`,
  };
}

/** A collection's summary: title, DOI, description, citation and members. */
export function displayCollection(c: Collection): MimeBundle {
  const members = [...c.objects, ...c.children];
  const html = `<div class="icoscp-collection"><h3 style="margin:0.2em 0">${esc(c.title)}</h3>` +
    `<table>${row("DOI", link(c.doi ? `https://doi.org/${c.doi}` : undefined, c.doi))}${
      row("Description", c.description ? esc(c.description) : undefined)
    }${row("Landing page", link(c.id))}${
      row(
        `Members (${members.length})`,
        members.map((m) => link(m, m.replace(/^.*\//, ""))).join(", ") || undefined,
      )
    }</table>${
      c.citation ? `<p style="margin:0.4em 0"><b>Citation</b>: ${esc(c.citation)}</p>` : ""
    }</div>`;
  return {
    "text/html": html,
    "text/plain": `${c.title}${c.doi ? ` (DOI ${c.doi})` : ""}, ${members.length} members`,
  };
}

/** A picture's own bundle: `image/png`, `image/svg+xml` and `text/plain`. */
async function picture(pic: Picture): Promise<MimeBundle> {
  return await (pic as unknown as Record<symbol, () => Promise<MimeBundle>>)[DISPLAY]();
}

/** A map of markers (image/svg+xml and an HTML caption). */
export async function displayMarkers(
  markers: MapMarker[],
  title: string,
  extraHtml = "",
): Promise<MimeBundle> {
  const { stationMap } = await import("./plot.ts");
  const pic = await stationMap(markers, { title });
  return {
    "text/html": svgImg(pic.svg, title) + extraHtml,
    ...await picture(pic),
    "text/plain": `${title}: ${markers.map((m) => m.title).join(", ")}`,
  };
}

/** A footprint map. */
export async function displayFootprints(fp: Footprints): Promise<MimeBundle> {
  const { footprintMap } = await import("./plot.ts");
  const pic = await footprintMap(fp);
  return { ...await picture(pic), "text/plain": `${pic.title}, ${fp.shape.join(" × ")}` };
}
