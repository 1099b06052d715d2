import { InputError } from '../problems';
import type { Problem } from '../problems';

/**
 * The CSV's own mistakes, worded for the person who exported the file: each names the physical
 * line (1-based) so they can find it in a text editor, and the column when there is one.
 */

/** csvError is an error about the file (row 0) or about data row `row`, in field `csv` unless told. */
export function csvError(row: number, reason: string, field = 'csv', column?: string): Problem {
  return column === undefined ? { row, field, reason, severity: 'error' } : { row, field, reason, severity: 'error', column };
}

/** emptyFileError is thrown for a file with no text at all, or only blank lines. */
export function emptyFileError(): InputError {
  return new InputError([csvError(0, 'the file is empty: line 1 must be a header row with the column names')]);
}

/** missingHeaderError is thrown when line 1 is blank although the file has text further down, on `firstTextLine`. */
export function missingHeaderError(firstTextLine: number): InputError {
  return new InputError([
    csvError(
      0,
      `line 1 is empty, but the header row (the column names) must be the first line; ` +
        `remove the blank line${firstTextLine > 2 ? 's' : ''} above line ${firstTextLine}`,
      'csv header',
    ),
  ]);
}

/** unterminatedQuoteError is thrown for a quoted field that opens on `line` and never closes. */
export function unterminatedQuoteError(row: number, line: number): InputError {
  return new InputError([
    csvError(
      row,
      `line ${line}: a quoted field starts here but its closing quote is missing ` +
        `(or is followed by something other than a delimiter or the end of the line)`,
    ),
  ]);
}

/** rowTooLongError is thrown for a row that is still not finished after `max` characters: no contact's row is that long, so a quote is almost surely never closed. */
export function rowTooLongError(row: number, line: number, max: number): InputError {
  return new InputError([
    csvError(
      row,
      `line ${line}: the row that starts here is longer than ${Math.round(max / (1024 * 1024))} million characters; ` +
        `a quoted field probably never closes (check the quotes on this line)`,
    ),
  ]);
}

/** fieldCountProblem is the problem of data row `row`, on `line`, that has `got` fields instead of `want`. */
export function fieldCountProblem(row: number, line: number, got: number, want: number): Problem {
  return csvError(
    row,
    `line ${line} has ${got} field${got === 1 ? '' : 's'} but the header has ${want} column${want === 1 ? '' : 's'}` +
      ` (a delimiter too many or too few, or a value with a delimiter that is not in quotes)`,
  );
}

/**
 * readHeader turns the first row into column names: trimmed, none blank, none twice. It throws
 * one InputError listing every mistake, so a person fixes the header in one go.
 */
export function readHeader(fields: readonly string[], line: number): string[] {
  const names = fields.map((f) => f.trim());
  const problems: Problem[] = [];
  const blank = names.flatMap((n, i) => (n === '' ? [i + 1] : []));
  if (blank.length > 0) {
    const which = blank.length === 1 ? `column ${blank[0]} has` : `columns ${list(blank)} have`;
    problems.push(csvError(0, `line ${line}: ${which} no name; every column needs a name in the header row`, 'csv header'));
  }
  const seen = new Map<string, number[]>();
  names.forEach((n, i) => {
    const columns = seen.get(n);
    if (columns) columns.push(i + 1);
    else if (n !== '') seen.set(n, [i + 1]);
  });
  for (const [name, columns] of seen) {
    if (columns.length < 2) continue;
    const verb = columns.length > 2 ? 'are all' : 'are both';
    const reason = `line ${line}: columns ${list(columns)} ${verb} named "${name}"; column names must be unique`;
    problems.push(csvError(0, reason, 'csv header', name));
  }
  if (problems.length > 0) throw new InputError(problems);
  return names;
}

function list(numbers: readonly number[]): string {
  if (numbers.length <= 1) return numbers.join('');
  return `${numbers.slice(0, -1).join(', ')} and ${numbers[numbers.length - 1]}`;
}
