/**
 * Problem is one thing wrong with the input, located precisely enough for a person to fix it:
 * the 1-based data row (0 when it is about the file or the campaign as a whole, not one row),
 * the field as a path into the campaign (`message.template.variables.body[1]`, `recipient.conversationId`)
 * or a CSV column, and a reason in plain words.
 *
 * `error` blocks sending that row; `warning` is shown but does not (an empty cell inside a
 * longer text, say).
 */
export interface Problem {
  row: number;
  field: string;
  reason: string;
  severity: 'error' | 'warning';
  /** The CSV column involved, when there is one. */
  column?: string;
}

/** formatProblem renders a problem the way the CLI and the UI list them. */
export function formatProblem(p: Problem): string {
  const col = p.column !== undefined ? ` (column "${p.column}")` : '';
  const tail = `${col}: ${p.reason}${p.severity === 'warning' ? ' [warning]' : ''}`;
  if (p.row > 0) return `row ${p.row}, ${p.field}${tail}`;
  // A problem of the CSV file as a whole (`csv`, `csv header`) reads "CSV file: …", "CSV header: …".
  if (p.field === 'csv' || p.field.startsWith('csv ')) return `CSV ${p.field === 'csv' ? 'file' : p.field.slice(4)}${tail}`;
  return `campaign, ${p.field}${tail}`;
}

/** hasErrors tells whether any problem blocks sending. */
export function hasErrors(problems: readonly Problem[]): boolean {
  return problems.some((p) => p.severity === 'error');
}

/**
 * InputError is thrown at the edges (CSV, campaign file, CLI arguments) for a user mistake.
 * Callers print `problems` and exit, never a stack trace.
 */
export class InputError extends Error {
  readonly problems: Problem[];
  constructor(problems: Problem[]) {
    super(problems.map(formatProblem).join('\n'));
    this.name = 'InputError';
    this.problems = problems;
  }
}
