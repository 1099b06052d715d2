import { getCountries } from 'libphonenumber-js';
import { isSupportedCountry } from './phone';

/**
 * Countries as people pick them: the ISO 3166-1 alpha-2 codes the phone library has numbering
 * rules for (libphonenumber-js getCountries()), named in words by Intl.DisplayNames. The campaign
 * file stores the code (`DE`); the app's picker and the messages of a wrong value use the names, so
 * "Germany" typed where a code belongs is caught and answered with "DE", never read as `GE` (Georgia).
 */

/** Country is one choice of the country picker. */
export interface Country {
  code: string;
  name: string;
}

/** regionNames names regions in English (the language of the app's words). */
function regionNames(locale: string): Intl.DisplayNames | undefined {
  try {
    return new Intl.DisplayNames([locale], { type: 'region', fallback: 'code' });
  } catch {
    return undefined;
  }
}

/** countries lists every country the phone library knows, by name. */
export function countries(locale = 'en'): Country[] {
  const names = regionNames(locale);
  return getCountries()
    .map((code) => ({ code, name: names?.of(code) ?? code }))
    .sort((a, b) => a.name.localeCompare(b.name, locale));
}

/** countryName is the name of a code ('' when the library does not know the code). */
export function countryName(code: string, locale = 'en'): string {
  const c = code.trim().toUpperCase();
  if (!isCountryCode(c)) return '';
  return regionNames(locale)?.of(c) ?? c;
}

/** isCountryCode tells whether text is exactly a two-letter code the phone library knows (upper case). */
export function isCountryCode(text: string): boolean {
  return /^[A-Z]{2}$/.test(text) && isSupportedCountry(text);
}

/** foldName folds a country name for loose comparison: case, accents, punctuation and spaces ignored. */
export function foldName(s: string): string {
  return s
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '');
}

/** Common ways of writing a country that are neither its code nor its English name. */
const aliases: Record<string, string> = {
  uk: 'GB',
  greatbritain: 'GB',
  britain: 'GB',
  england: 'GB',
  scotland: 'GB',
  wales: 'GB',
  usa: 'US',
  unitedstatesofamerica: 'US',
  america: 'US',
  holland: 'NL',
  deutschland: 'DE',
  espana: 'ES',
  italia: 'IT',
  schweiz: 'CH',
  osterreich: 'AT',
  nederland: 'NL',
};

/** countryCodeFor reads a country written by name (any case or accents, or a common alias) as its code, or undefined. */
export function countryCodeFor(text: string, locale = 'en'): string | undefined {
  const folded = foldName(text);
  if (folded === '') return undefined;
  const alias = aliases[folded];
  if (alias !== undefined) return alias;
  return countries(locale).find((c) => foldName(c.name) === folded)?.code;
}

/**
 * countryCodeProblem says, in words, why text is not a country code: a name gets its code
 * ("Germany" is a country name; its code is "DE"), anything else the expected form.
 */
export function countryCodeProblem(text: string): string {
  const shown = JSON.stringify(text);
  const code = countryCodeFor(text);
  if (code !== undefined && code !== text.trim().toUpperCase()) return `${shown} is not a country code: write the two-letter code "${code}" (${countryName(code)})`;
  return `${shown} is not a two-letter ISO 3166 country code the phone library knows; write one such as "GB" or "DE"`;
}
