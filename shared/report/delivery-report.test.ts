import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { csvLines, neutralizeCell, reportCells, reportFields, reportHeader, REPORT_COLUMNS } from './delivery-report';

describe('reportHeader', () => {
  it('puts the report columns first, in contract order, then the input columns unchanged', () => {
    expect(reportHeader(['conversation_id', 'first_name'])).toEqual([
      'row', 'recipient', 'status', 'message_id', 'attempts', 'http_status', 'error', 'sent_at',
      'conversation_id', 'first_name',
    ]);
  });

  it('suffixes an input column whose name collides with a report column', () => {
    const h = reportHeader(['status', 'name', 'error']);
    expect(h.slice(REPORT_COLUMNS.length)).toEqual(['status (input)', 'name', 'error (input)']);
  });

  it('applies a cell rule to input names before resolving collisions (CSV: neutralised, still unique)', () => {
    expect(reportHeader(['=a', "'=a", 'status'], neutralizeCell).slice(REPORT_COLUMNS.length)).toEqual(["'=a", "'=a (input)", 'status (input)']);
    expect(reportHeader(['=a'])).toContain('=a'); // the workbook keeps names raw: its cells are text
  });

  it('keeps suffixed names unique even when the input already has the suffixed name', () => {
    const h = reportHeader(['status', 'status (input)']);
    expect(new Set(h).size).toBe(h.length);
  });
});

describe('neutralizeCell', () => {
  it.each(['=1+1', '+SUM(A1)', '-2+3', '@cmd', '\tx', '\rx', '\nx', '=HYPERLINK("http://x")\nsecond line'])(
    'neutralises %j',
    (v) => {
      expect(neutralizeCell(v)).toBe(`'${v}`);
    },
  );

  it.each(['+14155550123', '+442071838750', '-12', '42', 'hello', '', 'a=b', ' =not a formula'])('keeps %j', (v) => {
    expect(neutralizeCell(v)).toBe(v);
  });

  it('catches the multi-line formula that papaparse escapeFormulae misses', () => {
    const v = '=cmd|\' /C calc\'!A0\nline two';
    const papa = Papa.unparse([[v]], { escapeFormulae: true });
    expect(papa.startsWith('"=')).toBe(true); // papaparse leaves it live
    expect(csvLines([[neutralizeCell(v)]]).startsWith(`"'=`)).toBe(true);
  });
});

describe('reportCells', () => {
  it('fills a sent row and neutralises provider error text and input cells', () => {
    const cells = reportCells(
      3,
      { row: 3, status: 'failed', recipient: 'c-1', attempts: 2, httpStatus: 400, error: '=bad' },
      ['+14155550123', '@x'],
    );
    expect(cells).toEqual(['3', 'c-1', 'failed', '', '2', '400', "'=bad", '', '+14155550123', "'@x"]);
  });

  it('reports a row never attempted as pending and a row left in flight as uncertain', () => {
    expect(reportCells(1, undefined, [])[2]).toBe('pending');
    expect(reportCells(1, { row: 1, status: 'in-flight', recipient: 'c', attempts: 1 }, [])[2]).toBe('uncertain');
  });
});

describe('reportFields', () => {
  it('is the row as raw values, for the workbook, which needs no neutralising', () => {
    expect(reportFields(2, { row: 2, status: 'failed', recipient: 'c', attempts: 1, error: '=x' }, ['@y'])).toEqual(['2', 'c', 'failed', '', '1', '', '=x', '', '@y']);
  });
});

describe('csvLines', () => {
  it('writes in the delimiter asked for, quoting values that hold it', () => {
    expect(csvLines([['a;b', 'c']], ';')).toBe('"a;b";c\r\n');
  });

  it('round-trips quotes, delimiters and newlines through a CSV parser', () => {
    const rows = [['a,b', 'say "hi"', 'two\nlines', 'plain']];
    const text = csvLines(rows);
    expect(text.endsWith('\r\n')).toBe(true);
    expect(Papa.parse<string[]>(text.trimEnd()).data).toEqual(rows);
  });
});
