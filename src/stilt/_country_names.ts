// Private: the country names of STILT stations' `geoinfo`, as icoscp_stilt's
// fixed table has them (`icoscp_stilt.const.COUNTRIES`, docs/protocol.md §8):
// 46 European countries and XZ, international waters. A table, not the
// world-countries dataset, so that listing or getting stations loads no
// country data.

const NAMES: Readonly<Record<string, string>> = {
  AL: "Albania",
  AD: "Andorra",
  AT: "Austria",
  BY: "Belarus",
  BE: "Belgium",
  BA: "Bosnia and Herzegovina",
  BG: "Bulgaria",
  HR: "Croatia",
  CY: "Cyprus",
  CZ: "Czech Republic",
  DK: "Denmark",
  EE: "Estonia",
  FI: "Finland",
  FR: "France",
  DE: "Germany",
  GR: "Greece",
  HU: "Hungary",
  IS: "Iceland",
  IE: "Ireland",
  IT: "Italy",
  LV: "Latvia",
  LI: "Liechtenstein",
  LT: "Lithuania",
  LU: "Luxembourg",
  MK: "North Macedonia",
  MT: "Malta",
  MD: "Moldova",
  MC: "Monaco",
  ME: "Montenegro",
  NL: "Netherlands",
  NO: "Norway",
  PL: "Poland",
  PT: "Portugal",
  RO: "Romania",
  RU: "Russia",
  SM: "San Marino",
  RS: "Serbia",
  SK: "Slovakia",
  SI: "Slovenia",
  ES: "Spain",
  SE: "Sweden",
  CH: "Switzerland",
  TR: "Turkey",
  UA: "Ukraine",
  GB: "United Kingdom",
  VA: "Vatican City",
  XZ: "international waters",
};

/** The English name of a STILT station's country code (the code itself when the table lacks it). */
export function stiltCountryName(code: string | undefined): string {
  if (!code) return "";
  return NAMES[code.toUpperCase()] ?? code;
}
