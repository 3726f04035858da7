// Private: the extra specifications, datasets and value types of the large
// generated catalogue (`startEmulator({ objects: N })`), with the portal's
// naming style: several specs per theme and level. They are merged into the
// tables of _catalog.ts; the default dataset's RDF only lists those its
// objects use, so it stays as it was.

import type { ColumnFact, SpecFact, ValueTypeFact } from "./_catalog.ts";

const col = (
  key: string,
  title: string,
  valueFormat: string,
  valueType: string,
): ColumnFact => ({ key, title, label: title, valueFormat, valueType });

const TS = col("timeStampColumn", "TIMESTAMP", "iso8601dateTime", "timeStamp");

/** Value types only the generated catalogue uses. */
export const EXTRA_VALUE_TYPES: Readonly<Record<string, ValueTypeFact>> = {
  n2oMixingRatioPpb: {
    label: "N2O mixing ratio (dry mole fraction)",
    unit: "nmol mol-1",
    quantityKind: "portion",
  },
  coMixingRatioPpb: {
    label: "CO mixing ratio (dry mole fraction)",
    unit: "nmol mol-1",
    quantityKind: "portion",
  },
  relativeHumidity: { label: "relative humidity", unit: "%", quantityKind: "portion" },
  windSpeed: { label: "wind speed", unit: "m s-1" },
  fco2Water: { label: "fCO2 in water", unit: "µatm", quantityKind: "pressure" },
  seaSurfaceTemp: { label: "sea surface temperature", unit: "°C", quantityKind: "temperature" },
  salinity: { label: "sea surface salinity", unit: "PSU" },
};

/** Dataset specifications only the generated catalogue uses. */
export const EXTRA_DATASETS: Readonly<
  Record<string, { label: string; columns: readonly ColumnFact[] }>
> = {
  atcN2oMoleFracTimeSer: {
    label: "Atmospheric N2O mole fraction time series",
    columns: [TS, col("n2oAtcMoleFrac", "n2o", "float32", "n2oMixingRatioPpb")],
  },
  atcCoMoleFracTimeSer: {
    label: "Atmospheric CO mole fraction time series",
    columns: [TS, col("coAtcMoleFrac", "co", "float32", "coMixingRatioPpb")],
  },
  atcMeteoTimeSer: {
    label: "Atmospheric station meteorology time series",
    columns: [
      TS,
      col("atcAirTemp", "AT", "float32", "airTempCelsius"),
      col("atcRelHum", "RH", "float32", "relativeHumidity"),
      col("atcWindSpeed", "WS", "float32", "windSpeed"),
    ],
  },
  etcNrtFluxDataset: {
    label: "ETC NRT fluxes",
    columns: [
      TS,
      col("etcNrtNee", "NEE", "float32", "netEcosystemExchange"),
      col("etcNrtH", "H", "float32", "sensibleHeatFlux"),
      col("etcNrtLe", "LE", "float32", "latentHeatFlux"),
    ],
  },
  etcMeteoDataset: {
    label: "ETC meteo time series",
    columns: [
      TS,
      col("etcFluxnetTA_F", "TA_F", "float32", "airTempCelsius"),
      col("etcFluxnetSW_IN_F", "SW_IN_F", "float32", "incomingSwRadiation"),
      col("etcFluxnetVPD_F", "VPD_F", "float32", "vapourPressureDeficit"),
    ],
  },
  otcSurfaceDataset: {
    label: "OTC surface ocean time series",
    columns: [
      TS,
      col("otcFco2", "fCO2", "float32", "fco2Water"),
      col("otcSst", "SST", "float32", "seaSurfaceTemp"),
      col("otcSss", "SSS", "float32", "salinity"),
    ],
  },
};

const atc = (
  key: string,
  label: string,
  level: number,
  dataset: string,
  keywords?: string[],
): SpecFact => ({
  key,
  label,
  level,
  dataset,
  format: "asciiAtcProductTimeSer",
  encoding: "zipEncoding",
  theme: "atmosphere",
  project: "icos",
  type: "StationTimeSeries",
  ...(keywords ? { keywords } : {}),
  graph: "atmprodcsv",
});

const plain = (
  key: string,
  label: string,
  level: number,
  dataset: string,
  theme: string,
  graph: string,
  keywords?: string[],
): SpecFact => ({
  key,
  label,
  level,
  dataset,
  format: "csvWithIso8601tsFirstCol",
  encoding: "plainFileEncoding",
  theme,
  project: "icos",
  type: "StationTimeSeries",
  ...(keywords ? { keywords } : {}),
  graph,
});

/** Specifications only the generated catalogue uses. */
export const EXTRA_SPECS: Readonly<Record<string, SpecFact>> = {
  atcCh4NrtGrowingDataObject: atc(
    "atcCh4NrtGrowingDataObject",
    "ICOS ATC NRT CH4 growing time series",
    1,
    "atcCh4MoleFracTimeSer",
  ),
  atcN2oL2DataObject: atc(
    "atcN2oL2DataObject",
    "ICOS ATC N2O Release",
    2,
    "atcN2oMoleFracTimeSer",
    ["N2O", "concentration"],
  ),
  atcCoL2DataObject: atc("atcCoL2DataObject", "ICOS ATC CO Release", 2, "atcCoMoleFracTimeSer", [
    "CO",
    "concentration",
  ]),
  atcMtoL2DataObject: atc(
    "atcMtoL2DataObject",
    "ICOS ATC Meteo Release",
    2,
    "atcMeteoTimeSer",
    ["meteo"],
  ),
  atcCo2L0DataObject: atc(
    "atcCo2L0DataObject",
    "ICOS ATC CO2 raw instrument data",
    0,
    "atcCo2MoleFracTimeSer",
  ),
  etcNrtFluxes: plain(
    "etcNrtFluxes",
    "ETC NRT Fluxes",
    1,
    "etcNrtFluxDataset",
    "ecosystem",
    "etcnrt",
  ),
  etcNrtMeteo: plain("etcNrtMeteo", "ETC NRT Meteo", 1, "etcMeteoDataset", "ecosystem", "etcnrt"),
  etcArchiveMeteo: plain(
    "etcArchiveMeteo",
    "ETC L2 Meteo",
    2,
    "etcMeteoDataset",
    "ecosystem",
    "etcprodcsv",
    ["meteo"],
  ),
  etcRawMeteo: plain(
    "etcRawMeteo",
    "ETC raw meteo data",
    0,
    "etcMeteoDataset",
    "ecosystem",
    "etcraw",
  ),
  icosOtcL2Product: plain(
    "icosOtcL2Product",
    "ICOS OTC Release",
    2,
    "otcSurfaceDataset",
    "ocean",
    "otcprodcsv",
    ["fCO2", "ocean"],
  ),
  icosOtcNrtProduct: plain(
    "icosOtcNrtProduct",
    "ICOS OTC NRT",
    1,
    "otcSurfaceDataset",
    "ocean",
    "otcprodcsv",
  ),
  icosOtcL3Product: plain(
    "icosOtcL3Product",
    "ICOS OTC gridded surface fCO2 product",
    3,
    "otcSurfaceDataset",
    "ocean",
    "otcprodcsv",
    ["fCO2", "ocean", "gridded"],
  ),
};
