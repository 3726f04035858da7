// Private: real ICOS station facts (ids, names, places, classes, PIs) and
// the people and organisations they name, as plain data.

/** A station with its real facts. */
export interface StationFact {
  /** Local name under `resources/stations/`, e.g. `AS_GAT`. */
  readonly key: string;
  /** Station id, e.g. `GAT`. */
  readonly id: string;
  /** Station name, e.g. `Gartow`. */
  readonly name: string;
  /** ICOS station class in the ontology: atmosphere, ecosystem or ocean. */
  readonly theme: "AS" | "ES" | "OS";
  /** Latitude, WGS-84 degrees. */
  readonly lat: number;
  /** Longitude, WGS-84 degrees. */
  readonly lon: number;
  /** Elevation above sea level in metres. */
  readonly elevation?: number;
  /** ISO 3166-1 alpha-2 country code. */
  readonly country: string;
  /** ICOS station class. */
  readonly stationClass: "1" | "2" | "Associated";
  /** WMO WIGOS id (atmosphere stations). */
  readonly wigosId?: string;
  /** Date of ICOS labelling, `YYYY-MM-DD`. */
  readonly labelingDate?: string;
  /** Time zone offset from UTC in hours. */
  readonly timeZoneOffset?: number;
  /** Local name of the responsible organization. */
  readonly responsibleOrg?: string;
  /** Person key of the (synthetic) principal investigator. */
  readonly pi: string;
}

export const STATIONS: readonly StationFact[] = [
  {
    key: "AS_GAT",
    id: "GAT",
    name: "Gartow",
    theme: "AS",
    lat: 53.0657,
    lon: 11.4429,
    elevation: 70.0,
    country: "DE",
    stationClass: "1",
    wigosId: "0-20008-0-GAT",
    labelingDate: "2017-11-17",
    timeZoneOffset: 1,
    responsibleOrg: "MOHp",
    pi: "Alex_Example",
  },
  {
    key: "AS_HTM",
    id: "HTM",
    name: "Hyltemossa",
    theme: "AS",
    lat: 56.0976,
    lon: 13.4189,
    elevation: 115.0,
    country: "SE",
    stationClass: "1",
    wigosId: "0-20008-0-HTM",
    labelingDate: "2018-04-20",
    timeZoneOffset: 1,
    responsibleOrg: "CEC",
    pi: "Sam_Sample",
  },
  {
    key: "AS_NOR",
    id: "NOR",
    name: "Norunda",
    theme: "AS",
    lat: 60.0864,
    lon: 17.4794,
    elevation: 46.0,
    country: "SE",
    stationClass: "1",
    wigosId: "0-20008-0-NOR",
    labelingDate: "2018-04-20",
    timeZoneOffset: 1,
    responsibleOrg: "CEC",
    pi: "Sam_Sample",
  },
  {
    key: "AS_ZSF",
    id: "ZSF",
    name: "Zugspitze",
    theme: "AS",
    lat: 47.4165,
    lon: 10.9796,
    elevation: 2666.0,
    country: "DE",
    stationClass: "2",
    wigosId: "0-20008-0-ZSF",
    labelingDate: "2021-05-25",
    timeZoneOffset: 1,
    pi: "Robin_Model",
  },
  {
    key: "ES_SE-Htm",
    id: "SE-Htm",
    name: "Hyltemossa",
    theme: "ES",
    lat: 56.09763,
    lon: 13.41897,
    elevation: 115.0,
    country: "SE",
    stationClass: "2",
    labelingDate: "2018-04-19",
    timeZoneOffset: 1,
    pi: "Kim_Placeholder",
  },
  {
    key: "OS_1199",
    id: "1199",
    name: "BE-FOS-Thornton Buoy",
    theme: "OS",
    lat: 51.57989,
    lon: 2.993217,
    country: "BE",
    stationClass: "1",
    labelingDate: "2018-10-30",
    responsibleOrg: "vliz",
    pi: "Robin_Model",
  },
];

/** Synthetic people (PIs and authors); clearly fictional names. */
export const PEOPLE: Readonly<Record<string, { first: string; last: string; email: string }>> = {
  Alex_Example: { first: "Alex", last: "Example", email: "alex.example@emulator.invalid" },
  Sam_Sample: { first: "Sam", last: "Sample", email: "sam.sample@emulator.invalid" },
  Robin_Model: { first: "Robin", last: "Model", email: "robin.model@emulator.invalid" },
  Kim_Placeholder: { first: "Kim", last: "Placeholder", email: "kim.placeholder@emulator.invalid" },
};

/** Organizations (local names under `resources/organizations/`). */
export const ORGS: Readonly<Record<string, { name: string; label: string }>> = {
  ATC: { name: "Atmosphere Thematic Centre", label: "ICOS ATC" },
  ETC: { name: "Ecosystem Thematic Centre", label: "ICOS ETC" },
  CP: { name: "Carbon Portal", label: "ICOS CP" },
  MOHp: { name: "Hohenpeißenberg Meteorological Observatory", label: "MOHp" },
  CEC: { name: "Centre for Environmental and Climate Science, Lund University", label: "CEC" },
  vliz: { name: "Flanders Marine Institute", label: "VLIZ" },
};
