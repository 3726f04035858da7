// Private: the dataset's index as GeoParquet: one row per object (its search
// columns, coverage and the parts its rows went to) and one per station.

import { join } from "node:path";
import { mkdirSync } from "node:fs";
import { geojsonToWkb } from "npm:hyparquet-writer@0.17.0";
import type { PackedInfo } from "./_objects.ts";
import type { Manifest } from "./_manifest.ts";
import { type MirrorCompression, type PartColumn, PartWriter } from "./_part_writer.ts";
import type { StoredColumn } from "./_pages.ts";

type Row = Record<string, unknown>;

function geoMetadata(types: string[], bbox: number[] | undefined) {
  return {
    key: "geo",
    value: JSON.stringify({
      version: "1.1.0",
      primary_column: "geometry",
      columns: {
        geometry: { encoding: "WKB", geometry_types: types, ...(bbox ? { bbox } : {}) },
      },
    }),
  };
}

function ms(iso: string | null): number | null {
  if (!iso) return null;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? null : t;
}

function point(lat: number | null, lon: number | null): Uint8Array | null {
  if (lat === null || lon === null || !Number.isFinite(lat) || !Number.isFinite(lon)) return null;
  return geojsonToWkb({ type: "Point", coordinates: [lon, lat] });
}

function bboxOf(rows: readonly Row[]): number[] | undefined {
  const pts = rows.filter((r) => r.lon !== null && r.lat !== null) as {
    lon: number;
    lat: number;
  }[];
  if (!pts.length) return undefined;
  return [
    Math.min(...pts.map((p) => p.lon)),
    Math.min(...pts.map((p) => p.lat)),
    Math.max(...pts.map((p) => p.lon)),
    Math.max(...pts.map((p) => p.lat)),
  ];
}

/** A column of the index's rows in stored form (numbers NaN where missing). */
function storedColumn(c: PartColumn, rows: readonly Row[]): StoredColumn {
  const values = c.kind === "string"
    ? rows.map((r) => (r[c.name] ?? null) as string | null)
    : c.kind === "bytes"
    ? rows.map((r) => (r[c.name] ?? null) as Uint8Array | null)
    : Float64Array.from(rows, (r) => {
      const v = r[c.name];
      return v === null || v === undefined ? NaN : Number(v);
    });
  return { ...c, values };
}

/** Rows of the objects' table in one row group (the index's memory is one group's rows). */
const INDEX_GROUP_ROWS = 4096;

/**
 * Writes a table from groups of rows (one row group each); its key-value
 * metadata is asked for once every row is written.
 */
async function writeTable(
  path: string,
  columns: PartColumn[],
  groups: Iterable<readonly Row[]>,
  compression: MirrorCompression,
  kvAtEnd: () => { key: string; value: string }[],
): Promise<void> {
  const kv: { key: string; value: string }[] = [];
  const writer = await PartWriter.open(`${path}.tmp`, columns, compression, kv);
  try {
    for (const rows of groups) {
      if (rows.length) await writer.writeColumns(columns.map((c) => storedColumn(c, rows)));
    }
    kv.push(...kvAtEnd());
    await writer.finish(path);
  } catch (e) {
    await writer.abandon();
    throw e;
  }
}

const s = (name: string): PartColumn => ({ name, kind: "string", nullable: true });
const d = (name: string): PartColumn => ({ name, kind: "double", nullable: true });
const t = (name: string): PartColumn => ({ name, kind: "time", nullable: true });

/**
 * Writes `index/objects<suffix>.parquet` and `index/stations<suffix>.parquet`:
 * objects in order of pid, a row group of {@linkcode INDEX_GROUP_ROWS} at a
 * time (each object's facts unpacked only for its group); a station's row
 * from its first object in `infos`.
 */
export async function writeIndex(
  out: string,
  suffix: string,
  infos: readonly PackedInfo[],
  manifest: Manifest,
  compression: MirrorCompression,
): Promise<void> {
  const dir = join(out, "index");
  mkdirSync(dir, { recursive: true });
  const order = infos.map((_, i) => i).sort((a, b) => (infos[a].pid < infos[b].pid ? -1 : 1));
  const byStation = new Map<string, { row: Row; first: number }>();
  const box = [Infinity, Infinity, -Infinity, -Infinity];
  function* groups(): Generator<Row[]> {
    for (let at = 0; at < order.length; at += INDEX_GROUP_ROWS) {
      yield order.slice(at, at + INDEX_GROUP_ROWS).map((i) => {
        const o = infos[i].full();
        const m = manifest.objects[o.pid];
        if (o.lat !== null && o.lon !== null) {
          box[0] = Math.min(box[0], o.lon);
          box[1] = Math.min(box[1], o.lat);
          box[2] = Math.max(box[2], o.lon);
          box[3] = Math.max(box[3], o.lat);
        }
        if (o.station) {
          const have = byStation.get(o.station);
          const row: Row = have && have.first < i ? have.row : {
            station: o.station,
            name: o.stationName || null,
            country: o.country || null,
            lat: o.lat,
            lon: o.lon,
            objects: have?.row.objects ?? 0,
            geometry: point(o.lat, o.lon),
          };
          row.objects = (row.objects as number) + 1;
          byStation.set(o.station, { row, first: have ? Math.min(have.first, i) : i });
        }
        return {
          pid: o.pid,
          uri: o.uri,
          fileName: o.fileName,
          spec: o.spec,
          specUri: o.specUri,
          specLabel: o.specLabel,
          project: o.project,
          theme: o.theme,
          level: o.level,
          station: o.station || null,
          stationName: o.stationName || null,
          country: o.country || null,
          lat: o.lat,
          lon: o.lon,
          samplingHeight: o.samplingHeight,
          timeStart: ms(o.timeStart),
          timeEnd: ms(o.timeEnd),
          submTime: ms(o.submTime),
          size: o.size,
          rows: m?.rows ?? o.rows,
          doi: o.doi,
          citation: o.citation,
          licence: o.licence,
          latest: o.next.length === 0,
          next: o.next.length ? o.next.join(",") : null,
          parts: m?.parts.join(",") ?? null,
          original: m?.original ?? null,
          geometry: point(o.lat, o.lon),
        };
      });
    }
  }
  const objectColumns: PartColumn[] = [
    s("pid"),
    s("uri"),
    s("fileName"),
    s("spec"),
    s("specUri"),
    s("specLabel"),
    s("project"),
    s("theme"),
    { name: "level", kind: "int", nullable: true },
    s("station"),
    s("stationName"),
    s("country"),
    d("lat"),
    d("lon"),
    d("samplingHeight"),
    t("timeStart"),
    t("timeEnd"),
    t("submTime"),
    d("size"),
    d("rows"),
    s("doi"),
    s("citation"),
    s("licence"),
    { name: "latest", kind: "bool", nullable: false },
    s("next"),
    s("parts"),
    s("original"),
    { name: "geometry", kind: "bytes", nullable: true },
  ];
  await writeTable(
    join(dir, `objects${suffix}.parquet`),
    objectColumns,
    groups(),
    compression,
    () => [geoMetadata(["Point"], box[0] <= box[2] ? box : undefined)],
  );

  const stations = [...byStation.values()].map((s) => s.row).sort((
    a,
    b,
  ) => (String(a.station) < String(b.station) ? -1 : 1));
  await writeTable(
    join(dir, `stations${suffix}.parquet`),
    [s("station"), s("name"), s("country"), d("lat"), d("lon"), {
      name: "objects",
      kind: "int",
      nullable: false,
    }, { name: "geometry", kind: "bytes", nullable: true }],
    [stations],
    compression,
    () => [geoMetadata(["Point"], bboxOf(stations))],
  );
}
