// Private: country resolution for STILT's `country` filter — alpha-2,
// alpha-3, or a name in any language the country data has, any case.

import { lookupCountry } from "../discovery/country.ts";

/** The alpha-2 codes (upper case) a country code or name stands for; empty when none. */
export async function countryCodes(value: string): Promise<Set<string>> {
  const v = value.trim();
  if (/^(xz|international waters)$/i.test(v)) return new Set(["XZ"]);
  let found = await lookupCountry({ code: v });
  if (!found.length) {
    const n = v.toLowerCase();
    found = (await lookupCountry()).filter((c) =>
      c.name.common.toLowerCase() === n || c.name.official.toLowerCase() === n ||
      Object.values(c.name.native ?? {}).some((x) => x.common.toLowerCase() === n) ||
      Object.values(c.translations ?? {}).some((x) =>
        x.common.toLowerCase() === n || x.official.toLowerCase() === n
      ) ||
      (c.altSpellings ?? []).some((a) => a.toLowerCase() === n)
    );
  }
  return new Set(found.map((c) => c.cca2.toUpperCase()));
}
