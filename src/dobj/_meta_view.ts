// Private: what `Dobj`'s getters and table methods read from the landing-page
// metadata (the specifics of a time series or a spatial object, the citation
// styles, the variables, the stored table's schema).

import { table } from "../_util/arquero.ts";
import type { ColumnTable } from "../_util/arquero.ts";
import { type DataColumn, formatName, storedType } from "../cpb/_columns.ts";
import type { CpbSchema } from "../cpb/cpb.ts";
import { InvalidArgumentError, UnsupportedFormatError } from "../errors.ts";
import { DATE_FORMATS } from "./_columns_fetch.ts";
import { markTime, timeKindOf } from "../_util/time_columns.ts";
import type {
  DataObjectMeta,
  SpatioTemporalMeta,
  StationTimeSeriesMeta,
  VarMeta,
} from "./meta_types.ts";

/** The station-time-series specifics, when the object is one. */
export function seriesOf(meta: DataObjectMeta): StationTimeSeriesMeta | undefined {
  const s = meta.specificInfo as StationTimeSeriesMeta | undefined;
  return s && "acquisition" in s ? s : undefined;
}

/** The spatio-temporal specifics, when the object is one. */
export function spatialOf(meta: DataObjectMeta): SpatioTemporalMeta | undefined {
  const s = meta.specificInfo as SpatioTemporalMeta | undefined;
  return s && "spatial" in s ? s : undefined;
}

/** The citation in one style (`Dobj.getCitation`). */
export function citationOf(meta: DataObjectMeta, style: string): string | undefined {
  const r = meta.references ?? {};
  switch (style) {
    case "plain":
      return r.citationString;
    case "bibtex":
      return r.citationBibTex;
    case "ris":
      return r.citationRis;
    default:
      throw new InvalidArgumentError(
        `Unknown citation style ${String(style)} (plain, bibtex or ris)`,
      );
  }
}

/** `Dobj.variables`: one row per column. */
export function variablesTable(cols: readonly VarMeta[]): ColumnTable {
  return table({
    name: cols.map((c) => c.label),
    unit: cols.map((c) => c.valueType?.unit ?? ""),
    type: cols.map((c) => c.valueType?.self?.label ?? ""),
    format: cols.map((c) => (c.valueFormat ? formatName(c.valueFormat) : "")),
    flagFor: cols.map((c) => (c.isFlagFor ?? []).join(" ")),
  });
}

/** The schema and column specs of the stored table, columns sorted by label. */
export function storedTable(
  id: string,
  meta: DataObjectMeta,
): { stored: VarMeta[]; schema: CpbSchema; nRows: number } {
  const s = seriesOf(meta);
  const nRows = s?.nRows;
  const stored = (s?.columns ?? []).filter((c) => c.valueFormat !== undefined)
    .sort((a, b) => (a.label < b.label ? -1 : a.label > b.label ? 1 : 0));
  if (!s || nRows === undefined || stored.length === 0) {
    throw new UnsupportedFormatError(
      `Data object ${id} has no columns to fetch (it is ${
        spatialOf(meta) ? "a spatial object" : "not a station time series table"
      }): download the file instead`,
    );
  }
  if (meta.specification?.format?.self?.uri === undefined) {
    throw new UnsupportedFormatError(
      `Data object ${id} has no format in its metadata: its table cannot be fetched`,
    );
  }
  const types = stored.map((c) => storedType(formatName(c.valueFormat!), c.label));
  return {
    stored,
    nRows,
    schema: { columns: types, size: nRows, labels: stored.map((c) => c.label) },
  };
}

/** `Dobj.get(…, { dateTimeConvert })`: date-time, date and month columns as `Date`s (null for NaN). */
export function withDates(
  data: Record<string, DataColumn>,
  stored: readonly VarMeta[],
): Record<string, DataColumn> {
  const formats = new Map(stored.map((c) => [c.label, formatName(c.valueFormat!)]));
  for (const [name, col] of Object.entries(data)) {
    if (DATE_FORMATS.has(formats.get(name) ?? "")) {
      (data as Record<string, unknown>)[name] = markTime(
        Array.from(col as Float64Array, (ms) => Number.isNaN(ms) ? null : new Date(ms)),
        timeKindOf(col) ?? "dateTime",
      );
    }
  }
  return data;
}
