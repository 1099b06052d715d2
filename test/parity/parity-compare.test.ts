import { describe, expect, it } from 'vitest';
import type { MockServer } from '../mock-server/mock-server';
import { maskReport, splitCsv } from './parity-compare';

/** The comparison's own checks: masking hides only what the server made up and the times, nothing else. */

const server = {
  url: 'http://127.0.0.1:4321',
  state: {
    conversations: new Map([
      ['seeded', { id: 'seeded', messages: [{ id: 'm-1' }] }],
      ['made-up', { id: 'made-up', messages: [{ id: 'm-2' }] }],
    ]),
  },
} as unknown as MockServer;

const report = [
  'row,recipient,status,message_id,attempts,http_status,error,sent_at,note',
  '1,seeded,sent,m-1,1,201,,2026-12-01T03:03:47.219Z,"a, ""quoted""\r\nline"',
  '2,made-up,sent,m-2,1,201,,2026-12-01T03:03:47.253Z,x',
  '3,other,uncertain,m-9,1,,no answer from http://127.0.0.1:4321 within 5000 ms,yesterday,',
  '',
].join('\r\n');

describe('parity-compare', () => {
  it('splits CSV into raw cells that join back to the same bytes, quoted line breaks included', () => {
    const records = splitCsv(report);
    expect(records).toHaveLength(4);
    expect(records[1]?.cells[8]).toBe('"a, ""quoted""\r\nline"');
    expect(records.map((r) => r.cells.join(',') + r.end).join('')).toBe(report);
  });

  it("masks by column: the server's own ids, ISO times and its origin in errors, nothing else", () => {
    const masked = splitCsv(maskReport(report, server, ['seeded'])).map((r) => r.cells);
    expect(masked[1]).toEqual(['1', 'seeded', 'sent', '<message 1>', '1', '201', '', '<time>', '"a, ""quoted""\r\nline"']);
    expect(masked[2]).toEqual(['2', '<conversation 1>', 'sent', '<message 2>', '1', '201', '', '<time>', 'x']);
    // An id the server never issued and a time that is not ISO 8601 stay visible, so a difference shows.
    expect(masked[3]).toEqual(['3', 'other', 'uncertain', 'm-9', '1', '', 'no answer from <server> within 5000 ms', 'yesterday', '']);
  });
});
