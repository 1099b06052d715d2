import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isoOf, msOfIso } from './iso-time';

describe('ISO times by arithmetic', () => {
  it('writes every time of years 0 to 9999 as toISOString does, and reads it back', () => {
    fc.assert(
      fc.property(fc.integer({ min: -62_167_219_200_000, max: 253_402_300_799_999 }), (ms) => {
        const text = new Date(ms).toISOString();
        expect(isoOf(ms)).toBe(text);
        expect(msOfIso(text)).toBe(ms);
      }),
      { numRuns: 5_000 },
    );
  });

  it('reads only what toISOString could have written', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 20, maxLength: 26, unit: fc.constantFrom(...'0123456789-:.TZ+ ') }), (text) => {
        const ms = msOfIso(text);
        if (ms !== undefined) expect(new Date(ms).toISOString()).toBe(text);
      }),
      { numRuns: 5_000 },
    );
    for (const text of ['2025-02-29T00:00:00.000Z', '2025-01-02T24:00:00.000Z', '2025-01-02T03:04:05Z', '2025-01-02T03:04:05.123+00:00', '+012025-01-02T03:04:05.123Z']) {
      expect(msOfIso(text)).toBeUndefined();
    }
    expect(msOfIso('2024-02-29T23:59:59.999Z')).toBe(Date.parse('2024-02-29T23:59:59.999Z'));
    expect(isoOf(1e20)).toBeUndefined();
  });
});
