import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TemplatePart } from './placeholders';
import { fallbackProblem, needsQuotes, parseTemplate, placeholderText, templateColumns } from './placeholders';

/** unparse writes parts back as template text, the way a user would have written them. */
function unparse(parts: TemplatePart[]): string {
  return parts.map((p) => (typeof p === 'string' ? p : `{{${p.column}${p.fallback !== undefined ? `|${p.fallback}` : ''}}}`)).join('');
}

describe('parseTemplate', () => {
  it('reads a plain placeholder between literal text', () => {
    expect(parseTemplate('Hi {{first_name}}!')).toEqual(['Hi ', { column: 'first_name' }, '!']);
  });

  it('gives text without placeholders as one literal part, and the empty string as none', () => {
    expect(parseTemplate('shipped')).toEqual(['shipped']);
    expect(parseTemplate('')).toEqual([]);
  });

  it('trims whitespace around the column name', () => {
    expect(parseTemplate('{{ first_name }}')).toEqual([{ column: 'first_name' }]);
    expect(parseTemplate('{{\tfirst name \n}}')).toEqual([{ column: 'first name' }]);
  });

  it('reads a fallback verbatim, splitting at the first bar', () => {
    expect(parseTemplate('{{first_name|there}}')).toEqual([{ column: 'first_name', fallback: 'there' }]);
    expect(parseTemplate('{{ city | the city }}')).toEqual([{ column: 'city', fallback: ' the city ' }]);
    expect(parseTemplate('{{a|b|c}}')).toEqual([{ column: 'a', fallback: 'b|c' }]);
    expect(parseTemplate('{{a|{b}}')).toEqual([{ column: 'a', fallback: '{b' }]);
  });

  it('allows an empty fallback, which differs from no fallback', () => {
    expect(parseTemplate('{{x|}}')).toEqual([{ column: 'x', fallback: '' }]);
    expect(parseTemplate('{{x}}')).toEqual([{ column: 'x' }]);
  });

  it('keeps text that is not a valid placeholder literal', () => {
    expect(parseTemplate('{{')).toEqual(['{{']);
    expect(parseTemplate('}}')).toEqual(['}}']);
    expect(parseTemplate('{{}}')).toEqual(['{{}}']);
    expect(parseTemplate('{{   }}')).toEqual(['{{   }}']);
    expect(parseTemplate('{{|fallback}}')).toEqual(['{{|fallback}}']);
    expect(parseTemplate('a {{name')).toEqual(['a {{name']);
    expect(parseTemplate('{name}')).toEqual(['{name}']);
    expect(parseTemplate('{{a}b}}')).toEqual(['{{a}b}}']);
  });

  it('finds a placeholder after an unbalanced opening', () => {
    expect(parseTemplate('{{a {{b}}')).toEqual(['{{a ', { column: 'b' }]);
    expect(parseTemplate('{{name} and {{other}}')).toEqual(['{{name} and ', { column: 'other' }]);
  });

  it('treats extra braces around a placeholder as literal braces', () => {
    expect(parseTemplate('{{{name}}}')).toEqual(['{', { column: 'name' }, '}']);
    expect(parseTemplate('{{a}}}')).toEqual([{ column: 'a' }, '}']);
  });

  it('reads adjacent placeholders and repeated columns', () => {
    expect(parseTemplate('{{a}}{{b}}{{a|x}}')).toEqual([{ column: 'a' }, { column: 'b' }, { column: 'a', fallback: 'x' }]);
  });

  it('handles unicode names, fallbacks and text', () => {
    expect(parseTemplate('Olá {{prénom|amigo 🙂}}, 名前: {{名前}} 👋')).toEqual([
      'Olá ',
      { column: 'prénom', fallback: 'amigo 🙂' },
      ', 名前: ',
      { column: '名前' },
      ' 👋',
    ]);
  });

  it('never loses or invents text: literal parts and placeholders rebuild an equivalent template', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('{', '}', '|', ' ', 'a', 'b', 'é', '🙂'), { maxLength: 24 }), (chars) => {
        const text = chars.join('');
        const parts = parseTemplate(text);
        // Literal parts are never empty, and no two are adjacent.
        parts.forEach((p, i) => {
          if (typeof p === 'string') {
            expect(p).not.toBe('');
            expect(typeof parts[i + 1]).not.toBe('string');
          }
        });
        // Parsing the rebuilt text gives the same parts (names come back trimmed).
        expect(parseTemplate(unparse(parts))).toEqual(parts);
        // Without placeholders the text is kept exactly.
        if (parts.every((p) => typeof p === 'string')) expect(parts.join('')).toBe(text);
      }),
      { numRuns: 500 },
    );
  });
});

describe('quoted column names', () => {
  it('reaches a header holding a bar, braces or "}}", with or without a fallback', () => {
    expect(parseTemplate(`{{"=cmd|' /C calc'!A0"}}`)).toEqual([{ column: "=cmd|' /C calc'!A0" }]);
    expect(parseTemplate('Hi {{"a}}b"|you}}!')).toEqual(['Hi ', { column: 'a}}b', fallback: 'you' }, '!']);
    expect(parseTemplate('{{ "{x}" }}')).toEqual([{ column: '{x}' }]);
    expect(parseTemplate('{{"say \\"hi\\""}}')).toEqual([{ column: 'say "hi"' }]);
    expect(parseTemplate('{{"tab\\there"|x|y}}')).toEqual([{ column: 'tab\there', fallback: 'x|y' }]);
  });

  it('keeps ordinary names as they were: plain names are not parsed as JSON', () => {
    expect(parseTemplate('{{first_name|"friend"}}')).toEqual([{ column: 'first_name', fallback: '"friend"' }]);
    expect(parseTemplate('{{say "hi"}}')).toEqual([{ column: 'say "hi"' }]);
    expect(parseTemplate('{{a\\b}}')).toEqual([{ column: 'a\\b' }]);
  });

  it('falls back to the plain reading when the quotes do not form a placeholder', () => {
    expect(parseTemplate('{{"abc}}')).toEqual([{ column: '"abc' }]);
    expect(parseTemplate('{{"a"b}}')).toEqual([{ column: '"a"b' }]);
    expect(parseTemplate('{{""}}')).toEqual([{ column: '""' }]);
    expect(parseTemplate('{{"a|b')).toEqual(['{{"a|b']);
    expect(parseTemplate('{{"a" |x')).toEqual(['{{"a" |x']);
  });

  it('writes plain names plainly and quotes only the names that need it', () => {
    expect(placeholderText('first_name')).toBe('{{first_name}}');
    expect(placeholderText('first name', 'there')).toBe('{{first name|there}}');
    expect(placeholderText('first_name', '')).toBe('{{first_name}}');
    expect(placeholderText("=cmd|' /C calc'!A0")).toBe(`{{"=cmd|' /C calc'!A0"}}`);
    expect(placeholderText('a}}b', 'x')).toBe('{{"a}}b"|x}}');
    expect(needsQuotes('Größe (cm)')).toBe(false);
    expect(needsQuotes('"quoted"')).toBe(true);
    expect(fallbackProblem('a }} b')).toMatch(/cannot contain/);
    expect(fallbackProblem('a } b')).toBeUndefined();
    expect(fallbackProblem('{b}')).toMatch(/cannot end/);
  });

  it('reads back every header a CSV can have, with any fallback that has no "}}"', () => {
    const header = fc.string({ unit: fc.constantFrom('{', '}', '|', '"', '\\', ' ', 'a', 'é', '🙂', '\n', '=') , minLength: 1, maxLength: 12 }).map((s) => s.trim()).filter((s) => s !== '');
    const fallback = fc.option(fc.string({ unit: fc.constantFrom('{', '}', '|', '"', ' ', 'b'), maxLength: 6 }).filter((s) => fallbackProblem(s) === undefined && s !== ''), { nil: undefined });
    fc.assert(
      fc.property(header, fallback, fc.constantFrom('', 'Hi ', '{'), (column, fb, before) => {
        const text = `${before}${placeholderText(column, fb)}!`;
        const expected = fb === undefined ? { column } : { column, fallback: fb };
        expect(parseTemplate(text)).toEqual(before === '' ? [expected, '!'] : [before, expected, '!']);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('templateColumns', () => {
  it('lists each column once, in order of first use', () => {
    expect(templateColumns('{{b}} {{a|x}} {{ b }} {{c}}')).toEqual(['b', 'a', 'c']);
  });

  it('is empty for literal text and invalid placeholders', () => {
    expect(templateColumns('hello {{}} {{ }} {{')).toEqual([]);
  });
});
