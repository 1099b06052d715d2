import type { JsonObject } from '../json';
import type { Problem } from '../problems';
import { segmentProblem } from '../providers/rules';
import type { BodyIssue, WireRequest } from '../providers/types';
import type { CompiledCampaign, EmptyHit } from './render';
import { renderObject, renderTemplate } from './render';

/**
 * Preparing a row renders its body and recipient and lists everything wrong with it, in one
 * place that both the desktop preview and the engine call: what the preview shows (and warns
 * about) is exactly what is sent.
 */

/** PreparedRow is one CSV row ready to send, or the reasons it cannot be. */
export interface PreparedRow {
  /** 1-based data row. */
  row: number;
  /** Rendered conversation id, trimmed ('' = none). */
  recipient: string;
  /** The rendered message: the campaign's request body with this row's values filled in. */
  body: JsonObject;
  /** provider.buildRequest(recipient, body): what goes on the wire, less the auth header. */
  request: WireRequest;
  /** Every problem of this row; any error blocks sending it. */
  problems: Problem[];
}

const RECIPIENT = 'recipient.conversationId';

/**
 * prepareRow renders row `row` (1-based) whose cells are `fields`, in the order of the compiled
 * headers (missing trailing cells count as empty), and collects every problem of the row:
 * - each provider BodyIssue, as an error on `message.<field>` (a warning when the provider says so). When the field's string came out
 *   blank because cells without a fallback were empty, the error says which (`missing value`);
 * - an empty cell without a fallback where the text is still usable: a warning;
 * - a missing conversation id when the provider needs one.
 */
export function prepareRow(compiled: CompiledCampaign, row: number, fields: readonly string[]): PreparedRow {
  const hits: EmptyHit[] = [];
  const body = renderObject(compiled.message, fields, hits);
  const messageHits = hits.length;
  const recipient = renderTemplate(compiled.recipient, fields, hits).trim();
  const provider = compiled.provider;
  const issues = provider.validateBody(body);
  // A recipient that is not one plain path segment (`..`, `a/b`) is a row error; its request is
  // built as if it had none, so nothing can be aimed at another endpoint even by mistake.
  const unfit = recipient === '' ? undefined : segmentProblem(recipient);
  const request = provider.buildRequest(unfit === undefined ? recipient : '', body);
  const problems: Problem[] = [];
  if (unfit !== undefined) problems.push(unfitRecipient(compiled, row, recipient, unfit));
  if (hits.length > messageHits || recipient === '') recipientProblems(compiled, row, recipient, hits[messageHits], problems);
  if (issues.length > 0 || messageHits > 0) bodyProblems(compiled, row, issues, hits, messageHits, problems);
  return { row, recipient, body, request, problems };
}

/** usedColumns lists every column the campaign uses, each once: the recipient's first, then the message's in document order. */
export function usedColumns(compiled: CompiledCampaign): string[] {
  return [...compiled.columns];
}

function unfitRecipient(compiled: CompiledCampaign, row: number, recipient: string, reason: string): Problem {
  const shown = recipient.length > 60 ? `${recipient.slice(0, 60)}…` : recipient;
  const problem: Problem = { row, field: RECIPIENT, reason: `conversation id ${JSON.stringify(shown)} ${reason}`, severity: 'error' };
  const columns = compiled.recipient.columns;
  if (columns.length > 0) problem.column = columns[0];
  return problem;
}

function recipientProblems(compiled: CompiledCampaign, row: number, recipient: string, hit: EmptyHit | undefined, out: Problem[]): void {
  const template = compiled.recipient;
  if (recipient === '') {
    if (!compiled.provider.recipientRequired) return; // the API creates a conversation: nothing to warn about
    if (hit !== undefined) {
      out.push({ row, field: RECIPIENT, column: hit.columns[0], reason: missingValue(hit.columns), severity: 'error' });
    } else if (template.columns.length > 0) {
      out.push({
        row,
        field: RECIPIENT,
        column: template.columns[0],
        reason: `no conversation id: ${quoteList(template.columns)} ${template.columns.length > 1 ? 'give' : 'gives'} an empty value`,
        severity: 'error',
      });
    } else {
      out.push({ row, field: RECIPIENT, reason: `no conversation id: set ${RECIPIENT} (usually "{{conversation_id}}")`, severity: 'error' });
    }
    return;
  }
  if (hit !== undefined) for (const column of hit.columns) out.push(emptyWarning(row, RECIPIENT, column));
}

function bodyProblems(compiled: CompiledCampaign, row: number, issues: BodyIssue[], hits: EmptyHit[], messageHits: number, out: Problem[]): void {
  // Each hit explains at most one issue of its field; what it does not explain becomes warnings.
  const used = new Array<boolean>(messageHits).fill(false);
  for (const issue of issues) {
    const field = issue.field === '' ? 'message' : `message.${issue.field}`;
    if (issue.severity === 'warning') {
      const columns = compiled.templates.get(field)?.columns;
      out.push(columns?.length === 1 ? { row, field, column: columns[0] as string, reason: issue.reason, severity: 'warning' } : { row, field, reason: issue.reason, severity: 'warning' });
      continue;
    }
    let h = 0;
    while (h < messageHits && (used[h] === true || (hits[h] as EmptyHit).template.field !== field)) h++;
    if (h < messageHits) {
      used[h] = true;
      const hit = hits[h] as EmptyHit;
      const reason = hit.value.trim() === '' ? missingValue(hit.columns) : `${issue.reason}; ${emptyNote(hit.columns)}`;
      out.push({ row, field, column: hit.columns[0], reason, severity: 'error' });
      continue;
    }
    const problem: Problem = { row, field, reason: issue.reason, severity: 'error' };
    const columns = compiled.templates.get(field)?.columns;
    if (columns?.length === 1) problem.column = columns[0];
    out.push(problem);
  }
  for (let h = 0; h < messageHits; h++) {
    if (used[h] === true) continue;
    const hit = hits[h] as EmptyHit;
    for (const column of hit.columns) out.push(emptyWarning(row, hit.template.field, column));
  }
}

function emptyWarning(row: number, field: string, column: string): Problem {
  return { row, field, column, reason: `column "${column}" is empty in this row (no fallback)`, severity: 'warning' };
}

function missingValue(columns: string[]): string {
  return columns.length === 1 ? `missing value: column "${columns[0]}" is empty` : `missing value: columns ${quoteList(columns)} are empty`;
}

function emptyNote(columns: string[]): string {
  return columns.length === 1
    ? `column "${columns[0]}" is empty in this row (no fallback)`
    : `columns ${quoteList(columns)} are empty in this row (no fallback)`;
}

function quoteList(items: string[]): string {
  const q = items.map((s) => `"${s}"`);
  return q.length <= 1 ? (q[0] ?? '') : `${q.slice(0, -1).join(', ')} and ${q[q.length - 1]}`;
}
