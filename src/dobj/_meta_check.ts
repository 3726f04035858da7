// Private: checks the shape of the landing-page JSON fields that Dobj reads,
// so that hostile or broken metadata fails once, typed, naming the field —
// not later as a TypeError from a getter. Fields Dobj does not read are not
// checked; absent optional fields are fine.

import { UnsupportedFormatError } from "../errors.ts";

type Check = (v: unknown, at: string) => void;

class ShapeError extends Error {}

const fail = (at: string, what: string): never => {
  throw new ShapeError(`${at} is not ${what}`);
};
const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

const str: Check = (v, at) => {
  if (typeof v !== "string") fail(at, "a string");
};
const num: Check = (v, at) => {
  if (typeof v !== "number" || !Number.isFinite(v)) fail(at, "a number");
};
const count: Check = (v, at) => {
  if (typeof v !== "number" || !Number.isSafeInteger(v) || v < 0) fail(at, "a count");
};
// the portal omits absent fields; null is not one of the shapes Dobj reads
const optional = (c: Check): Check => (v, at) => {
  if (v !== undefined) c(v, at);
};
const list = (c: Check): Check => (v, at) => {
  if (!Array.isArray(v)) fail(at, "a list");
  (v as unknown[]).forEach((x, i) => c(x, `${at}[${i}]`));
};
const oneOrMany = (c: Check): Check => (v, at) => Array.isArray(v) ? list(c)(v, at) : c(v, at);
const object = (fields: Record<string, Check>): Check => (v, at) => {
  if (!isObject(v)) fail(at, "an object");
  for (const [k, c] of Object.entries(fields)) c((v as Record<string, unknown>)[k], `${at}.${k}`);
};
const anyObject: Check = (v, at) => {
  if (!isObject(v)) fail(at, "an object");
};

const uriResource = object({ uri: str, label: optional(str) });
const position = object({ lat: optional(num), lon: optional(num), alt: optional(num) });
const station = object({
  id: optional(str),
  org: optional(object({ name: optional(str), self: optional(uriResource) })),
  location: optional(position),
});
const variable = object({
  label: str,
  model: optional(uriResource),
  valueType: optional(object({ self: optional(uriResource), unit: optional(str) })),
  valueFormat: optional(str),
  isFlagFor: optional(list(str)),
});
const series = object({
  acquisition: object({
    station: optional(station),
    samplingPoint: optional(position),
    samplingHeight: optional(num),
  }),
  nRows: optional(count),
  columns: optional(list(variable)),
});
const spatial = object({
  spatial: anyObject,
  station: optional(station),
  samplingHeight: optional(num),
  variables: optional(list(variable)),
});

const dataObject = object({
  hash: str,
  pid: optional(str),
  doi: optional(str),
  fileName: optional(str),
  size: optional(count),
  references: optional(object({
    citationString: optional(str),
    citationBibTex: optional(str),
    citationRis: optional(str),
    licence: optional(anyObject),
  })),
  previousVersion: optional(oneOrMany(str)),
  nextVersion: optional(oneOrMany(str)),
  latestVersion: optional(oneOrMany(str)),
  specification: optional(object({
    self: optional(uriResource),
    format: optional(object({ self: uriResource, goodFlagValues: optional(list(str)) })),
    datasetSpec: optional(object({ self: uriResource })),
  })),
  specificInfo: optional((v, at) => {
    if (isObject(v) && "acquisition" in v) series(v, at);
    else if (isObject(v) && "spatial" in v) spatial(v, at);
    else anyObject(v, at);
  }),
});

/**
 * Throws an {@linkcode UnsupportedFormatError} naming the first field of
 * `meta` that Dobj reads and whose type is wrong.
 */
export function checkDataObjectMeta(meta: unknown, uri: string): void {
  try {
    dataObject(meta, "metadata");
  } catch (e) {
    if (!(e instanceof ShapeError)) throw e;
    throw new UnsupportedFormatError(`Metadata of ${uri} is not a data object: ${e.message}`);
  }
}
