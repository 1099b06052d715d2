import type { CountryCode } from 'libphonenumber-js';
import { getCountryCallingCode, isSupportedCountry as libSupportsCountry, parsePhoneNumberWithError, ParseError, validatePhoneNumberLength } from 'libphonenumber-js';

/**
 * Phone numbers as recipients: every number, from a CSV cell or a Wassist conversation, is turned
 * into E.164 (`+447911123456`) with libphonenumber-js (its default "min" metadata: lengths and
 * leading digits per country, not a hand-written pattern) so that `07911 123456`, `+44 7911 123456`
 * and `0044 7911 123456` are one number.
 */

/** isSupportedCountry tells whether `code` is an ISO 3166-1 alpha-2 country the library has rules for. */
export function isSupportedCountry(code: string): boolean {
  return libSupportsCountry(code);
}

/** PhoneResult is a normalised number, or why the text is not one. */
export type PhoneResult = { ok: true; e164: string } | { ok: false; reason: string };

const lengthReasons: Record<string, string> = {
  TOO_SHORT: 'is too short',
  TOO_LONG: 'is too long',
  INVALID_LENGTH: 'has the wrong number of digits',
  NOT_A_NUMBER: 'is not a phone number',
  INVALID_COUNTRY: 'has no country code',
};

/**
 * normalizePhone turns what a person typed into E.164. A number without an international prefix
 * (`+` or `00`) takes `defaultCountry`; without one, it is refused with a reason that says how to
 * fix it. Numbers the country's rules do not allow (wrong length or leading digits), and numbers
 * with an extension (WhatsApp has none), are refused too.
 */
export function normalizePhone(text: string, defaultCountry?: string): PhoneResult {
  const input = text.trim();
  if (input === '') return { ok: false, reason: 'is empty' };
  const country = defaultCountry !== undefined && libSupportsCountry(defaultCountry) ? (defaultCountry as CountryCode) : undefined;
  const options = country === undefined ? {} : { defaultCountry: country };
  let parsed;
  try {
    parsed = parsePhoneNumberWithError(input, options);
  } catch (e) {
    const code = e instanceof ParseError ? e.message : 'NOT_A_NUMBER';
    if (code === 'INVALID_COUNTRY') {
      return {
        ok: false,
        reason: /^\s*(\+|00)/.test(input)
          ? `${JSON.stringify(input)} has an unknown country code`
          : `${JSON.stringify(input)} has no country code: write it as +<country code><number>, or set recipient.defaultCountry`,
      };
    }
    return { ok: false, reason: `${JSON.stringify(input)} ${lengthReasons[code] ?? 'is not a phone number'}` };
  }
  if (parsed.ext !== undefined) return { ok: false, reason: `${JSON.stringify(input)} has an extension; WhatsApp numbers have none` };
  if (!parsed.isValid()) {
    const length = validatePhoneNumberLength(input, options);
    const where = parsed.country ?? `+${parsed.countryCallingCode}`;
    const why = length !== undefined ? (lengthReasons[length] ?? 'is not valid') : `is not a valid number in ${where}`;
    return { ok: false, reason: `${JSON.stringify(input)} ${why}` };
  }
  return { ok: true, e164: parsed.number };
}

/**
 * normalizeListedNumber reads a conversation's `number` as the API gives it. The documents do not
 * say its format: WhatsApp ids are the international number without `+` (`447911123456`), other
 * places write E.164. A number of digits only is read as international; anything unreadable is
 * undefined (the conversation cannot be matched by number).
 */
export function normalizeListedNumber(value: string | null | undefined): string | undefined {
  if (value === null || value === undefined) return undefined;
  let t = value.trim();
  if (t === '') return undefined;
  if (t.startsWith('00')) t = `+${t.slice(2)}`;
  else if (/^\d+$/.test(t)) t = `+${t}`;
  const r = normalizePhone(t);
  if (r.ok) return r.e164;
  // A number the rules refuse may still be the conversation's own: match its digits as given.
  const digits = t.replace(/[^\d]/g, '');
  return t.startsWith('+') && digits.length >= 6 ? `+${digits}` : undefined;
}

/**
 * PhoneReading is a row's number as a campaign reads it: one E.164 number, or, for digits that can be
 * read two ways, both (`readings`, the international reading first); or why it is not a number.
 */
export type PhoneReading = { ok: true; e164: string; readings?: readonly [string, string] } | { ok: false; reason: string };

/**
 * readPhone reads a row's number with the campaign's default country. Digits that start with the
 * default country's calling code and have no international prefix (`4915112345678` with `DE`, as CRM
 * exports write them) may be that code and the number (`+4915112345678`) or a national number
 * (`+494915112345678`): when both readings are valid numbers both are given (the provider's
 * conversation list decides). Digits that are a valid number only when read as international are
 * read that way.
 */
export function readPhone(text: string, defaultCountry?: string): PhoneReading {
  const national = normalizePhone(text, defaultCountry);
  const digits = internationalDigits(text);
  if (digits === undefined || defaultCountry === undefined || !libSupportsCountry(defaultCountry)) return national;
  const international = normalizePhone(`+${digits}`);
  if (!international.ok) return national;
  if (!national.ok || national.e164 === international.e164) return international;
  if (!digits.startsWith(getCountryCallingCode(defaultCountry as CountryCode))) return national;
  return { ok: true, e164: international.e164, readings: [international.e164, national.e164] };
}

/**
 * internationalDigits gives the digits of text that may be an international number written without
 * `+`: digits and separators only, no leading 0 (a trunk prefix; no country code starts with 0).
 */
function internationalDigits(text: string): string | undefined {
  const t = text.trim();
  if (!/^[\d\s().-]+$/.test(t)) return undefined;
  const digits = t.replace(/\D/g, '');
  return digits.length >= 8 && !digits.startsWith('0') ? digits : undefined;
}
