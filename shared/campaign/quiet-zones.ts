import { getTimezone, getTimezonesForCountry } from 'countries-and-timezones';
import type { CountryCode } from 'libphonenumber-js';
import { getCountries, getCountryCallingCode, parsePhoneNumber } from 'libphonenumber-js';

/**
 * Where a phone number's owner probably is, for quiet hours: the number's country (libphonenumber-js)
 * and that country's IANA zones (countries-and-timezones, from the tz database's zone1970.tab).
 * The zones of a country are those it is the main country of: zone1970.tab also lists a zone for
 * every country that uses it somewhere (Europe/Zurich for Germany's Büsingen, Asia/Tokyo for an
 * Australian station), which would narrow the window for everyone else for no one. Antarctic zones
 * are left out too. Regions within a country are not known from the number (libphonenumber-js has
 * no time-zone data), so a country's window is the one that holds in all of its zones.
 */

/** Calling codes shared by several countries, where only the number's digits tell which. */
const byCode = new Map<string, CountryCode[]>();
for (const c of getCountries()) {
  const code = getCountryCallingCode(c);
  const list = byCode.get(code);
  if (list === undefined) byCode.set(code, [c]);
  else list.push(c);
}

/** NANP area codes belong to one country each: +1 and three digits name it. */
const nanp = new Map<string, string | undefined>();

/**
 * countryOfNumber is the country of an E.164 number (undefined when no country is known). A calling
 * code of one country answers at once; a shared one (+1, +7, +44…) asks libphonenumber-js, once per
 * North American area code.
 */
export function countryOfNumber(e164: string): string | undefined {
  for (let n = 1; n <= 3; n++) {
    const countries = byCode.get(e164.slice(1, 1 + n));
    if (countries === undefined) continue;
    if (countries.length === 1) return countries[0];
    const same = sameZones(code(countries));
    if (same !== undefined) return same;
    if (n === 1 && e164[1] === '1') {
      const area = e164.slice(0, 5);
      if (!nanp.has(area)) nanp.set(area, parsedCountry(e164));
      return nanp.get(area);
    }
    return parsedCountry(e164);
  }
  return undefined;
}

/** The code's first country, when every country sharing it keeps the same zones (+44: GB, GG, IM, JE). */
const sameByCode = new Map<string, string | undefined>();

function code(countries: readonly CountryCode[]): string {
  return countries.join(',');
}

function sameZones(key: string): string | undefined {
  if (!sameByCode.has(key)) {
    const sets = key.split(',').map((c) => [...new Set(zonesOfCountry(c).map((z) => getTimezone(z)?.aliasOf ?? z))].sort().join(','));
    const countries = key.split(',');
    // The country that owns the zones (FI for Europe/Helsinki, whose Åland alias AX shares +358).
    const main = countries.find((c) => zonesOfCountry(c).some((z) => getTimezone(z)?.countries[0] === c)) ?? countries[0];
    sameByCode.set(key, sets.every((s) => s !== '' && s === sets[0]) ? main : undefined);
  }
  return sameByCode.get(key);
}

function parsedCountry(e164: string): string | undefined {
  try {
    return parsePhoneNumber(e164).country;
  } catch {
    return undefined;
  }
}

const zonesByCountry = new Map<string, readonly string[]>();

/** zonesOfCountry are the IANA zones people of `country` live in (see the file comment); [] for an unknown one. */
export function zonesOfCountry(country: string): readonly string[] {
  let zones = zonesByCountry.get(country);
  if (zones === undefined) {
    let all: { name: string; countries: readonly string[] }[];
    try {
      all = getTimezonesForCountry(country as Parameters<typeof getTimezonesForCountry>[0]) ?? [];
    } catch {
      all = [];
    }
    const own = all.filter((z) => z.countries[0] === country && !z.name.startsWith('Antarctica/')).map((z) => z.name);
    zones = own.length > 0 ? own : all.map((z) => z.name);
    zonesByCountry.set(country, zones);
  }
  return zones;
}
