// Private: the fixed part of the emulator's metadata — the real names of
// specifications, dataset columns, value types, formats, themes and projects
// (docs/protocol.md §5.2), written here as plain data (the station facts are
// in _station_facts.ts). Resource names are local names: the emulator puts them under its own
// `<url>/meta/resources/…`; ontology terms keep their real
// `http://meta.icos-cp.eu/ontologies/cpmeta/` URIs.

import { EXTRA_DATASETS, EXTRA_SPECS, EXTRA_VALUE_TYPES } from "./_catalogue_facts.ts";
export type { StationFact } from "./_station_facts.ts";

/** The real ontology namespace. */
export const CPMETA = "http://meta.icos-cp.eu/ontologies/cpmeta/";

/** A value type (`resources/cpmeta/<key>`). */
export interface ValueTypeFact {
  readonly label: string;
  readonly unit?: string;
  readonly quantityKind?: string;
}

const BASE_VALUE_TYPES: Readonly<Record<string, ValueTypeFact>> = {
  timeStamp: { label: "time instant, UTC" },
  timeStampLocalNoDst: { label: "time instant, local non-DST time" },
  co2MixingRatio: {
    label: "CO2 mixing ratio (dry mole fraction)",
    unit: "µmol mol-1",
    quantityKind: "portion",
  },
  ch4MixingRatioPpb: {
    label: "CH4 mixing ratio (dry mole fraction)",
    unit: "nmol mol-1",
    quantityKind: "portion",
  },
  moleFractionSdPpm: {
    label: "standard deviation of gas mole fraction",
    unit: "µmol mol-1",
    quantityKind: "portion",
  },
  moleFractionSdPpb: {
    label: "standard deviation of gas mole fraction",
    unit: "nmol mol-1",
    quantityKind: "portion",
  },
  npoints: { label: "number of points", quantityKind: "number" },
  oneLetterFlag: { label: "quality flag" },
  integerQualityFlag: { label: "quality flag (int)" },
  grossPrimaryProduction: {
    label: "gross primary CO2 production",
    unit: "µmol m-2 s-1",
    quantityKind: "particleFlux",
  },
  ecosystemRespiration: {
    label: "ecosystem respiration",
    unit: "µmol m-2 s-1",
    quantityKind: "particleFlux",
  },
  netEcosystemExchange: {
    label: "net ecosystem exchange",
    unit: "µmol m-2 s-1",
    quantityKind: "particleFlux",
  },
  sensibleHeatFlux: { label: "sensible heat flux", unit: "W m-2", quantityKind: "energyFlux" },
  latentHeatFlux: { label: "latent heat flux", unit: "W m-2", quantityKind: "energyFlux" },
  incomingSwRadiation: {
    label: "incoming shortwave radiation",
    unit: "W m-2",
    quantityKind: "energyFlux",
  },
  airTempCelsius: { label: "air temperature", unit: "°C", quantityKind: "temperature" },
  vapourPressureDeficit: {
    label: "vapour pressure deficit",
    unit: "hPa",
    quantityKind: "pressure",
  },
};

export const QUANTITY_KINDS: Readonly<Record<string, string>> = {
  portion: "portion",
  number: "number",
  particleFlux: "particle flux",
  energyFlux: "energy flux",
  temperature: "temperature",
  pressure: "pressure",
};

/** Value formats (ontology local names) and their cpb storage type. */
export const VALUE_FORMATS: Readonly<
  Record<string, { label: string; cpb: "INT" | "FLOAT" | "DOUBLE" | "CHAR" }>
> = {
  float32: { label: "32-bit floating point value", cpb: "FLOAT" },
  int32: { label: "32-bit integer value", cpb: "INT" },
  bmpChar: { label: "Basic Multilingual Plane character", cpb: "CHAR" },
  iso8601dateTime: { label: "ISO 8601 date-time (UTC)", cpb: "DOUBLE" },
  etcLocalDateTime: { label: "ETC local date-time yyyyMMddHHmm", cpb: "DOUBLE" },
};

/** A dataset column (`resources/cpmeta/<key>`). */
export interface ColumnFact {
  readonly key: string;
  readonly title: string;
  readonly label: string;
  readonly valueFormat: string;
  readonly valueType: string;
  /** Column keys this flag column qualifies. */
  readonly flagFor?: readonly string[];
}

const ATC_FLAG_FOR = [
  "co2atcMoleFrac",
  "ch4atcMoleFrac",
  "coAtcMoleFrac",
  "n2oAtcMoleFrac",
  "14C",
  "rn_radon_conc",
];

const col = (
  key: string,
  title: string,
  label: string,
  valueFormat: string,
  valueType: string,
  flagFor?: string[],
): ColumnFact => ({ key, title, label, valueFormat, valueType, flagFor });

const TIMESTAMP = col(
  "timeStampColumn",
  "TIMESTAMP",
  "TIMESTAMP (ISO)",
  "iso8601dateTime",
  "timeStamp",
);
const ATC_COMMON = [
  TIMESTAMP,
  col("flag", "Flag", "Flag", "bmpChar", "oneLetterFlag", ATC_FLAG_FOR),
  col("nbpoints", "NbPoints", "NbPoints", "int32", "npoints"),
];
const etc = (t: string, vt: string, qc = false): ColumnFact[] => [
  col(`etcFluxnet${t}`, t, t, "float32", vt),
  ...(qc
    ? [
      col(`etcFluxnet${t}_QC`, `${t}_QC`, `${t}_QC`, "bmpChar", "integerQualityFlag", [
        `etcFluxnet${t}`,
      ]),
    ]
    : []),
];

/** Dataset specifications (`resources/cpmeta/<key>`) with their columns. */
const BASE_DATASETS: Readonly<Record<string, { label: string; columns: readonly ColumnFact[] }>> = {
  atcCo2MoleFracTimeSer: {
    label: "Atmospheric CO2 mole fraction time series",
    columns: [
      ...ATC_COMMON,
      col("stdevAtcMoleFracPpm", "Stdev", "Stdev (ATC, ppm)", "float32", "moleFractionSdPpm"),
      col("co2atcMoleFrac", "co2", "co2 (ATC, mole fraction, ppm)", "float32", "co2MixingRatio"),
    ],
  },
  atcCh4MoleFracTimeSer: {
    label: "Atmospheric CH4 mole fraction time series",
    columns: [
      ...ATC_COMMON,
      col("stdevAtcMoleFracPpb", "Stdev", "Stdev (ATC, ppb)", "float32", "moleFractionSdPpb"),
      col(
        "ch4atcMoleFrac",
        "ch4",
        "ch4 (ATC, mole fraction, ppb)",
        "float32",
        "ch4MixingRatioPpb",
      ),
    ],
  },
  etcFluxnetDataset: {
    label: "ETC Fluxnet (half-hourly) product",
    columns: [
      TIMESTAMP,
      col(
        "etcTimestampEndCol",
        "TIMESTAMP_END",
        "TIMESTAMP_END",
        "etcLocalDateTime",
        "timeStampLocalNoDst",
      ),
      ...etc("TA_F", "airTempCelsius", true),
      ...etc("SW_IN_F", "incomingSwRadiation", true),
      ...etc("VPD_F", "vapourPressureDeficit", true),
      ...etc("NEE_VUT_REF", "netEcosystemExchange", true),
      ...etc("H_F_MDS", "sensibleHeatFlux", true),
      ...etc("LE_F_MDS", "latentHeatFlux", true),
      ...etc("GPP_NT_VUT_REF", "grossPrimaryProduction"),
      ...etc("GPP_DT_VUT_REF", "grossPrimaryProduction"),
      ...etc("RECO_NT_VUT_REF", "ecosystemRespiration"),
      ...etc("RECO_DT_VUT_REF", "ecosystemRespiration"),
    ],
  },
  inversionModelingSpatialDataset: { label: "Inversion modeling spatial dataset", columns: [] },
  obspackDataset: { label: "ObsPack time series (NetCDF)", columns: [] },
  etcArchiveDataset: { label: "ETC archive (zipped CSV tables)", columns: [] },
};

/** Object formats (ontology local names). */
export const FORMATS: Readonly<Record<string, { label: string; goodFlags: readonly string[] }>> = {
  asciiAtcProductTimeSer: { label: "ICOS ATC time series", goodFlags: ["O", "R", "U"] },
  asciiEtcHalfHourlyProductTimeSer: {
    label: "ICOS ETC half-hourly product CSV",
    goodFlags: ["0", "1"],
  },
  netcdf: { label: "NetCDF (spatial)", goodFlags: [] },
  netcdfTimeSeries: { label: "NetCDF time series", goodFlags: [] },
  zipArchive: { label: "ZIP archive", goodFlags: [] },
  csvWithIso8601tsFirstCol: {
    label: "CSV with ISO 8601 time stamps in the first column",
    goodFlags: [],
  },
  pdf: { label: "PDF", goodFlags: [] },
};

export const ENCODINGS: Readonly<Record<string, string>> = {
  zipEncoding: "zip",
  plainFileEncoding: "plain file",
};

export const THEMES: Readonly<Record<string, { label: string; icon: string; marker?: string }>> = {
  atmosphere: {
    label: "Atmospheric data",
    icon: "https://static.icos-cp.eu/images/themes/atm.svg",
    marker: "https://static.icos-cp.eu/share/stations/icons/as.png",
  },
  ecosystem: {
    label: "Ecosystem data",
    icon: "https://static.icos-cp.eu/images/themes/eco.svg",
    marker: "https://static.icos-cp.eu/share/stations/icons/es.png",
  },
  ocean: {
    label: "Ocean data",
    icon: "https://static.icos-cp.eu/images/themes/oce.svg",
    marker: "https://static.icos-cp.eu/share/stations/icons/os.png",
  },
  other: { label: "Other data", icon: "https://static.icos-cp.eu/images/themes/oth.svg" },
};

export const PROJECTS: Readonly<Record<string, { label: string; keywords: readonly string[] }>> = {
  icos: { label: "ICOS", keywords: ["ICOS"] },
  misc: { label: "Miscellaneous other projects", keywords: [] },
};

/** A data object specification (`resources/cpmeta/<key>`). */
export interface SpecFact {
  readonly key: string;
  readonly label: string;
  readonly level: number;
  readonly dataset: string;
  readonly format: string;
  readonly encoding: string;
  readonly theme: string;
  readonly project: string;
  readonly type: "StationTimeSeries" | "SpatioTemporal";
  readonly keywords?: readonly string[];
  /** Named graph local name (`resources/<graph>/`) of its objects. */
  readonly graph: string;
}

const BASE_SPECS: Readonly<Record<string, SpecFact>> = {
  atcCo2L2DataObject: {
    key: "atcCo2L2DataObject",
    label: "ICOS ATC CO2 Release",
    level: 2,
    dataset: "atcCo2MoleFracTimeSer",
    format: "asciiAtcProductTimeSer",
    encoding: "zipEncoding",
    theme: "atmosphere",
    project: "icos",
    type: "StationTimeSeries",
    keywords: ["CO2", "concentration"],
    graph: "atmprodcsv",
  },
  atcCh4L2DataObject: {
    key: "atcCh4L2DataObject",
    label: "ICOS ATC CH4 Release",
    level: 2,
    dataset: "atcCh4MoleFracTimeSer",
    format: "asciiAtcProductTimeSer",
    encoding: "zipEncoding",
    theme: "atmosphere",
    project: "icos",
    type: "StationTimeSeries",
    keywords: ["CH4", "concentration"],
    graph: "atmprodcsv",
  },
  atcCo2NrtGrowingDataObject: {
    key: "atcCo2NrtGrowingDataObject",
    label: "ICOS ATC NRT CO2 growing time series",
    level: 1,
    dataset: "atcCo2MoleFracTimeSer",
    format: "asciiAtcProductTimeSer",
    encoding: "zipEncoding",
    theme: "atmosphere",
    project: "icos",
    type: "StationTimeSeries",
    graph: "atmprodcsv",
  },
  etcFluxnetProduct: {
    key: "etcFluxnetProduct",
    label: "ICOS ETC Fluxdata Preview Selection",
    level: 2,
    dataset: "etcFluxnetDataset",
    format: "asciiEtcHalfHourlyProductTimeSer",
    encoding: "plainFileEncoding",
    theme: "ecosystem",
    project: "icos",
    type: "StationTimeSeries",
    graph: "etcprodcsv",
  },
  icosObspackCo2: {
    key: "icosObspackCo2",
    label: "ICOS ObsPack CO2 time series",
    level: 2,
    dataset: "obspackDataset",
    format: "netcdfTimeSeries",
    encoding: "plainFileEncoding",
    theme: "atmosphere",
    project: "icos",
    type: "SpatioTemporal",
    keywords: ["CO2", "ObsPack"],
    graph: "netcdf",
  },
  etcArchiveProduct: {
    key: "etcArchiveProduct",
    label: "ETC L2 ARCHIVE",
    level: 2,
    dataset: "etcArchiveDataset",
    format: "zipArchive",
    encoding: "plainFileEncoding",
    theme: "ecosystem",
    project: "icos",
    type: "SpatioTemporal",
    graph: "etcprodcsv",
  },
  inversionModelingSpatial: {
    key: "inversionModelingSpatial",
    label: "Inversion modeling spatial result",
    level: 3,
    dataset: "inversionModelingSpatialDataset",
    format: "netcdf",
    encoding: "plainFileEncoding",
    theme: "other",
    project: "misc",
    type: "SpatioTemporal",
    graph: "netcdf",
  },
};

/** The licences the data service knows. */
export const LICENCES = {
  icos: {
    url: `${CPMETA}icosLicence`,
    name: "ICOS CCBY4 Data Licence",
    webpage: "https://data.icos-cp.eu/licence",
    baseLicence: "https://creativecommons.org/licenses/by/4.0",
  },
  cc0: {
    url: "https://creativecommons.org/publicdomain/zero/1.0/",
    name: "CC0 1.0",
    webpage: "https://creativecommons.org/publicdomain/zero/1.0/",
  },
} as const;

/** Value types: the default dataset's and the generated catalogue's. */
export const VALUE_TYPES: Readonly<Record<string, ValueTypeFact>> = {
  ...BASE_VALUE_TYPES,
  ...EXTRA_VALUE_TYPES,
};

/** Dataset specifications: the default dataset's and the generated catalogue's. */
export const DATASETS: Readonly<Record<string, { label: string; columns: readonly ColumnFact[] }>> =
  { ...BASE_DATASETS, ...EXTRA_DATASETS };

/** Data object specifications: the default dataset's and the generated catalogue's. */
export const SPECS: Readonly<Record<string, SpecFact>> = { ...BASE_SPECS, ...EXTRA_SPECS };

/** Keys of the specs, datasets and value types the default dataset's RDF always lists. */
export const BASE_KEYS: ReadonlySet<string> = new Set([
  ...Object.keys(BASE_SPECS),
  ...Object.keys(BASE_DATASETS),
  ...Object.keys(BASE_VALUE_TYPES),
]);
