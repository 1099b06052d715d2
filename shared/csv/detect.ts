import { createTokenizer } from './tokenizer';
import type { Newline } from './tokenizer';
import { DELIMITERS } from './types';
import type { Delimiter } from './types';

/**
 * Guessing the delimiter and the line break from the start of a file. Candidates are counted
 * by letting papaparse split the sample with each one, so separators inside quotes never count.
 */

/** SAMPLE_CHARS is how much text detection looks at (and the parser waits for before its first row). */
export const SAMPLE_CHARS = 64 * 1024;

/** SAMPLE_ROWS is how many rows of the sample detection compares. */
const SAMPLE_ROWS = 50;

/** detectNewline picks '\n' (LF, CRLF and a mix of both) unless the sample has only old-Mac '\r' breaks. */
export function detectNewline(sample: string): Newline {
  return !sample.includes('\n') && sample.includes('\r') ? '\r' : '\n';
}

/** isBlankRow tells a row with nothing but whitespace in every field (a blank line, or only delimiters). */
export function isBlankRow(fields: readonly string[]): boolean {
  for (const f of fields) if (f.trim() !== '') return false;
  return true;
}

interface Candidate {
  delimiter: Delimiter;
  headerFields: number;
  /** Rows (header included) with as many fields as the header. */
  matching: number;
  rows: number;
}

/**
 * detectDelimiter chooses the delimiter that splits the sample's rows consistently: every row
 * has the header's number of fields, and more than one. Among consistent candidates the one giving
 * most columns wins; if none is consistent, the one most rows agree with. Ties go to `, ; tab |`
 * in that order, and a file of one column is comma-separated. `complete` says the sample is the
 * whole file (otherwise its last, possibly cut, row is ignored).
 */
export function detectDelimiter(sample: string, complete: boolean, newline: Newline = detectNewline(sample)): Delimiter {
  const candidates = DELIMITERS.map((d) => measure(sample, complete, newline, d));
  const consistent = candidates.filter((c) => c.headerFields > 1 && c.matching === c.rows);
  const rank = (c: Candidate): number =>
    consistent.length > 0 ? c.headerFields : c.matching * 10_000 + Math.min(c.headerFields, 9_999);
  const pool = consistent.length > 0 ? consistent : candidates.filter((c) => c.headerFields > 1);
  let best: Candidate | undefined;
  for (const c of pool) if (best === undefined || rank(c) > rank(best)) best = c;
  return best?.delimiter ?? ',';
}

function measure(sample: string, complete: boolean, newline: Newline, delimiter: Delimiter): Candidate {
  const { rows } = createTokenizer(delimiter, newline, SAMPLE_ROWS).tokenize(sample, complete);
  const counts = rows.filter((r) => !isBlankRow(r)).map((r) => r.length);
  const headerFields = counts[0] ?? 0;
  return {
    delimiter,
    headerFields,
    matching: counts.filter((n) => n === headerFields).length,
    rows: counts.length,
  };
}
