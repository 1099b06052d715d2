import { describe, expect, it } from 'vitest';
import type { RowOutcome } from '../../../shared/engine/events';
import { groupErrors, reasonKey } from './group-errors';

function failed(row: number, error: string, httpStatus?: number): RowOutcome {
  const r: RowOutcome = { row, status: 'failed', recipient: `c${row}`, attempts: 1, error };
  if (httpStatus !== undefined) r.httpStatus = httpStatus;
  return r;
}

describe('grouping errors by reason', () => {
  it('folds ids, uuids and quoted values out of the reason', () => {
    expect(reasonKey('Conversation not found: con_8f2k1q9.')).toBe('Conversation not found: ….');
    expect(reasonKey('No conversation 1197955e-4244-418b-ab9b-375076bcb6ca')).toBe('No conversation …');
    expect(reasonKey('cta.url must be an http(s) URL, got "not a link"')).toBe('cta.url must be an http(s) URL, got …');
    expect(reasonKey('the API key was rejected (401)')).toBe('the API key was rejected (401)');
  });

  it('groups by reason and status, largest first, with the first rows of each', () => {
    const rows: RowOutcome[] = [
      failed(9, 'Conversation not found: con_aaaaa1.', 404),
      failed(3, 'Conversation is not active.', 400),
      failed(2, 'Conversation not found: con_bbbbb2.', 404),
      { row: 4, status: 'uncertain', recipient: 'c4', attempts: 1 },
      { row: 5, status: 'sent', recipient: 'c5', attempts: 1, messageId: 'm' },
      failed(7, 'Conversation not found: con_ccccc3.', 404),
    ];
    const groups = groupErrors(rows, 2);
    expect(groups.map((g) => [g.reason, g.count, g.rows, g.httpStatus, g.status])).toEqual([
      ['Conversation not found: ….', 3, [2, 9], 404, 'failed'],
      ['Conversation is not active.', 1, [3], 400, 'failed'],
      ['no answer from the provider', 1, [4], undefined, 'uncertain'],
    ]);
    expect(groups[0]?.example).toBe('Conversation not found: con_aaaaa1.');
  });

  it('keeps the same text with different statuses apart', () => {
    expect(groupErrors([failed(1, 'Bad request', 400), failed(2, 'Bad request', 422)])).toHaveLength(2);
  });

  it('is empty when nothing failed', () => {
    expect(groupErrors([{ row: 1, status: 'sent', recipient: 'c', attempts: 1 }])).toEqual([]);
  });
});
