// Private: the ICOS observations at a STILT station's ICOS station and
// height: data objects (`getDobjList`) and ObsPack files
// (`getObspackList`).

import { type ColumnTable, table } from "../_util/arquero.ts";
import type { CarbonPortal } from "../client/client.ts";
import { objectsAtHeightQuery, stiltObservationsQuery } from "../sparql/queries.ts";
import type { StiltStation } from "./station.ts";

/**
 * The rows `query` finds at the STILT station's ICOS station and height (its
 * ICOS sampling height, else its own altitude); none without an ICOS station
 * (the same columns, no rows).
 */
async function rowsAtStation(
  cp: CarbonPortal,
  s: StiltStation,
  query: typeof objectsAtHeightQuery,
  options: { signal?: AbortSignal },
) {
  const icos = s.icos;
  if (!icos) return [];
  const at = { icosId: icos.stationId, height: icos.SamplingHeight ?? s.alt };
  const text = query(at, { prefix: cp.endpoints.metaInstancePrefix });
  return (await cp.sparql.select(text, { signal: options.signal })).rows;
}

/** Implementation of `StiltStation.getDobjList`. */
export async function dobjList(
  cp: CarbonPortal,
  s: StiltStation,
  options: { signal?: AbortSignal },
): Promise<ColumnTable> {
  const rows = await rowsAtStation(cp, s, objectsAtHeightQuery, options);
  return table({
    dobj: rows.map((x) => x.iri("dobj")),
    hasNextVersion: rows.map((x) => x.optString("hasNextVersion") === "true"),
    spec: rows.map((x) => x.iri("spec")),
    fileName: rows.map((x) => x.string("fileName")),
    size: rows.map((x) => x.optNumber("size") ?? NaN),
    submTime: rows.map((x) => x.date("submTime")),
    timeStart: rows.map((x) => x.date("timeStart")),
    timeEnd: rows.map((x) => x.date("timeEnd")),
  });
}

/** Implementation of `StiltStation.getObspackList`. */
export async function obspackList(
  cp: CarbonPortal,
  s: StiltStation,
  options: { signal?: AbortSignal },
): Promise<ColumnTable> {
  const rows = await rowsAtStation(cp, s, stiltObservationsQuery, options);
  return table({
    dobj: rows.map((x) => x.iri("dobj")),
    spec: rows.map((x) => x.iri("spec")),
    fileName: rows.map((x) => x.string("fileName")),
    samplingHeight: rows.map((x) => x.optNumber("samplingHeight") ?? NaN),
    timeStart: rows.map((x) => x.date("timeStart")),
    timeEnd: rows.map((x) => x.date("timeEnd")),
  });
}
