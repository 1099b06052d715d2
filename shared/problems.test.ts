import { describe, expect, it } from 'vitest';
import { formatProblem } from './problems';

describe('formatProblem', () => {
  it('names the row, the field, the column and the reason', () => {
    expect(formatProblem({ row: 4, field: 'recipient.conversationId', column: 'conversation_id', reason: 'missing value', severity: 'error' })).toBe(
      'row 4, recipient.conversationId (column "conversation_id"): missing value',
    );
  });

  it('marks warnings and names campaign-level and file-level problems by what they are about', () => {
    expect(formatProblem({ row: 2, field: 'message.text.body', reason: 'x', severity: 'warning' })).toBe('row 2, message.text.body: x [warning]');
    expect(formatProblem({ row: 0, field: 'provider.kind', reason: 'unknown', severity: 'error' })).toBe('campaign, provider.kind: unknown');
    expect(formatProblem({ row: 0, field: 'csv', reason: 'the file is empty', severity: 'error' })).toBe('CSV file: the file is empty');
    expect(formatProblem({ row: 0, field: 'csv header', column: 'id', reason: 'duplicate', severity: 'error' })).toBe('CSV header (column "id"): duplicate');
  });
});
