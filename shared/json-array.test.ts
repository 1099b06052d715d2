import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { arrayElements } from './json-array';

describe('arrayElements', () => {
  it('yields every element of any JSON array, each parsing to what was written', () => {
    fc.assert(
      fc.property(fc.array(fc.jsonValue()), fc.boolean(), (values, pretty) => {
        const text = JSON.stringify(values, null, pretty ? 2 : undefined);
        expect([...arrayElements(text)].map((e) => JSON.parse(e) as unknown)).toEqual(JSON.parse(text));
      }),
    );
  });

  it('copes with strings holding brackets, commas, quotes and escapes', () => {
    const values = [{ a: '],[{' }, 'x\\"]', [1, [2, '}']], null];
    expect([...arrayElements(JSON.stringify(values))].map((e) => JSON.parse(e) as unknown)).toEqual(values);
  });

  it('refuses what is not an array, or one cut short', () => {
    expect(() => [...arrayElements('{"results": []}')]).toThrow('expected a JSON array');
    expect(() => [...arrayElements('[{"a": 1}, {"b"')]).toThrow('cut short');
  });
});
