import { describe, expect, it } from 'vitest';
import { detectDelimiter, detectNewline, isBlankRow } from './detect';

describe('detectDelimiter', () => {
  it('picks the candidate every row agrees on', () => {
    expect(detectDelimiter('a;b;c\n1;2;3\n4;5;6\n', true)).toBe(';');
    expect(detectDelimiter('a\tb\n1\t2\n', true)).toBe('\t');
    expect(detectDelimiter('a|b\n1|2\n', true)).toBe('|');
  });

  it('does not count delimiters inside quotes', () => {
    expect(detectDelimiter('name;note\n"Ana";"a, b, c"\n"Bo";"d, e"\n', true)).toBe(';');
    expect(detectDelimiter('name,note\nAna,"x;y;z"\nBo,"p;q"\n', true)).toBe(',');
  });

  it('ignores a row cut off by the end of an incomplete sample', () => {
    expect(detectDelimiter('a;b\n1;2\n3;4,5,6,7', false)).toBe(';');
  });

  it('when no candidate is consistent, takes the one most rows agree with', () => {
    expect(detectDelimiter('a;b\n1;2\n3;4\n5;6;7\n', true)).toBe(';');
  });

  it('ties go to comma, then semicolon', () => {
    expect(detectDelimiter('a,b;c\n1,2;3\n', true)).toBe(',');
    expect(detectDelimiter('a;b|c\n1;2|3\n', true)).toBe(';');
  });

  it('falls back to comma for one column or no text', () => {
    expect(detectDelimiter('phone\n+4911\n', true)).toBe(',');
    expect(detectDelimiter('', true)).toBe(',');
  });
});

describe('detectNewline', () => {
  it('uses \\n for LF, CRLF and mixed text, \\r only for old Mac files', () => {
    expect(detectNewline('a\nb')).toBe('\n');
    expect(detectNewline('a\r\nb\nc')).toBe('\n');
    expect(detectNewline('a\rb\r')).toBe('\r');
    expect(detectNewline('a')).toBe('\n');
  });
});

describe('isBlankRow', () => {
  it('is true for rows of nothing but whitespace', () => {
    expect(isBlankRow([''])).toBe(true);
    expect(isBlankRow([' ', '\t', ''])).toBe(true);
    expect(isBlankRow(['', 'x'])).toBe(false);
  });
});
