import Papa from 'papaparse';
import type { Delimiter } from './types';

/**
 * The one place that talks to papaparse's core parser (`Papa.Parser`, the tokenizer under every
 * papaparse mode). We drive it the way papaparse's own chunk streamer does: parse the text so
 * far, keep what follows the last complete row, prepend it to the next chunk. Driving it directly
 * lets the same code take text from a string, from a Node file or from a Worker, and hands back
 * whole chunks of rows as plain arrays (no per-row callback), which is papaparse's fastest mode.
 */

/** Newline is the line break rows end with; '\n' also ends CRLF rows (the '\r' is removed later). */
export type Newline = '\n' | '\r';

/** TokenizerError is a papaparse error: `index` is the offset in the parsed text where it applies. */
export interface TokenizerError {
  code: string;
  index: number;
}

/** TokenizedText is what one call found. */
export interface TokenizedText {
  rows: string[][];
  errors: TokenizerError[];
  /** Offset just past the last complete row: text from here is the start of a row still to come. */
  cursor: number;
}

/** CsvTokenizer splits text into rows of fields, quotes and all, with papaparse. */
export interface CsvTokenizer {
  /**
   * tokenize parses `text`. Unless `final`, the last row is left out (it may continue in the next
   * chunk) and `cursor` says where it starts; when `final`, every row is returned and an unclosed
   * quote is reported as a `MissingQuotes` error.
   */
  tokenize(text: string, final: boolean): TokenizedText;
}

interface RawResult {
  data: string[][];
  errors: { code: string; index: number }[];
  meta: { cursor: number };
}

/** createTokenizer makes a tokenizer for one delimiter and line break; `preview` stops after that many rows. */
export function createTokenizer(delimiter: Delimiter, newline: Newline, preview = 0): CsvTokenizer {
  const core = new Papa.Parser({ delimiter, newline, quoteChar: '"', preview });
  return {
    tokenize(text, final) {
      // papaparse's core returns `any`; this is its documented result shape.
      const result = core.parse(text, 0, !final) as RawResult;
      return { rows: result.data, errors: result.errors, cursor: result.meta.cursor };
    },
  };
}
