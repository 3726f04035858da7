/**
 * Finding things: stations, collections, countries and station maps.
 *
 * @module
 */

export {
  type PythonStationDict,
  Station,
  type StationApi,
  type StationDataLevel,
  type StationLandingPage,
  type StationListOptions,
  type StationRecord,
} from "./station.ts";
export {
  Collection,
  type CollectionApi,
  type CollectionCitationStyle,
  type CollectionInfo,
  type CollectionInfoFormat,
  type CollectionMeta,
} from "./collection.ts";
export { type Country, countryCodeAt, type CountryQuery, lookupCountry } from "./country.ts";
export {
  mapHtml,
  type MapMarker,
  type MapOptions,
  markersToGeoJson,
  type PointCollection,
} from "./map.ts";
