// Private: the built-in STILT stations of the emulator (real ids, names,
// positions and ICOS links; made-up availability).

/** One STILT station of the emulator's dataset. */
export interface StiltStationDef {
  /** STILT id, upper case (`GAT344`). */
  id: string;
  /** STILT name, when the stations file has one. */
  name?: string;
  /** ICOS station id, for stations with ICOS observations. */
  icosId?: string;
  /** ICOS sampling height in metres (a Java Float on the real server). */
  icosHeight?: number;
  /** ISO 3166-1 alpha-2 country code. */
  countryCode?: string;
  /** Latitude, two decimals. */
  lat: number;
  /** Longitude, two decimals. */
  lon: number;
  /** Release height above ground, metres. */
  alt: number;
  /** Available months, `YYYY-MM`, sorted. */
  months: string[];
  /** Scales of the surface signals: anthropogenic, biospheric, methane. */
  fuelScale: number;
  bioScale: number;
  ch4Scale: number;
}

function monthRange(from: string, to: string, except: string[] = []): string[] {
  const out: string[] = [];
  let [y, m] = from.split("-").map(Number);
  const [ty, tm] = to.split("-").map(Number);
  while (y < ty || (y === ty && m <= tm)) {
    const ym = `${y}-${String(m).padStart(2, "0")}`;
    if (!except.includes(ym)) out.push(ym);
    m++;
    if (m === 13) {
      m = 1;
      y++;
    }
  }
  return out;
}

/** The emulator's STILT stations, sorted by id (as the real service lists its folder). */
export function builtInStations(): StiltStationDef[] {
  return [
    {
      id: "GAT344",
      name: "Gartow",
      icosId: "GAT",
      icosHeight: 341.0,
      countryCode: "DE",
      lat: 53.07,
      lon: 11.44,
      alt: 344,
      months: monthRange("2016-01", "2022-12"),
      fuelScale: 1.0,
      bioScale: 1.0,
      ch4Scale: 1.0,
    },
    {
      id: "HHHH",
      countryCode: "IE",
      lat: 54.15,
      lon: -10.07,
      alt: 100,
      months: ["2006-01", ...monthRange("2006-03", "2006-08")],
      fuelScale: 0.12,
      bioScale: 0.3,
      ch4Scale: 0.4,
    },
    {
      id: "HTM150",
      name: "Hyltemossa",
      icosId: "HTM",
      icosHeight: 150.0,
      countryCode: "SE",
      lat: 56.1,
      lon: 13.42,
      alt: 150,
      months: monthRange("2017-01", "2019-12", ["2018-07"]),
      fuelScale: 0.45,
      bioScale: 1.2,
      ch4Scale: 0.6,
    },
    {
      id: "JFJ",
      name: "Jungfraujoch",
      icosId: "JFJ",
      icosHeight: 13.9,
      countryCode: "CH",
      lat: 46.55,
      lon: 7.98,
      alt: 720,
      months: ["2012-12", ...monthRange("2018-01", "2019-12")],
      fuelScale: 0.25,
      bioScale: 0.35,
      ch4Scale: 0.3,
    },
    {
      id: "ZSF",
      name: "Zugspitze",
      icosId: "ZSF",
      icosHeight: 3.0,
      countryCode: "DE",
      lat: 47.42,
      lon: 10.98,
      alt: 730,
      months: ["2006-01", ...monthRange("2006-03", "2006-12"), ...monthRange("2018-01", "2020-12")],
      fuelScale: 0.3,
      bioScale: 0.4,
      ch4Scale: 0.35,
    },
  ];
}
