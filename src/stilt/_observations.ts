// Private: the ICOS observations at a STILT station's ICOS station and
// height: data objects (`getDobjList`) and ObsPack files
// (`getObspackList`).

import { type ColumnTable, table } from "../_util/arquero.ts";
import type { CarbonPortal } from "../client/client.ts";
import { objectsAtHeightQuery, stiltObservationsQuery } from "../sparql/queries.ts";
import type { StiltStation } from "./station.ts";

/** The columns of icoscp's `get_dobj_list()`. */
export const DOBJ_LIST_COLUMNS = [
  "dobj",
  "hasNextVersion",
  "spec",
  "fileName",
  "size",
  "submTime",
  "timeStart",
  "timeEnd",
] as const;

/** Implementation of `StiltStation.getDobjList`. */
export async function dobjList(
  cp: CarbonPortal,
  s: StiltStation,
  options: { signal?: AbortSignal },
): Promise<ColumnTable> {
  const icos = s.icos;
  if (!icos) {
    return table(Object.fromEntries(DOBJ_LIST_COLUMNS.map((c) => [c, []])));
  }
  const r = await cp.sparql.select(
    objectsAtHeightQuery(
      { icosId: icos.stationId, height: icos.SamplingHeight ?? s.alt },
      { prefix: cp.endpoints.metaInstancePrefix },
    ),
    { signal: options.signal },
  );
  return table({
    dobj: r.rows.map((x) => x.iri("dobj")),
    hasNextVersion: r.rows.map((x) => x.optString("hasNextVersion") === "true"),
    spec: r.rows.map((x) => x.iri("spec")),
    fileName: r.rows.map((x) => x.string("fileName")),
    size: r.rows.map((x) => x.optNumber("size") ?? NaN),
    submTime: r.rows.map((x) => x.date("submTime")),
    timeStart: r.rows.map((x) => x.date("timeStart")),
    timeEnd: r.rows.map((x) => x.date("timeEnd")),
  });
}

/** Implementation of `StiltStation.getObspackList`. */
export async function obspackList(
  cp: CarbonPortal,
  s: StiltStation,
  options: { signal?: AbortSignal },
): Promise<ColumnTable> {
  const icos = s.icos;
  if (!icos) {
    return table({
      dobj: [],
      spec: [],
      fileName: [],
      samplingHeight: [],
      timeStart: [],
      timeEnd: [],
    });
  }
  const r = await cp.sparql.select(
    stiltObservationsQuery(
      { icosId: icos.stationId, height: icos.SamplingHeight ?? s.alt },
      { prefix: cp.endpoints.metaInstancePrefix },
    ),
    { signal: options.signal },
  );
  return table({
    dobj: r.rows.map((x) => x.iri("dobj")),
    spec: r.rows.map((x) => x.iri("spec")),
    fileName: r.rows.map((x) => x.string("fileName")),
    samplingHeight: r.rows.map((x) => x.optNumber("samplingHeight") ?? NaN),
    timeStart: r.rows.map((x) => x.date("timeStart")),
    timeEnd: r.rows.map((x) => x.date("timeEnd")),
  });
}
