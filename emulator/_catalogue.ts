// Private: the large generated catalogue behind `startEmulator({ objects: N })`:
// hundreds of synthetic stations in many countries, several specifications per
// theme and level, yearly releases, growing NRT objects, deprecated versions,
// keywords and collections with DOIs. Deterministic for a seed. Only metadata
// stay in memory: each object's file (a small table) is rendered again when
// asked for, and its id is the SHA-256 of those bytes, as on the portal.

import { createHash } from "node:crypto";
import { encodeCpb } from "@icoscp/icoscp/codecs";
import { DATASETS, SPECS, type StationFact, VALUE_FORMATS } from "./_catalog.ts";
import { PEOPLE } from "./_station_facts.ts";
import { base64url, idOfHash } from "./_hash.ts";
import { type Prng, prng, subSeed } from "./_prng.ts";
import { zipStored } from "./_zip.ts";
import type { DatasetCollection, DatasetColumn, DatasetObject } from "./dataset.ts";

const DAY = 86_400_000;
const ENCODER = new TextEncoder();
/** `Date.toISOString()` without a zero fraction, without a Date (years 1000–9999). */
const iso = (t: number) => {
  const ms = ((t % DAY) + DAY) % DAY;
  const s = Math.floor(ms / 1000);
  const frac = ms % 1000;
  return `${day(t)}T${pad2(Math.floor(s / 3600))}:${pad2(Math.floor(s / 60) % 60)}:${pad2(s % 60)}${
    frac ? `.${String(frac).padStart(3, "0")}` : ""
  }Z`;
};
const pad2 = (n: number) => (n < 10 ? "0" : "") + n;

/** `YYYY-MM-DD` of a time, without a Date (the tables have many rows). */
function day(t: number): string {
  // days since 1970-01-01 to a civil date (H. Hinnant's algorithm)
  const z = Math.floor(t / DAY) + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return `${y}-${pad2(m)}-${pad2(d)}`;
}

/** Countries of the generated stations: ISO code, centre latitude and longitude, spread. */
const COUNTRIES: readonly [string, number, number, number][] = [
  ["DE", 51.2, 10.4, 2.5],
  ["SE", 60.1, 15.6, 4],
  ["FI", 63.5, 26.0, 3.5],
  ["FR", 46.6, 2.4, 3],
  ["IT", 42.8, 12.5, 2.5],
  ["NL", 52.2, 5.5, 0.8],
  ["BE", 50.6, 4.6, 0.6],
  ["DK", 56.0, 9.5, 1],
  ["NO", 61.5, 9.0, 3.5],
  ["ES", 40.2, -3.6, 3],
  ["PT", 39.6, -8.0, 1.5],
  ["CH", 46.8, 8.2, 0.8],
  ["AT", 47.6, 14.1, 1.2],
  ["CZ", 49.8, 15.5, 1.2],
  ["PL", 52.1, 19.4, 2],
  ["GB", 53.5, -1.8, 2.5],
  ["IE", 53.3, -8.0, 1],
  ["HU", 47.1, 19.4, 1.2],
  ["GR", 39.1, 22.9, 1.5],
  ["EE", 58.7, 25.0, 0.8],
  ["LV", 56.9, 24.6, 0.8],
  ["LT", 55.3, 23.9, 0.8],
  ["SK", 48.7, 19.7, 0.8],
  ["SI", 46.1, 14.8, 0.5],
  ["HR", 45.1, 15.2, 1],
  ["RO", 45.9, 24.9, 2],
  ["BG", 42.7, 25.5, 1.2],
  ["IS", 64.9, -18.6, 1.5],
  ["CY", 35.0, 33.2, 0.4],
  ["LU", 49.8, 6.1, 0.2],
];

const SYLLABLES = [
  "ka",
  "lo",
  "ber",
  "sten",
  "ha",
  "vik",
  "mo",
  "ra",
  "dal",
  "ne",
  "tor",
  "si",
  "lun",
  "gar",
  "em",
  "vel",
  "au",
  "ri",
  "os",
  "fen",
];

/** Which specs a station of a theme gets, and with what probability. */
const THEME_SPECS: Readonly<Record<string, readonly [string, number][]>> = {
  AS: [
    ["atcCo2L2DataObject", 1],
    ["atcCh4L2DataObject", 0.8],
    ["atcCo2NrtGrowingDataObject", 1],
    ["atcCh4NrtGrowingDataObject", 0.8],
    ["atcN2oL2DataObject", 0.3],
    ["atcCoL2DataObject", 0.4],
    ["atcMtoL2DataObject", 0.6],
    ["atcCo2L0DataObject", 0.3],
  ],
  ES: [
    ["etcFluxnetProduct", 1],
    ["etcArchiveMeteo", 0.7],
    ["etcNrtFluxes", 0.8],
    ["etcNrtMeteo", 0.6],
    ["etcRawMeteo", 0.3],
  ],
  OS: [["icosOtcL2Product", 1], ["icosOtcNrtProduct", 0.7], ["icosOtcL3Product", 0.3]],
};

const HEIGHTS = [10, 20, 30, 50, 100, 150, 200, 300];
const LAST_YEAR = 2024;
/** Typical value and spread of a value type, for the synthetic tables. */
const TYPICAL: Readonly<Record<string, [number, number]>> = {
  co2MixingRatio: [415, 8],
  ch4MixingRatioPpb: [1960, 30],
  n2oMixingRatioPpb: [336, 1],
  coMixingRatioPpb: [120, 25],
  moleFractionSdPpm: [0.15, 0.05],
  moleFractionSdPpb: [1.5, 0.5],
  airTempCelsius: [8, 9],
  relativeHumidity: [75, 12],
  windSpeed: [4, 2],
  fco2Water: [380, 25],
  seaSurfaceTemp: [12, 5],
  salinity: [34, 1],
  netEcosystemExchange: [-2, 5],
  sensibleHeatFlux: [50, 60],
  latentHeatFlux: [40, 40],
  grossPrimaryProduction: [5, 4],
  ecosystemRespiration: [3, 2],
  incomingSwRadiation: [150, 120],
  vapourPressureDeficit: [5, 4],
};

/** One generated object before its id is known. */
interface Plan {
  spec: string;
  station: StationFact;
  height?: number;
  from: number;
  to: number;
  /** Step between rows, ms. */
  step: number;
  release: string;
  submitted: number;
  fileName: string;
  keywords?: string[];
  /** Index of the plan this one replaces. */
  replaces?: number;
}

/** The generated part of a dataset. */
export interface GeneratedCatalogue {
  readonly stations: readonly StationFact[];
  readonly objects: readonly DatasetObject[];
  readonly collections: readonly DatasetCollection[];
}

function stationName(r: Prng): string {
  const n = 2 + r.int(2);
  let s = "";
  for (let i = 0; i < n; i++) s += SYLLABLES[r.int(SYLLABLES.length)];
  return s[0].toUpperCase() + s.slice(1);
}

function letters(i: number, n: number): string {
  let s = "";
  for (let k = 0; k < n; k++) {
    s = String.fromCharCode(65 + (i % 26)) + s;
    i = Math.floor(i / 26);
  }
  return s;
}

const TAKEN = new Set(["GAT", "HTM", "NOR", "ZSF", "SE-Htm", "1199"]);
const THEMES_CYCLE = ["AS", "ES", "AS", "ES", "OS", "AS", "ES"] as const;

function makeStation(i: number, seed: number): StationFact {
  const r = prng(subSeed(seed, `station/${i}`));
  const theme = THEMES_CYCLE[i % THEMES_CYCLE.length];
  const [country, lat0, lon0, spread] = COUNTRIES[r.int(COUNTRIES.length)];
  const name = stationName(r);
  let id: string;
  if (theme === "AS") id = letters(i * 7 + 3 * 26 * 26 + 11, 3);
  else if (theme === "ES") id = `${country}-${name.slice(0, 3)}${letters(i, 1).toLowerCase()}`;
  else id = String(3000 + i);
  if (TAKEN.has(id)) id = `${id}${i}`;
  const people = Object.keys(PEOPLE);
  const lat = Math.round((lat0 + (r.next() * 2 - 1) * spread) * 1e4) / 1e4;
  const lon = Math.round((lon0 + (r.next() * 2 - 1) * spread * 1.5) * 1e4) / 1e4;
  return {
    key: `${theme}_${id}`,
    id,
    name: theme === "OS" ? `${country}-${name} ${["Buoy", "Line", "Station"][r.int(3)]}` : name,
    theme,
    lat,
    lon,
    elevation: theme === "OS" ? undefined : Math.round(r.next() * (r.next() < 0.1 ? 2500 : 600)),
    country,
    stationClass: (["1", "2", "Associated"] as const)[r.int(3)],
    ...(theme === "AS" ? { wigosId: `0-20008-0-${id}` } : {}),
    labelingDate: `${2016 + r.int(7)}-0${1 + r.int(9)}-1${r.int(9)}`,
    timeZoneOffset: Math.round(lon / 15),
    pi: people[r.int(people.length)],
  };
}

function gasOf(spec: string): string {
  const m = /^atc(Co2|Ch4|N2o|Co|Mto)/.exec(spec);
  return m ? m[1].toUpperCase() : "";
}

/** The plans of one station: yearly releases (some with an older version) and NRT objects. */
function stationPlans(st: StationFact, seed: number, out: Plan[], limit: number): void {
  const r = prng(subSeed(seed, `plans/${st.key}`));
  const first = 2012 + r.int(10);
  const heights: (number | undefined)[] = st.theme === "AS"
    ? HEIGHTS.filter(() => r.next() < 0.3).slice(0, 3)
    : [undefined];
  if (st.theme === "AS" && heights.length === 0) heights.push(HEIGHTS[r.int(HEIGHTS.length)]);
  for (const [spec, p] of THEME_SPECS[st.theme]) {
    if (r.next() >= p) continue;
    const level = SPECS[spec].level;
    for (const h of heights) {
      const hText = h === undefined ? "" : `_${h.toFixed(1)}`;
      if (level === 1) {
        if (out.length >= limit) return;
        const from = Date.UTC(2025, 0, 1);
        const to = from + (30 + r.int(120)) * DAY;
        const older = r.next() < 0.4 && out.length + 1 < limit;
        const name = (t: number) =>
          st.theme === "AS"
            ? `ICOS_ATC_NRT_${st.id}_${iso(from).slice(0, 10)}_${iso(t).slice(0, 10)}${hText}_${
              gasOf(spec)
            }.zip`
            : `${st.theme === "ES" ? "ICOSETC" : "ICOSOTC"}_${st.id}_${spec.slice(3)}_NRT_${
              iso(t).slice(0, 10)
            }.csv`;
        if (older) {
          const to0 = to - 14 * DAY;
          out.push({
            spec,
            station: st,
            height: h,
            from,
            to: to0,
            step: 7 * DAY,
            release: "NRT",
            submitted: to0 + DAY / 2,
            fileName: name(to0),
          });
        }
        out.push({
          spec,
          station: st,
          height: h,
          from,
          to,
          step: 7 * DAY,
          release: "NRT",
          submitted: to + DAY / 2,
          fileName: name(to),
          ...(older ? { replaces: out.length - 1 } : {}),
        });
        continue;
      }
      if (spec === "etcFluxnetProduct") {
        // one archive over the station's whole record, as the portal's FLUXNET products
        if (out.length >= limit) return;
        out.push({
          spec,
          station: st,
          height: h,
          from: Date.UTC(first, 0, 1),
          to: Date.UTC(LAST_YEAR + 1, 0, 1),
          step: 30 * DAY,
          release: "L2-2024.1",
          submitted: Date.UTC(LAST_YEAR, 8, 1 + r.int(28), r.int(24)),
          fileName: `ICOSETC_${st.id}_FLUXNET_${first}-${LAST_YEAR}_L2-2024.1.csv`,
        });
        continue;
      }
      for (let y = first; y <= LAST_YEAR; y++) {
        if (out.length >= limit) return;
        const from = Date.UTC(y, 0, 1);
        const to = Date.UTC(y + 1, 0, 1) - 3_600_000;
        const keywords: string[] = [];
        if (st.theme === "ES" && y === 2018) keywords.push("drought 2018");
        if (st.theme === "ES" && y === 2020) keywords.push("Warm Winter 2020");
        if (st.theme === "AS" && level === 2 && r.next() < 0.1) keywords.push("ObsPack");
        const name = (release: string) =>
          st.theme === "AS"
            ? `ICOS_ATC_L${level}_${release}_${st.id}${hText}_${y}_${gasOf(spec)}.zip`
            : `${st.theme === "ES" ? "ICOSETC" : "ICOSOTC"}_${st.id}_${spec}_${y}_${release}.csv`;
        const older = level === 2 && y <= 2022 && r.next() < 0.2 && out.length + 1 < limit;
        const submittedLatest = Date.UTC(Math.min(y + 1, LAST_YEAR), 5, 1 + r.int(28), r.int(24));
        if (older) {
          out.push({
            spec,
            station: st,
            height: h,
            from,
            to,
            step: 30 * DAY,
            release: "L2-2023.1",
            submitted: Date.UTC(Math.min(y + 1, 2023), 2, 1 + r.int(28), r.int(24)),
            fileName: name("L2-2023.1"),
            ...(keywords.length ? { keywords } : {}),
          });
        }
        const release = level === 2 ? "L2-2024.1" : level === 0 ? "RAW" : "L3-2024.1";
        out.push({
          spec,
          station: st,
          height: h,
          from,
          to,
          step: 30 * DAY,
          release,
          submitted: older ? Date.UTC(2024, 5, 14, r.int(24)) : submittedLatest,
          fileName: name(release),
          ...(keywords.length ? { keywords } : {}),
          ...(older ? { replaces: out.length - 1 } : {}),
        });
      }
    }
  }
}

/** The table of a plan: its text (CSV, `#` header) and its columns sorted by label. */
function render(
  plan: Plan,
  seed: number,
): { bytes: Uint8Array; columns: DatasetColumn[]; rows: number };
function render(plan: Plan, seed: number, columns: false): { bytes: Uint8Array; rows: number };
function render(
  plan: Plan,
  seed: number,
  withColumns = true,
): { bytes: Uint8Array; columns?: DatasetColumn[]; rows: number } {
  const sp = SPECS[plan.spec];
  const facts = DATASETS[sp.dataset].columns;
  const rows = Math.max(1, Math.floor((plan.to - plan.from) / plan.step) + 1);
  const r = prng(subSeed(seed, `table/${plan.fileName}/${plan.release}`));
  // the values as the .cpb holds them; only the text when just the bytes are wanted
  const values = facts.map((f) => {
    if (!withColumns) return undefined;
    const type = VALUE_FORMATS[f.valueFormat].cpb;
    const arr = type === "DOUBLE"
      ? new Float64Array(rows)
      : type === "FLOAT"
      ? new Float32Array(rows)
      : type === "INT"
      ? new Int32Array(rows)
      : new Uint16Array(rows);
    return arr;
  });
  const lines = [
    `# ${sp.label} (synthetic, generated by the icoscp emulator)`,
    `# STATION: ${plan.station.id} ${plan.station.name}`,
    ...(plan.height === undefined ? [] : [`# SAMPLING HEIGHT: ${plan.height} m`]),
    `# RELEASE: ${plan.release}`,
    facts.map((f) => f.title).join(","),
  ];
  for (let i = 0; i < rows; i++) {
    const t = plan.from + i * plan.step;
    const cells: string[] = [];
    facts.forEach((f, k) => {
      const arr = values[k];
      if (f.valueFormat === "iso8601dateTime") {
        if (arr) arr[i] = t;
        cells.push(`${day(t)}T00:00:00Z`);
      } else if (f.valueFormat === "etcLocalDateTime") {
        const text = `${day(t).replaceAll("-", "")}0000`;
        if (arr) arr[i] = Number(text);
        cells.push(String(Number(text)));
      } else if (f.valueFormat === "bmpChar") {
        const flag = sp.theme === "atmosphere" ? "O" : "0";
        if (arr) arr[i] = flag.charCodeAt(0);
        cells.push(flag);
      } else if (f.valueFormat === "int32") {
        const v = 8 + r.int(5);
        if (arr) arr[i] = v;
        cells.push(String(v));
      } else {
        const [mean, sd] = TYPICAL[f.valueType] ?? [0, 1];
        const text = (mean + sd * r.normal()).toFixed(3);
        if (arr) arr[i] = Number(text);
        cells.push(text);
      }
    });
    lines.push(cells.join(","));
  }
  const csv = ENCODER.encode(lines.join("\n") + "\n");
  const bytes = sp.encoding === "zipEncoding"
    ? zipStored([{
      name: plan.fileName.replace(/\.zip$/, ".csv"),
      data: csv,
      time: new Date(plan.submitted),
    }])
    : csv;
  if (!withColumns) return { bytes, rows };
  const columns = facts.map((f, k) => ({
    label: f.title,
    model: f.key,
    valueFormat: f.valueFormat,
    type: VALUE_FORMATS[f.valueFormat].cpb,
    flagFor: [] as string[],
    values: values[k]!,
  })).sort((a, b) => a.label < b.label ? -1 : a.label > b.label ? 1 : 0);
  return { bytes, columns, rows };
}

/**
 * Generates `n` objects (with their stations and collections) for a seed.
 * About 100 objects per station, so 50 000 objects come from ~500 stations.
 */
export function generateCatalogue(n: number, seed: number): GeneratedCatalogue {
  if (!Number.isInteger(n) || n < 0) {
    throw new RangeError(`objects must be a non-negative integer, not ${n}`);
  }
  const stations: StationFact[] = [];
  const plans: Plan[] = [];
  while (plans.length < n) {
    const st = makeStation(stations.length, seed);
    stations.push(st);
    stationPlans(st, seed, plans, n);
  }
  // distinct submission times (a second apart at most), so that every order is total
  plans.forEach((p, i) => (p.submitted += (i % 3600) * 1000));
  const objects: (DatasetObject & { nextVersion?: string; previousVersion?: string })[] = [];
  const hashes: Uint8Array[] = [];
  for (const plan of plans) {
    const { bytes, rows } = render(plan, seed, false);
    const hashBytes = new Uint8Array(createHash("sha256").update(bytes).digest());
    hashes.push(hashBytes);
    const id = idOfHash(hashBytes);
    const sp = SPECS[plan.spec];
    const year = iso(plan.submitted).slice(0, 4);
    const people = PEOPLE[plan.station.pi];
    const where = plan.height === undefined
      ? plan.station.name
      : `${plan.station.name} (${plan.height.toFixed(1)} m)`;
    const o: DatasetObject = {
      id,
      hash: base64url(hashBytes),
      kind: "data",
      fileName: plan.fileName,
      size: bytes.length,
      spec: plan.spec,
      station: plan.station.key,
      samplingHeight: plan.height,
      start: iso(plan.from),
      end: iso(plan.to),
      submitted: { start: iso(plan.submitted - 60_000), end: iso(plan.submitted) },
      nRows: rows,
      get columns() {
        return render(plan, seed).columns;
      },
      licence: "icos",
      citation: `${people.last}, ${people.first[0]}. (${year}). ${sp.label}, ${where}, ${
        iso(plan.from).slice(0, 10)
      }–${iso(plan.to).slice(0, 10)}, ICOS RI, https://hdl.handle.net/11676/${id}`,
      authors: [plan.station.pi],
      ...(plan.keywords ? { keywords: plan.keywords } : {}),
      file: () => render(plan, seed, false).bytes,
      cpb: () =>
        encodeCpb(render(plan, seed).columns.map((c) => ({ type: c.type, values: c.values }))),
    };
    objects.push(o);
  }
  plans.forEach((plan, i) => {
    if (plan.replaces === undefined) return;
    objects[plan.replaces].nextVersion = objects[i].id;
    objects[i].previousVersion = objects[plan.replaces].id;
  });
  return { stations, objects, collections: collectionsOf(objects, hashes, stations) };
}

/** Collections with DOIs: the latest yearly releases of an L2 spec in a country (up to 24). */
function collectionsOf(
  objects: readonly DatasetObject[],
  hashes: readonly Uint8Array[],
  stations: readonly StationFact[],
): DatasetCollection[] {
  const country = new Map(stations.map((s) => [s.key, s.country]));
  const groups = new Map<string, number[]>();
  objects.forEach((o, i) => {
    if (o.nextVersion || SPECS[o.spec!].level !== 2) return;
    const key = `${o.spec}|${country.get(o.station!)}`;
    const g = groups.get(key);
    if (g) g.push(i);
    else groups.set(key, [i]);
  });
  const out: DatasetCollection[] = [];
  for (const [key, members] of [...groups].filter(([, m]) => m.length >= 3).slice(0, 24)) {
    const [spec, cc] = key.split("|");
    const sorted = members.map((i) => hashes[i]).sort((a, b) => {
      for (let k = 0; k < 32; k++) if (a[k] !== b[k]) return a[k] - b[k];
      return 0;
    });
    const h = createHash("sha256");
    for (const m of sorted) h.update(m);
    const hashBytes = new Uint8Array(h.digest());
    const id = idOfHash(hashBytes);
    const doi = `10.18160/EMU-${id.slice(0, 4).toUpperCase()}`;
    const title = `${SPECS[spec].label}, all stations in ${cc} (emulated)`;
    out.push({
      id,
      hash: base64url(hashBytes),
      title,
      description: `The latest yearly ${
        SPECS[spec].label
      } objects of the generated stations in ${cc}.`,
      doi,
      citation: `ICOS RI (2024). ${title}, ICOS RI, https://doi.org/${doi}`,
      members: members.map((i) => objects[i].id),
    });
  }
  return out;
}
