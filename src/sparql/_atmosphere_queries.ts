// Private: queries of the atmosphere domain: ATC objects, STILT observations,
// sampling heights and the historical (drought-2018) product.

import {
  checkOptions,
  finiteNumber,
  integer,
  optionalInteger,
  optionalStringList,
  text,
} from "../_util/args.ts";
import { InvalidArgumentError } from "../errors.ts";
import { listDataObjectsQuery } from "./_object_queries.ts";
import {
  base,
  limitClause,
  NOT_DEPRECATED,
  PREFIXES,
  type QueryContext,
  queryContext,
  relative,
  res,
} from "./_query_base.ts";
import { literal, type SparqlTerm } from "./terms.ts";

/**
 * Q12: ICOS observations at a STILT station: the ObsPack objects of an ICOS
 * station at a sampling height (icoscp_stilt `get_dobj_list`).
 *
 * @param station The ICOS station id (`GAT`) and sampling height (m).
 * @param ctx The instance prefix.
 * @returns The query.
 *
 * @example
 * ```ts
 * import { stiltObservationsQuery } from "@icoscp/icoscp/sparql";
 * import assert from "node:assert/strict";
 *
 * assert.match(stiltObservationsQuery({ icosId: "GAT", height: 341 }), /AS_GAT/);
 * ```
 */
export function stiltObservationsQuery(
  station: { icosId: string; height: number },
  ctx?: QueryContext,
): string {
  ctx = queryContext("stiltObservationsQuery", ctx);
  station = checkOptions("stiltObservationsQuery", station, { icosId: true, height: true }, {
    icos_id: "icosId",
  });
  station = {
    icosId: text("stiltObservationsQuery", "icosId", station.icosId),
    height: finiteNumber("stiltObservationsQuery", "height", station.height),
  };
  return relative(
    ctx,
    listDataObjectsQuery({
      specs: [
        `${base(ctx)}resources/cpmeta/ObspackTimeSerieResult`,
        `${base(ctx)}resources/cpmeta/ObspackCH4TimeSeriesResult`,
      ],
      stations: [`${base(ctx)}resources/stations/AS_${station.icosId}`],
      filters: [{ prop: "samplingHeight", op: "=", value: station.height }],
      limit: 10000,
    }),
  );
}

function atcObjects(
  specs: SparqlTerm[],
  graph: SparqlTerm,
  limit?: number,
  stations?: SparqlTerm[],
): string {
  const st = stations?.length
    ? `values ?station { ${
      stations.join(" ")
    } }\n  ?dobj cpmeta:wasAcquiredBy/prov:wasAssociatedWith ?station .`
    : "";
  return `${PREFIXES}select ?dobj ?spec ?fileName ?size ?submTime ?timeStart ?timeEnd
from ${graph}
where {
  values ?spec { ${specs.join(" ")} }
  ?dobj cpmeta:hasObjectSpec ?spec ; cpmeta:hasSizeInBytes ?size ; cpmeta:hasName ?fileName ;
    cpmeta:wasSubmittedBy/prov:endedAtTime ?submTime ;
    cpmeta:wasAcquiredBy [ prov:startedAtTime ?timeStart ; prov:endedAtTime ?timeEnd ] .
  ${st}
  ${NOT_DEPRECATED}
}
order by desc(?submTime)${limitClause(limit)}`;
}

/** Tracers of the ATC queries. */
export type Tracer = "co2" | "ch4" | "co" | "mto";

const TRACER_SPEC: Record<Tracer, string> = { co2: "Co2", ch4: "Ch4", co: "Co", mto: "Meteo" };

function atcSpec(tracer: Tracer, level: 1 | 2, ctx?: QueryContext): SparqlTerm {
  const t = TRACER_SPEC[tracer];
  if (!t) throw new InvalidArgumentError(`Unknown tracer ${tracer} (co2, ch4, co, mto)`);
  const name = level === 2
    ? `atc${t}L2DataObject`
    : tracer === "mto"
    ? "atcMeteoGrowingNrtDataObject"
    : `atc${t}NrtGrowingDataObject`;
  return res(ctx, `cpmeta/${name}`);
}

/**
 * Level-2 ATC data objects of one tracer, optionally at some stations
 * (icoscp `atc_co2_level2`, `atc_ch4_level2`, `atc_co_level2`, `atc_query`, `atc_stationlist`).
 *
 * @param tracer `co2`, `ch4`, `co` or `mto` (meteo).
 * @param options Level (1 = near-real-time growing objects, 2 = release; default 2), stations (ICOS ids), limit, prefix.
 * @returns The query.
 *
 * @example
 * ```ts
 * import { atcQuery } from "@icoscp/icoscp/sparql";
 * import assert from "node:assert/strict";
 *
 * assert.match(atcQuery("co2"), /atcCo2L2DataObject/);
 * assert.match(atcQuery("ch4", { level: 1, stations: ["GAT"] }), /atcCh4NrtGrowingDataObject[\s\S]*AS_GAT/);
 * ```
 */
export function atcQuery(
  tracer: Tracer,
  options: { level?: 1 | 2; stations?: readonly string[]; limit?: number } & QueryContext = {},
): string {
  options = checkOptions("atcQuery", options, {
    level: true,
    stations: true,
    limit: true,
    prefix: true,
  });
  options = {
    ...options,
    level: integer("atcQuery", "level", options.level ?? 2, { min: 1, max: 2 }) as 1 | 2,
    stations: optionalStringList("atcQuery", "stations", options.stations),
    limit: optionalInteger("atcQuery", "limit", options.limit),
  };
  const level = options.level ?? 2;
  const specs = level === 1 && tracer !== "mto"
    ? [atcSpec(tracer, 1, options), atcSpec("mto", 1, options)]
    : [atcSpec(tracer, level, options)];
  return relative(
    options,
    atcObjects(
      specs,
      res(options, "atmprodcsv/"),
      options.limit,
      options.stations?.map((s) => res(options, `stations/AS_${s}`)),
    ),
  );
}

/**
 * Atmosphere stations with the last names of their current PIs, country and
 * position (icoscp `sparqls.get_coords_icos_stations_atc`).
 *
 * @param ctx The instance prefix.
 * @returns The query.
 *
 * @example
 * ```ts
 * import { atcStationCoordsQuery } from "@icoscp/icoscp/sparql";
 * import assert from "node:assert/strict";
 *
 * assert.match(atcStationCoordsQuery(), /\?PI_names/);
 * ```
 */
export function atcStationCoordsQuery(ctx?: QueryContext): string {
  ctx = queryContext("atcStationCoordsQuery", ctx);
  return relative(
    ctx,
    `${PREFIXES}select ?uri ?Short_name ?Long_name ?Country ?lat ?lon (group_concat(?lastName; separator=";") as ?PI_names)
from ${res(ctx, "icos/")}
where {
  ?uri a cpmeta:AS ; cpmeta:hasStationId ?Short_name ; cpmeta:hasName ?Long_name ; cpmeta:countryCode ?Country .
  optional { ?uri cpmeta:hasLatitude ?lat ; cpmeta:hasLongitude ?lon }
  optional {
    ?memb cpmeta:atOrganization ?uri ; cpmeta:hasRole ${res(ctx, "roles/PI")} .
    optional { ?memb cpmeta:hasEndTime ?membEnd }
    filter(!bound(?membEnd) || ?membEnd > now())
    ?person cpmeta:hasMembership ?memb ; cpmeta:hasLastName ?lastName .
  }
}
group by ?uri ?Short_name ?Long_name ?Country ?lat ?lon
order by ?Short_name`,
  );
}

/**
 * ICOS-project data objects of a level whose dataset has a CO2, CO or CH4
 * mole-fraction column (icoscp `get_icos_stations_atc_L1` / `_L2`).
 *
 * @param level 1 or 2.
 * @param ctx The instance prefix.
 * @returns The query.
 *
 * @example
 * ```ts
 * import { atcStationsLevelQuery } from "@icoscp/icoscp/sparql";
 * import assert from "node:assert/strict";
 *
 * assert.match(atcStationsLevelQuery(1), /hasDataLevel "1"/);
 * ```
 */
export function atcStationsLevelQuery(level: 1 | 2, ctx?: QueryContext): string {
  ctx = queryContext("atcStationsLevelQuery", ctx);
  level = integer("atcStationsLevelQuery", "level", level, { min: 1, max: 2 }) as 1 | 2;
  if (level !== 1 && level !== 2) {
    throw new InvalidArgumentError(`Level must be 1 or 2, not ${level}`);
  }
  const vts = ["co2MixingRatio", "coMixingRatioPpb", "ch4MixingRatioPpb"].map((v) =>
    res(ctx, `cpmeta/${v}`)
  );
  return relative(
    ctx,
    `${PREFIXES}select distinct ?dobj ?fileName ?variable ?stationName ?height ?timeStart ?timeEnd
where {
  values ?vtype { ${vts.join(" ")} }
  ?spec cpmeta:hasDataLevel "${level}"^^xsd:integer ; cpmeta:hasAssociatedProject ${
      res(ctx, "projects/icos")
    } ;
    cpmeta:containsDataset/cpmeta:hasColumn ?column .
  ?column cpmeta:hasValueType ?vtype .
  ?vtype rdfs:label ?variable .
  ?dobj cpmeta:hasObjectSpec ?spec ; cpmeta:hasName ?fileName .
  ${NOT_DEPRECATED}
  ?dobj cpmeta:wasAcquiredBy ?acq .
  ?acq prov:startedAtTime ?timeStart ; prov:endedAtTime ?timeEnd ; prov:wasAssociatedWith/cpmeta:hasName ?stationName .
  optional { ?acq cpmeta:hasSamplingHeight ?height }
}
order by ?stationName ?height`,
  );
}

/**
 * Objects of visible, levelled specs at an atmosphere station and sampling
 * height, with whether a newer version exists (icoscp `sparqls.dobj_for_samplingheight`).
 *
 * @param station ICOS id (`GAT`) and sampling height (m).
 * @param ctx The instance prefix.
 * @returns The query.
 *
 * @example
 * ```ts
 * import { objectsAtHeightQuery } from "@icoscp/icoscp/sparql";
 * import assert from "node:assert/strict";
 *
 * assert.match(objectsAtHeightQuery({ icosId: "GAT", height: 341 }), /\?hasNextVersion/);
 * ```
 */
export function objectsAtHeightQuery(
  station: { icosId: string; height: number },
  ctx?: QueryContext,
): string {
  const h = literal(String(Number(station.height)), { datatype: "float" });
  return relative(
    ctx,
    `${PREFIXES}select ?dobj ?hasNextVersion ?spec ?fileName ?size ?submTime ?timeStart ?timeEnd
where {
  ?spec cpmeta:hasDataLevel [] .
  filter not exists { ?spec cpmeta:hasAssociatedProject/cpmeta:hasHideFromSearchPolicy "true"^^xsd:boolean }
  ?dobj cpmeta:hasObjectSpec ?spec ; cpmeta:hasSizeInBytes ?size ; cpmeta:hasName ?fileName ;
    cpmeta:wasSubmittedBy/prov:endedAtTime ?submTime .
  ?dobj cpmeta:wasAcquiredBy ?acq .
  ?acq prov:startedAtTime ?timeStart ; prov:endedAtTime ?timeEnd ;
    prov:wasAssociatedWith ${
      res(ctx, `stations/AS_${station.icosId}`)
    } ; cpmeta:hasSamplingHeight ?samplingHeight .
  filter(?samplingHeight = ${h})
  bind(exists { [] cpmeta:isNextVersionOf ?dobj } as ?hasNextVersion)
}
order by ?spec desc(?submTime)`,
  );
}

/**
 * Historical CO2 observations of an atmosphere station: objects of the
 * drought-2018 atmosphere product and the ATC CO2 release at the ICOS station
 * (`AS_<code>`) or the pre-ICOS one (`ATMO_<code>`), with station facts
 * (icoscp `sparqls.icos_hist_L1_L2_sparql` and `icos_hist_sparql`).
 *
 * @param station Station code (`GAT`); `icos: false` for the pre-ICOS station.
 * @param ctx The instance prefix.
 * @returns The query.
 *
 * @example
 * ```ts
 * import { historicalObservationsQuery } from "@icoscp/icoscp/sparql";
 * import assert from "node:assert/strict";
 *
 * assert.match(historicalObservationsQuery({ code: "HTM", icos: false }), /stations\/ATMO_HTM/);
 * ```
 */
export function historicalObservationsQuery(
  station: { code: string; icos?: boolean },
  ctx?: QueryContext,
): string {
  const st = res(ctx, `stations/${station.icos === false ? "ATMO" : "AS"}_${station.code}`);
  const specs = [res(ctx, "cpmeta/drought2018AtmoProduct"), res(ctx, "cpmeta/atcCo2L2DataObject")];
  return relative(
    ctx,
    `${PREFIXES}select ?dobj ?spec ?fileName ?samplingHeight ?timeStart ?timeEnd ?Short_name ?Country ?lat ?lon ?Long_name ?height
where {
  values ?spec { ${specs.join(" ")} }
  ?dobj cpmeta:hasObjectSpec ?spec ; cpmeta:hasName ?fileName ; cpmeta:wasAcquiredBy ?acq .
  ${NOT_DEPRECATED}
  ?acq prov:wasAssociatedWith ${st} ; prov:startedAtTime ?timeStart ; prov:endedAtTime ?timeEnd .
  optional { ?acq cpmeta:hasSamplingHeight ?samplingHeight }
  ${st} cpmeta:hasStationId ?Short_name ; cpmeta:hasName ?Long_name .
  optional { ${st} cpmeta:countryCode ?Country }
  optional { ${st} cpmeta:hasLatitude ?lat ; cpmeta:hasLongitude ?lon }
  optional { ${st} cpmeta:hasElevation ?height }
}
order by ?spec ?samplingHeight`,
  );
}

/**
 * The stations of the drought-2018 atmosphere product with their sampling
 * heights: columns `Short_name`, `Country`, `lat`, `lon`, `Long_name`,
 * `height`, one row per station and height (icoscp `sparqls.icos_hist_sparql()`).
 *
 * @param ctx The instance prefix (run through a client, its portal's).
 * @returns The query.
 *
 * @example
 * ```ts
 * import { historicalStationsQuery } from "@icoscp/icoscp/sparql";
 * import assert from "node:assert/strict";
 *
 * assert.match(historicalStationsQuery(), /drought2018AtmoProduct/);
 * ```
 */
export function historicalStationsQuery(ctx?: QueryContext): string {
  return relative(
    ctx,
    `${PREFIXES}select (str(?sName) as ?Short_name) ?Country ?lat ?lon (str(?lName) as ?Long_name) ?height
where {
  {
    select distinct ?s ?height
    where {
      ?dobj cpmeta:hasObjectSpec ${res(ctx, "cpmeta/drought2018AtmoProduct")} ;
        cpmeta:wasAcquiredBy/prov:wasAssociatedWith ?s ; cpmeta:hasSizeInBytes ?size .
      optional { ?dobj cpmeta:wasAcquiredBy/cpmeta:hasSamplingHeight ?height }
      ${NOT_DEPRECATED}
    }
  }
  ?s cpmeta:hasStationId ?sName ; cpmeta:hasName ?lName ; cpmeta:countryCode ?Country ;
    cpmeta:hasLatitude ?lat ; cpmeta:hasLongitude ?lon .
}
order by ?Short_name ?height`,
  );
}
