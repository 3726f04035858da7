// Private: the STILT concentration time series of the emulator. For every
// existing slot a *raw* STILT output row is generated from a smooth synthetic
// weather (wind, boundary layer) and the station's surface influence; the
// *processed* row served by `stiltresult` is derived from it by the rules of
// docs/protocol.md §7.3 (copies, renames, sums over EDGAR categories, fuels
// and vegetation types, CH4 in ppb), so the components always add up:
// co2.stilt = background + bio + fuel + cement + non_fuel, and so on.

import { stream } from "./_keyed_random.ts";
import { SLOT_SECONDS } from "./_slots.ts";
import type { StiltStationDef } from "./_stations.ts";
import { daylight, dayOfYear, growing, localSolarHour, slotWeather } from "./_weather.ts";

// Relative weights of the anthropogenic CO2 variables, named like STILT's
// output columns: <tracer>.<EDGAR category>.<fuel>_<subtype>, and the plain
// category variables <tracer>.<category>.cement / .others.
const CO2_FUEL_VARS: [string, number][] = [
  ["1a1a.coal_brown", 0.17],
  ["1a1a.coal_hard", 0.10],
  ["1a1a.coal_peat", 0.0002],
  ["1a1a.gas_der", 0.06],
  ["1a1a.gas_nat", 0.25],
  ["1a1a.oil_heavy", 0.003],
  ["1a1a.oil_light", 0.001],
  ["1a1a.solid_waste", 0.01],
  ["1a1a.bio_gas", 0.009],
  ["1a1a.bio_liquid", 0.001],
  ["1a1a.bio_solid", 0.025],
  ["1a1bcr.coal_brown", 0.001],
  ["1a1bcr.coal_hard", 0.005],
  ["1a1bcr.gas_der", 0.018],
  ["1a1bcr.gas_nat", 0.011],
  ["1a1bcr.oil_heavy", 0.011],
  ["1a1bcr.oil_light", 0.001],
  ["1a1bcr.solid_waste", 0.0002],
  ["1a1bcr.bio_solid", 0.0007],
  ["1a2+6cd.coal_brown", 0.003],
  ["1a2+6cd.coal_hard", 0.007],
  ["1a2+6cd.gas_der", 0.013],
  ["1a2+6cd.gas_nat", 0.069],
  ["1a2+6cd.oil_heavy", 0.010],
  ["1a2+6cd.oil_light", 0.028],
  ["1a2+6cd.solid_waste", 0.003],
  ["1a2+6cd.bio_solid", 0.0096],
  ["1a3b.oil_heavy", 0.187],
  ["1a3b.oil_light", 0.115],
  ["1a3ce.oil_heavy", 0.003],
  ["1a3a+1c1.oil_light", 0.030],
  ["1a3d+1c2.oil_heavy", 0.004],
  ["1a4.coal_brown", 0.005],
  ["1a4.coal_hard", 0.014],
  ["1a4.gas_nat", 0.110],
  ["1a4.oil_heavy", 0.020],
  ["1a4.oil_light", 0.012],
  ["1a4.solid_waste", 0.0001],
  ["1a4.bio_gas", 0.003],
  ["1a4.bio_solid", 0.070],
  ["1b2abc.oil_heavy", 0.0002],
  ["1b2abc.oil_lght+hvy+gas_vaf", 0.000001],
  ["7a.coal_hard", 0],
  ["4f.bio_solid", 0.002],
];
const CO2_PLAIN_VARS: [string, number][] = [
  ["2a.cement", 0.011],
  ["2befg+3.others", 0.06],
  ["2c.others", 0.002],
];
// CO emitted per CO2 emitted, by category (ppm/ppm).
const CO_RATIO: Record<string, number> = {
  "1a1a": 0.001,
  "1a1bcr": 0.001,
  "1a2+6cd": 0.003,
  "1a3b": 0.015,
  "1a3ce": 0.004,
  "1a3a+1c1": 0.002,
  "1a3d+1c2": 0.004,
  "1a4": 0.012,
  "1b2abc": 0.001,
  "7a": 0.001,
  "4f": 0.09,
  "2a": 0.003,
  "2befg+3": 0.0002,
  "2c": 0.3,
};
const CH4_VARS: [string, number][] = [
  ["1a1a.gas_nat", 0.0015],
  ["1a1a.bio_solid", 0.001],
  ["1a1bcr.oil_heavy", 0.002],
  ["1a2+6cd.gas_nat", 0.0002],
  ["1a3b.oil_light", 0.003],
  ["1a4.bio_solid", 0.026],
  ["1a4.gas_nat", 0.007],
  ["1b1.coal_hard", 0.012],
  ["1b1.coal_brown", 0.02],
  ["1b2ac.gas_nat", 0.001],
  ["1b2b.gas_nat", 0.21],
  ["2befg+3.others", 0.0016],
  ["2c.others", 0.0001],
  ["4a.others", 0.52],
  ["4b.others", 0.076],
  ["4c.others", 0.00004],
  ["4f.bio_solid", 0.0005],
  ["6a.others", 0.153],
  ["6b.others", 0.033],
  ["7a.coal_hard", 0],
];
const VEGETATION = ["evergreen", "decid", "mixfrst", "shrb", "savan", "crop", "grass", "others"];
const VEG_SHARE = [0.22, 0.12, 0.16, 0.03, 0.02, 0.25, 0.17, 0.03];

/** The URL put in the `metadata` column: a landing page describing the STILT inputs. */
export function stiltMetadataUrl(metaPrefix: string): string {
  return `${metaPrefix}objects/STILTinputsEmulator01`;
}

// The raw column names never change: recorded on the first call.
let rawNames: string[] | undefined;

/** A raw STILT output row: numeric columns in file order, plus the `metadata` string. */
export interface RawRow {
  names: string[];
  values: Float64Array;
  metadata: string;
}

/** Generates the raw STILT output row of an existing slot. */
export function rawRow(
  station: StiltStationDef,
  sec: number,
  seed: number,
  metadataUrl: string,
): RawRow {
  const names: string[] | undefined = rawNames ? undefined : [];
  const vals: number[] = [];
  const put = (name: string, value: number) => {
    names?.push(name);
    vals.push(value);
  };
  const rng = stream(seed, "row", station.id, sec);
  const wx = slotWeather(station, sec, seed);
  const years = (sec - Date.UTC(2015, 0, 1) / 1000) / (365.25 * 86400);
  const doy = dayOfYear(sec);
  const light = daylight(sec, station.lon);
  const grow = growing(sec);
  const winter = 0.5 + 0.5 * Math.cos(2 * Math.PI * (doy - 15) / 365.25);
  const hour = localSolarHour(sec, station.lon);
  const traffic = 0.75 + 0.25 * Math.sin(Math.PI * (hour - 5) / 14) ** 2;
  const noise = (_key: string, sd: number) => 1 + sd * rng.gaussian();
  const S = wx.influence;

  put("ident", Math.round((sec - Date.UTC(2000, 0, 1) / 1000) / SLOT_SECONDS));
  put("latstart", station.lat);
  put("lonstart", station.lon);
  put("aglstart", station.alt);
  put("btime", -240);
  const reach = Math.min(1500, 120 * wx.speed + 150);
  const rad = (wx.dir * Math.PI) / 180;
  put("late", Math.round((station.lat + (reach * Math.cos(rad)) / 110.57) * 100) / 100);
  put(
    "lone",
    Math.round(
      (station.lon + (reach * Math.sin(rad)) / (111.32 * Math.cos((station.lat * Math.PI) / 180))) *
        100,
    ) / 100,
  );
  put("agle", Math.round(800 + 600 * rng.uniform()));
  put("zi", Math.round(wx.zi * 10) / 10);
  put("grdht", station.alt > 500 ? 2400 : 60);
  put("nendinarea", Math.round(100 * (0.7 + 0.3 * rng.uniform())));

  // Background cycles peak when the observation series' do (emulator/_observation_series.ts):
  // CO2 in mid-April (day 105), CH4 in early February (day 40, before OH rises).
  const co2ini = 396.5 + 2.35 * years + 3.6 * Math.cos(2 * Math.PI * (doy - 105) / 365.25) +
    0.35 * rng.gaussian();
  const coini = 0.105 + 0.025 * winter + 0.004 * rng.gaussian();
  const ch4ini = 1.862 + 0.0095 * years + 0.01 * Math.cos(2 * Math.PI * (doy - 40) / 365.25) +
    0.004 * rng.gaussian();
  const rnini = 0.25 + 0.1 * rng.uniform();
  const eraMissing = sec < Date.UTC(2010, 0, 1) / 1000; // ERA radon fluxes start in 2010
  put("co2ini", co2ini);
  put("coini", coini);
  put("ch4ini", ch4ini);
  put("rnini", rnini);
  put("rn_noahini", rnini * 1.04);
  put("rn_eraini", eraMissing ? NaN : rnini * 0.97);

  // Biosphere: GEE (negative, daylight, growing season) and respiration per vegetation type.
  const gee = -S * station.bioScale * 26 * grow * light * noise("gee", 0.1);
  const resp = S * station.bioScale * (2.2 + 6 * grow) * noise("resp", 0.1);
  VEGETATION.forEach((veg, i) => {
    const share = VEG_SHARE[i];
    put(`infl${veg}`, S * share * 40);
    put(`gee${veg}`, gee * share);
    put(`resp${veg}`, resp * share);
  });

  // Anthropogenic: one total, split by category and fuel.
  const fuelTotal = S * station.fuelScale * 9 * (0.7 + 0.6 * winter) * traffic *
    noise("fuel", 0.15);
  let co2Sum = gee + resp;
  let coSum = 0;
  const coVals: [string, number][] = [];
  for (const [suffix, weight] of [...CO2_FUEL_VARS, ...CO2_PLAIN_VARS]) {
    const value = fuelTotal * weight * noise(`w${suffix}`, 0.08);
    put(`co2.${suffix}`, value);
    co2Sum += value;
    const co = value * CO_RATIO[suffix.split(".")[0]];
    coVals.push([`co.${suffix}`, co]);
    coSum += co;
  }
  for (const [name, value] of coVals) put(name, value);
  const ch4Total = S * station.ch4Scale * 0.16 * noise("ch4", 0.15);
  let ch4Sum = 0;
  for (const [suffix, weight] of CH4_VARS) {
    const value = ch4Total * weight * noise(`m${suffix}`, 0.08);
    put(`ch4.${suffix}`, value);
    ch4Sum += value;
  }
  const wet = S * station.ch4Scale * 0.012 * (0.3 + grow);
  const natural: [string, number][] = [
    ["ch4wet", wet],
    ["ch4soil", S * 0.0008],
    ["ch4uptake", -S * 0.0011 * (0.5 + grow)],
    ["ch4peat", wet * 0.4],
    ["ch4geo", S * 0.0002],
    ["ch4fire", S * 0.00004 * grow],
    ["ch4ocean", S * 0.00015],
    ["ch4lakes", S * 0.0009 * (0.2 + grow)],
  ];
  for (const [, value] of natural) ch4Sum += value;
  const rn = S * 3.1 * (station.alt > 500 ? 0.5 : 1) * noise("rn", 0.1);
  put("co2", co2Sum);
  put("co", coSum);
  put("ch4", ch4Sum);
  put("rn", rn);
  put("rn_noah", rn * 1.08);
  put("rn_era", eraMissing ? NaN : rn * 0.93);
  for (const [name, value] of natural) put(name, value);
  put("ubar", wx.u);
  put("vbar", wx.v);
  put("wbar", wx.w);
  put("wind.dir", wx.dir);
  if (!rawNames) rawNames = names;
  return { names: rawNames!, values: Float64Array.from(vals), metadata: metadataUrl };
}

// EDGAR category groups (docs/protocol.md §7.3).
const COX_GROUPS: Record<string, string[]> = {
  energy: ["1a1a", "1a1bcr"],
  industry: ["1a2+6cd", "2a", "2befg+3", "2c"],
  transport: ["1a3b", "1a3ce", "1a3a+1c1", "1a3d+1c2"],
  residential: ["1a4"],
  other_categories: ["1b2abc", "7a", "4f"],
};
const CH4_GROUPS: Record<string, string[]> = {
  agriculture: ["4a", "4b", "4c", "4f"],
  waste: ["6a", "6b"],
  energy: ["1a1a", "1a1bcr", "1b1", "1b2b"],
  other_categories: [
    "1a3b",
    "1a3ce",
    "1a3a+1c1",
    "1a3d+1c2",
    "1a2+6cd",
    "2befg+3",
    "2c",
    "1a4",
    "1b2ac",
    "7a",
  ],
};
const FUELS = ["coal", "gas", "oil", "bio"];

/** The 12 methane components, in the order both the processed rows and the packaged CSV list them. */
export const CH4_KEYS: readonly string[] = [
  "ch4.stilt",
  "ch4.background",
  "ch4.anthropogenic",
  "ch4.agriculture",
  "ch4.waste",
  "ch4.energy",
  "ch4.other_categories",
  "ch4.natural",
  "ch4.wetlands",
  "ch4.soil_uptake",
  "ch4.wildfire",
  "ch4.other_natural",
];

/** The 60 keys of a processed row, in the order this emulator writes them. */
export const PROCESSED_KEYS: readonly string[] = [
  "ident",
  "latstart",
  "lonstart",
  "aglstart",
  "zi",
  "wind.dir",
  "wind.u",
  "wind.v",
  "wind.w",
  "co2.stilt",
  "co2.background",
  "co2.bio",
  "co2.bio.gee",
  "co2.bio.resp",
  "co2.fuel",
  "co2.fuel.coal",
  "co2.fuel.oil",
  "co2.fuel.gas",
  "co2.fuel.bio",
  "co2.fuel.waste",
  "co2.fuel.otherfuel",
  "co2.energy",
  "co2.transport",
  "co2.industry",
  "co2.residential",
  "co2.other_categories",
  "co2.cement",
  "co2.non_fuel",
  "co.stilt",
  "co.background",
  "co.fuel",
  "co.fuel.coal",
  "co.fuel.oil",
  "co.fuel.gas",
  "co.fuel.bio",
  "co.fuel.waste",
  "co.fuel.otherfuel",
  "co.energy",
  "co.transport",
  "co.industry",
  "co.residential",
  "co.other_categories",
  "co.cement",
  "co.non_fuel",
  ...CH4_KEYS,
  "rn",
  "rn.era",
  "rn.noah",
  "metadata",
];

/** A processed (`stiltresult`) row: numbers by key plus the metadata string. */
export type ProcessedRow = Map<string, number | string>;

interface Layout {
  names: readonly string[];
  /** Output key, raw column indices summed, factor. */
  sums: [string, number[], number][];
}

let layout: Layout | undefined;

/** Which raw columns make up each directly derived processed key (computed once). */
function layoutOf(names: readonly string[]): Layout {
  if (layout?.names === names) return layout;
  const index = (n: string) => {
    const i = names.indexOf(n);
    if (i < 0) throw new Error(`No raw STILT column ${n}`);
    return i;
  };
  const where = (pred: (n: string) => boolean) => names.flatMap((n, i) => (pred(n) ? [i] : []));
  const sums: [string, number[], number][] = [];
  for (const c of ["ident", "latstart", "lonstart", "aglstart", "zi", "wind.dir"]) {
    sums.push([c, [index(c)], 1]);
  }
  sums.push(["wind.u", [index("ubar")], 1], ["wind.v", [index("vbar")], 1]);
  sums.push(["wind.w", [index("wbar")], 1]);
  sums.push(["co2.background", [index("co2ini")], 1], ["co.background", [index("coini")], 1]);
  const isCategoryVar = (gas: string) => (n: string) =>
    n.startsWith(`${gas}.`) && n.split(".").length === 3;
  const category = (n: string) => n.split(".")[1];
  const specifier = (n: string) => n.split(".")[2];
  const isFuel = (n: string) => specifier(n).includes("_");
  const fuelOf = (n: string) => {
    const f = specifier(n).split("_")[0];
    return FUELS.includes(f) ? f : "otherfuel";
  };
  for (const gas of ["co2", "co"]) {
    const inGas = isCategoryVar(gas);
    for (const [group, cats] of Object.entries(COX_GROUPS)) {
      sums.push([`${gas}.${group}`, where((n) => inGas(n) && cats.includes(category(n))), 1]);
    }
    sums.push([
      `${gas}.cement`,
      where((n) => inGas(n) && !isFuel(n) && specifier(n) === "cement"),
      1,
    ]);
    sums.push([
      `${gas}.non_fuel`,
      where((n) => inGas(n) && !isFuel(n) && specifier(n) === "others"),
      1,
    ]);
    sums.push([`${gas}.fuel.waste`, where((n) => inGas(n) && specifier(n) === "solid_waste"), 1]);
    for (const fuel of [...FUELS, "otherfuel"]) {
      sums.push([
        `${gas}.fuel.${fuel}`,
        where((n) => inGas(n) && isFuel(n) && fuelOf(n) === fuel),
        1,
      ]);
    }
    sums.push([`${gas}.fuel`, where((n) => inGas(n) && isFuel(n)), 1]);
  }
  const inCh4 = isCategoryVar("ch4");
  for (const [group, cats] of Object.entries(CH4_GROUPS)) {
    sums.push([`ch4.${group}`, where((n) => inCh4(n) && cats.includes(category(n))), 1000]);
  }
  sums.push(["ch4.background", [index("ch4ini")], 1000]);
  sums.push(["ch4.wildfire", [index("ch4fire")], 1000]);
  sums.push(["ch4.soil_uptake", [index("ch4uptake")], 1000]);
  sums.push(["ch4.wetlands", ["ch4wet", "ch4peat"].map(index), 1000]);
  sums.push(["ch4.other_natural", ["ch4soil", "ch4lakes", "ch4ocean"].map(index), 1000]);
  sums.push(["co2.bio.resp", VEGETATION.map((t) => index(`resp${t}`)), 1]);
  sums.push(["co2.bio.gee", VEGETATION.map((t) => index(`gee${t}`)), 1]);
  sums.push(["rn", ["rnini", "rn"].map(index), 1]);
  sums.push(["rn.noah", ["rn_noahini", "rn_noah"].map(index), 1]);
  sums.push(["rn.era", ["rn_eraini", "rn_era"].map(index), 1]);
  layout = { names, sums };
  return layout;
}

/** Derives the processed row from a raw row (docs/protocol.md §7.3). */
export function processRow(raw: RawRow): ProcessedRow {
  const out = new Map<string, number>();
  for (const [key, indices, factor] of layoutOf(raw.names).sums) {
    let s = 0;
    for (const i of indices) s += raw.values[i];
    out.set(key, factor * s);
  }
  const total = (names: string[]) => names.reduce((acc, n) => acc + out.get(n)!, 0);
  out.set("co2.bio", total(["co2.bio.resp", "co2.bio.gee"]));
  out.set(
    "co2.stilt",
    total(["co2.background", "co2.bio", "co2.fuel", "co2.cement", "co2.non_fuel"]),
  );
  out.set("co.stilt", total(["co.background", "co.fuel", "co.cement", "co.non_fuel"]));
  out.set(
    "ch4.anthropogenic",
    total(["ch4.agriculture", "ch4.waste", "ch4.energy", "ch4.other_categories"]),
  );
  out.set(
    "ch4.natural",
    total(["ch4.wetlands", "ch4.soil_uptake", "ch4.wildfire", "ch4.other_natural"]),
  );
  out.set("ch4.stilt", total(["ch4.background", "ch4.anthropogenic", "ch4.natural"]));

  const row: ProcessedRow = new Map();
  for (const key of PROCESSED_KEYS) {
    row.set(key, key === "metadata" ? raw.metadata : out.get(key)!);
  }
  return row;
}
