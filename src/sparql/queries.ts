/**
 * The queries the Python libraries send (docs/protocol.md §5.4), as named
 * builders that return query text. Every value a caller passes is written as
 * a validated IRI or an escaped literal. Resource IRIs (stations, specs,
 * roles, graphs) are built from `prefix`, the portal's metadata instance
 * prefix. Without an explicit `prefix` a builder writes ICOS's
 * (`http://meta.icos-cp.eu/`) and marks the text as portal-relative (a first
 * comment line): run through a client (`cp.sparql.select`, `RunSparql`) it is
 * retargeted to that client's portal (emulator, SITES, ICOS Cities), see
 * {@linkcode forPortal}.
 *
 * @module
 */

export {
  CPMETA,
  forPortal,
  ICOS_INSTANCE_PREFIX,
  PREFIXES,
  type QueryContext,
} from "./_query_base.ts";
export {
  citationQuery,
  cpbMetaQuery,
  type DataObjectFilters,
  datasetColumnsQuery,
  dobjStationQuery,
  goodFlagsQuery,
  listDataObjectsQuery,
  listDatatypesQuery,
  objectSpecQuery,
  productAvailabilityQuery,
  productsPerDomainQuery,
  type PropertyFilter,
} from "./_object_queries.ts";
export {
  ICOS_THEMES,
  listStationsQuery,
  type StationClass,
  stationClassLookupQuery,
  stationDataQuery,
  stationEntryClassQuery,
  stationQuery,
  type StationQueryFilter,
} from "./_station_queries.ts";
export {
  collectionItemsQuery,
  collectionMembersQuery,
  collectionsQuery,
} from "./_collection_queries.ts";
export {
  atcQuery,
  atcStationCoordsQuery,
  atcStationsLevelQuery,
  historicalObservationsQuery,
  historicalStationsQuery,
  objectsAtHeightQuery,
  stiltObservationsQuery,
  type Tracer,
} from "./_atmosphere_queries.ts";
