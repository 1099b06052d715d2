import { describe, expect, it } from 'vitest';
import { isSupportedCountry, normalizeListedNumber, normalizePhone, readPhone } from './phone';

describe('normalizePhone', () => {
  it('turns one number written many ways into the same E.164', () => {
    const ways = ['07911 123456', '+44 7911 123456', '0044 7911 123456', '+44 (7911) 123-456', '447911123456', ' 07911-123-456 '];
    for (const w of ways) expect(normalizePhone(w, 'GB')).toEqual({ ok: true, e164: '+447911123456' });
  });

  it('uses the default country only for numbers without an international prefix', () => {
    expect(normalizePhone('(415) 555-0123', 'US')).toEqual({ ok: true, e164: '+14155550123' });
    expect(normalizePhone('+1 415 555 0123', 'GB')).toEqual({ ok: true, e164: '+14155550123' });
  });

  it('explains why a number is refused', () => {
    expect(normalizePhone('07911 123456')).toEqual({ ok: false, reason: expect.stringContaining('has no country code') });
    expect(normalizePhone('07911 123456').ok === false && normalizePhone('07911 123456')).toMatchObject({ reason: expect.stringContaining('recipient.defaultCountry') });
    expect(normalizePhone('12', 'GB')).toEqual({ ok: false, reason: '"12" is too short' });
    expect(normalizePhone('call me', 'GB')).toEqual({ ok: false, reason: '"call me" is not a phone number' });
    expect(normalizePhone('+999 1234')).toEqual({ ok: false, reason: '"+999 1234" has an unknown country code' });
    expect(normalizePhone('+1 415 555 0123 ext 5')).toEqual({ ok: false, reason: expect.stringContaining('extension') });
    expect(normalizePhone('   ', 'GB')).toEqual({ ok: false, reason: 'is empty' });
    expect(normalizePhone('+44 4911 123456')).toEqual({ ok: false, reason: '"+44 4911 123456" is not a valid number in +44' });
  });

  it('knows country codes', () => {
    expect(isSupportedCountry('GB')).toBe(true);
    expect(isSupportedCountry('XX')).toBe(false);
  });
});

describe('normalizeListedNumber', () => {
  it('reads the API’s numbers with or without the plus', () => {
    expect(normalizeListedNumber('447911123456')).toBe('+447911123456');
    expect(normalizeListedNumber('+44 7911 123456')).toBe('+447911123456');
    expect(normalizeListedNumber('00447911123456')).toBe('+447911123456');
    expect(normalizeListedNumber(null)).toBeUndefined();
    expect(normalizeListedNumber('')).toBeUndefined();
    expect(normalizeListedNumber('unknown')).toBeUndefined();
  });
});

describe('readPhone', () => {
  it('gives both readings of digits that start with the default country’s code and are valid either way', () => {
    expect(readPhone('4915112345678', 'DE')).toEqual({ ok: true, e164: '+4915112345678', readings: ['+4915112345678', '+494915112345678'] });
    expect(readPhone('49 1511 2345678', 'DE')).toMatchObject({ readings: ['+4915112345678', '+494915112345678'] });
  });

  it('reads a number one way when only one reading is valid, or both readings are one number', () => {
    expect(readPhone('015112345678', 'DE')).toEqual({ ok: true, e164: '+4915112345678' });
    expect(readPhone('+49 1511 2345678', 'DE')).toEqual({ ok: true, e164: '+4915112345678' });
    expect(readPhone('447911123456', 'GB')).toEqual({ ok: true, e164: '+447911123456' });
    expect(readPhone('4915112345678', 'US')).toEqual({ ok: true, e164: '+4915112345678' }); // not a US number
    expect(readPhone('4155550123', 'US')).toEqual({ ok: true, e164: '+14155550123' }); // does not start with 1
    expect(readPhone('0049 1511 2345678', 'DE')).toEqual({ ok: true, e164: '+4915112345678' });
  });

  it('keeps the reasons of normalizePhone, and needs a default country to see two readings', () => {
    expect(readPhone('4915112345678')).toMatchObject({ ok: false, reason: expect.stringContaining('has no country code') });
    expect(readPhone('12', 'DE')).toMatchObject({ ok: false });
    expect(readPhone('call me', 'DE')).toMatchObject({ ok: false, reason: '"call me" is not a phone number' });
  });
});
