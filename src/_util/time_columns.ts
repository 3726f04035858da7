// Private: which columns hold times, so that they leave the library as times
// (Parquet TIMESTAMP, Arrow timestamp, one ISO 8601 format per CSV column).
// The library stores times as milliseconds in Float64Arrays (zero-copy); the
// column arrays it returns are marked here with their kind. A mark lives on
// the array object, so arquero tables that share it (select, filter, orderby,
// slice) keep it; a copied array does not (pass `times` to the exporters).

/** How a time column is stored: ms since the epoch (dateTime, date, month) or ms since midnight. */
export type TimeKind = "dateTime" | "date" | "month" | "timeOfDay";

/** The value formats of the portal whose columns hold times, by kind. */
export const TIME_FORMATS: Readonly<Record<string, TimeKind>> = {
  iso8601dateTime: "dateTime",
  isoLikeLocalDateTime: "dateTime",
  etcLocalDateTime: "dateTime",
  iso8601date: "date",
  etcDate: "date",
  iso8601month: "month",
  iso8601timeOfDay: "timeOfDay",
};

const marks = new WeakMap<object, TimeKind>();

/** Marks a column array as holding times of this kind; returns it. */
export function markTime<T>(column: T, kind: TimeKind): T {
  if (typeof column === "object" && column !== null) marks.set(column, kind);
  return column;
}

/** The kind of times a column array holds, when it was marked. */
export function timeKindOf(column: unknown): TimeKind | undefined {
  return typeof column === "object" && column !== null ? marks.get(column) : undefined;
}
