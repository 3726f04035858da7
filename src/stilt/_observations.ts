// Private: the ICOS observations at a STILT station's ICOS station and
// height: data objects (`getDobjList`) and ObsPack files
// (`getObspackList`).

import { type ColumnTable, table } from "../_util/arquero.ts";
import type { CarbonPortal } from "../client/client.ts";
import { objectsAtHeightQuery, stiltObservationsQuery } from "../sparql/queries.ts";
import type { StiltStation } from "./station.ts";

/** Implementation of `StiltStation.getDobjList`. */
export async function dobjList(
  cp: CarbonPortal,
  s: StiltStation,
  options: { signal?: AbortSignal },
): Promise<ColumnTable> {
  const icos = s.icos;
  // no ICOS station: the same columns, no rows
  const rows = icos
    ? (await cp.sparql.select(
      objectsAtHeightQuery(
        { icosId: icos.stationId, height: icos.SamplingHeight ?? s.alt },
        { prefix: cp.endpoints.metaInstancePrefix },
      ),
      { signal: options.signal },
    )).rows
    : [];
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
  const icos = s.icos;
  const rows = icos
    ? (await cp.sparql.select(
      stiltObservationsQuery(
        { icosId: icos.stationId, height: icos.SamplingHeight ?? s.alt },
        { prefix: cp.endpoints.metaInstancePrefix },
      ),
      { signal: options.signal },
    )).rows
    : [];
  return table({
    dobj: rows.map((x) => x.iri("dobj")),
    spec: rows.map((x) => x.iri("spec")),
    fileName: rows.map((x) => x.string("fileName")),
    samplingHeight: rows.map((x) => x.optNumber("samplingHeight") ?? NaN),
    timeStart: rows.map((x) => x.date("timeStart")),
    timeEnd: rows.map((x) => x.date("timeEnd")),
  });
}
