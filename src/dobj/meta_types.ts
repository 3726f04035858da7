/**
 * Types of the portal's landing-page metadata JSON (docs/protocol.md §2):
 * what `GET <landing page>` with `Accept: application/json` returns. Optional
 * fields are omitted by the server when empty; "one or many" fields are a
 * bare value when single and an array otherwise.
 *
 * @module
 */

/** A bare value when there is one, an array when there are several. */
export type OneOrMany<T> = T | T[];

/** A resource with its URI and an optional label. */
export interface UriResource {
  /** The resource's URI. */
  uri: string;
  /** Its human-readable label. */
  label?: string;
  /** Free-text comments. */
  comments?: string[];
}

/** An organization (also the `org` of a station). */
export interface Organization {
  /** The organization's URI and label. */
  self: UriResource;
  /** Its name. */
  name: string;
  /** Contact email. */
  email?: string;
  /** Website. */
  website?: string;
}

/** A person. */
export interface Person {
  /** The person's URI. */
  self: UriResource;
  /** First name. */
  firstName: string;
  /** Last name. */
  lastName: string;
  /** Email. */
  email?: string;
  /** ORCID, short form (`0000-0002-8985-7742`). */
  orcid?: string;
}

/** An author or contributor: an organization or a person (persons have `firstName`). */
export type Agent = Organization | Person;

/** A point: latitude and longitude in degrees, altitude in metres. */
export interface Position {
  /** Latitude, degrees north. */
  lat: number;
  /** Longitude, degrees east. */
  lon: number;
  /** Altitude, metres. */
  alt?: number;
  /** Label. */
  label?: string;
  /** URI. */
  uri?: string;
}

/** A geographic feature tagged by `_type`, with its GeoJSON in `geo`. */
export interface GeoFeature {
  /** The feature class: Position, LatLonBox, GeoTrack, Polygon, Circle, Pin, FeatureCollection, FeatureWithGeoJson. */
  _type?: string;
  /** GeoJSON of the feature. */
  geo?: Record<string, unknown>;
  /** Other fields of the feature class. */
  [field: string]: unknown;
}

/** A document or object referred to by URI and hash. */
export interface PlainStaticObject {
  /** Its landing page URI. */
  res: string;
  /** Its SHA-256, base64url. */
  hash: string;
  /** Its file name. */
  name: string;
}

/** A station (nested in an acquisition, or its own landing page). */
export interface StationMeta {
  /** The station as organization: `org.self.uri` is the station URI, `org.name` its name. */
  org: Organization;
  /** Station id, e.g. `GAT`, `SE-Htm`. */
  id: string;
  /** Location. */
  location?: Position;
  /** Spatial coverage. */
  coverage?: GeoFeature;
  /** Responsible organization. */
  responsibleOrganization?: Organization;
  /** Picture URLs. */
  pictures: string[];
  /** Theme-specific facts, tagged by `_type` (`atc`, `etc`, `otc`, `sites`, `cities`), or `{}`. */
  specificInfo: Record<string, unknown>;
  /** ISO 3166 alpha-2 country code. */
  countryCode?: string;
  /** Funding. */
  funding?: Record<string, unknown>[];
  /** Networks. */
  networks?: { self: UriResource; website?: string }[];
}

/** One column of a tabular data object. */
export interface VarMeta {
  /** The dataset column this column instantiates. */
  model: UriResource;
  /** The column's name in the file. */
  label: string;
  /** Value type, with quantity kind and unit. */
  valueType: { self: UriResource; quantityKind?: UriResource; unit?: string };
  /** Value format URI (`…/cpmeta/float32`, `…/iso8601dateTime`, …). */
  valueFormat?: string;
  /** Model URIs of the columns this flag column qualifies. */
  isFlagFor?: string[];
  /** Minimum and maximum. */
  minMax?: [number, number];
  /** Instrument deployments. */
  instrumentDeployments?: Record<string, unknown>[];
}

/** The acquisition of a station time series. */
export interface Acquisition {
  /** The station. */
  station: StationMeta;
  /** The site within the station. */
  site?: Record<string, unknown>;
  /** Acquisition interval (ISO instants). */
  interval?: { start: string; stop: string };
  /** Instruments. */
  instrument?: OneOrMany<UriResource>;
  /** Sampling point. */
  samplingPoint?: Position;
  /** Sampling height, metres. */
  samplingHeight?: number;
}

/** How an object was produced. */
export interface DataProduction {
  /** Creator. */
  creator: Agent;
  /** Contributors. */
  contributors: Agent[];
  /** Host organization. */
  host?: Organization;
  /** Comment. */
  comment?: string;
  /** Source objects. */
  sources?: PlainStaticObject[];
  /** Documentation. */
  documentation?: PlainStaticObject;
  /** Production time (ISO instant). */
  dateTime: string;
}

/** `specificInfo` of a station-specific time series. */
export interface StationTimeSeriesMeta {
  /** The acquisition. */
  acquisition: Acquisition;
  /** Production. */
  productionInfo?: DataProduction;
  /** Number of table rows. */
  nRows?: number;
  /** Coverage. */
  coverage?: GeoFeature;
  /** The previewable columns. */
  columns?: VarMeta[];
}

/** `specificInfo` of a spatio-temporal object. */
export interface SpatioTemporalMeta {
  /** Title. */
  title: string;
  /** Description. */
  description?: string;
  /** Spatial coverage. */
  spatial: GeoFeature;
  /** Temporal coverage. */
  temporal: { interval: { start: string; stop: string }; resolution?: string };
  /** Station, if any. */
  station?: StationMeta;
  /** Sampling height, metres. */
  samplingHeight?: number;
  /** Production. */
  productionInfo: DataProduction;
  /** Variables. */
  variables?: VarMeta[];
}

/** A licence. */
export interface Licence {
  /** Licence URI. */
  url: string;
  /** Name. */
  name: string;
  /** Web page. */
  webpage: string;
  /** The licence this one builds on. */
  baseLicence?: string;
}

/** Citation, licence and authorship of an object or collection. */
export interface References {
  /** Plain-text citation. */
  citationString?: string;
  /** BibTeX citation. */
  citationBibTex?: string;
  /** RIS citation. */
  citationRis?: string;
  /** Keywords. */
  keywords?: string[];
  /** Authors. */
  authors?: Agent[];
  /** Title. */
  title?: string;
  /** Temporal coverage, for display. */
  temporalCoverageDisplay?: string;
  /** Acknowledgements. */
  acknowledgements?: string[];
  /** Licence. */
  licence?: Licence;
  /** DataCite metadata (opaque). */
  doi?: Record<string, unknown>;
}

/** The data object specification (data type). */
export interface DataObjectSpec {
  /** The spec's URI and label. */
  self: UriResource;
  /** Project. */
  project: { self: UriResource; keywords?: string[] };
  /** Theme. */
  theme: { self: UriResource; icon?: string; markerIcon?: string };
  /** Format, with the flag values that mean good data. */
  format: { self: UriResource; goodFlagValues?: string[]; uri?: string };
  /** Encoding. */
  encoding: UriResource;
  /** Data level 0–3. */
  dataLevel: number;
  /** `StationTimeSeries` or `SpatioTemporal`. */
  specificDatasetType: string;
  /** Dataset spec. */
  datasetSpec?: { self: UriResource; resolution?: string };
  /** Documentation. */
  documentation: PlainStaticObject[];
  /** Keywords. */
  keywords?: string[];
}

/** The landing-page metadata of a data object. */
export interface DataObjectMeta {
  /** SHA-256, base64url (43 characters). */
  hash: string;
  /** Download URL. */
  accessUrl?: string;
  /** Persistent identifier `11676/<id>`. */
  pid?: string;
  /** DOI. */
  doi?: string;
  /** File name. */
  fileName: string;
  /** Size in bytes. */
  size?: number;
  /** Submission. */
  submission: { submitter: Organization; start: string; stop?: string };
  /** Specification (absent for document objects). */
  specification: DataObjectSpec;
  /** Station time series or spatio-temporal specifics. */
  specificInfo: StationTimeSeriesMeta | SpatioTemporalMeta;
  /** Previous version(s). */
  previousVersion?: OneOrMany<string>;
  /** Next version(s). */
  nextVersion?: OneOrMany<string>;
  /** Latest version(s) (itself when there is no newer one). */
  latestVersion: OneOrMany<string>;
  /** Collections that contain the object. */
  parentCollections: UriResource[];
  /** Citation and licence. */
  references: References;
  /** GeoJSON of the overall coverage. */
  coverageGeo?: Record<string, unknown>;
}
