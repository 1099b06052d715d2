import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * LibreOffice Calc as a reader that is not our writer: `openInCalc` has headless soffice load a file
 * (a workbook, or a CSV with the import options a person would pick) and save it as flat ODS, which
 * `readFods` turns into what the spreadsheet holds: each cell's type (string, float, …), the text it
 * shows, and its formula if it has one. Missing soffice is an error, never a skip: CI installs it
 * (`npm run setup`), and a report test that silently did not run would prove nothing.
 */

/** CalcCell is one cell as Calc holds it. `type` is ODF's office:value-type ('' for an empty cell). */
export interface CalcCell {
  type: string;
  text: string;
  formula?: string;
}

export interface CalcSheet {
  name: string;
  rows: CalcCell[][];
}

/** CSV import options (LibreOffice's CSV filter tokens): separator, quote, charset, first line, …, evaluate formulas. */
export function csvImportFilter(separator: string, charset: 'UTF-8' | 'Windows-1252'): string {
  const cs = charset === 'UTF-8' ? 76 : 1;
  // Token 13 (evaluate formulas) on, as Excel opens a CSV; 8 (detect special numbers) off.
  return `Text - txt - csv (StarCalc):${separator.charCodeAt(0)},34,${cs},1,,0,false,false,false,false,false,false,true`;
}

let profile: string | undefined;

/** openInCalc loads `file` in LibreOffice Calc (with `infilter` for a CSV) and returns its sheets. */
export function openInCalc(file: string, infilter?: string): CalcSheet[] {
  profile ??= mkdtempSync(join(tmpdir(), 'soffice-profile-'));
  const out = mkdtempSync(join(tmpdir(), 'soffice-out-'));
  const args = [`-env:UserInstallation=${pathToFileURL(profile).href}`, '--headless', '--norestore'];
  if (infilter !== undefined) args.push(`--infilter=${infilter}`);
  args.push('--convert-to', 'fods', '--outdir', out, file);
  const r = spawnSync('soffice', args, { encoding: 'utf8', timeout: 120_000 });
  if (r.error !== undefined && (r.error as NodeJS.ErrnoException).code === 'ENOENT') {
    throw new Error('LibreOffice is not installed (no `soffice` on PATH): run `npm run setup`, or apt-get install libreoffice-calc-nogui.');
  }
  if (r.error !== undefined) throw r.error;
  const made = readdirSync(out).find((f) => f.endsWith('.fods'));
  if (r.status !== 0 || made === undefined) throw new Error(`soffice could not convert ${basename(file)} (exit ${r.status}): ${r.stderr}${r.stdout}`);
  return readFods(readFileSync(join(out, made), 'utf8'));
}

const ENTITY: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decode(xml: string): string {
  return xml.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, e: string) => {
    if (e.startsWith('#x') || e.startsWith('#X')) return String.fromCodePoint(parseInt(e.slice(2), 16));
    if (e.startsWith('#')) return String.fromCodePoint(Number(e.slice(1)));
    return ENTITY[e] ?? m;
  });
}

function attr(attrs: string, name: string): string | undefined {
  const m = new RegExp(`${name}="([^"]*)"`).exec(attrs);
  return m === null ? undefined : decode(m[1] ?? '');
}

/** cellText is a cell's paragraphs as one string, ODF's space, tab and line-break elements expanded. */
function cellText(inner: string): string {
  const paragraphs = [...inner.matchAll(/<text:p(?:\s[^>]*)?(?:\/>|>([\s\S]*?)<\/text:p>)/g)].map((m) =>
    decode(
      (m[1] ?? '')
        .replace(/<text:s text:c="(\d+)"\/>/g, (_, n: string) => ' '.repeat(Number(n)))
        .replace(/<text:s\/>/g, ' ')
        .replace(/<text:tab\/>/g, '\t')
        .replace(/<text:line-break\/>/g, '\n')
        .replace(/<[^>]+>/g, ''),
    ),
  );
  return paragraphs.join('\n');
}

/** readFods reads a flat ODS document's tables; trailing empty cells and rows are dropped. */
export function readFods(xml: string): CalcSheet[] {
  const sheets: CalcSheet[] = [];
  for (const t of xml.matchAll(/<table:table ([^>]*)>([\s\S]*?)<\/table:table>/g)) {
    const rows: CalcCell[][] = [];
    for (const r of (t[2] ?? '').matchAll(/<table:table-row([^>]*?)(?:\/>|>([\s\S]*?)<\/table:table-row>)/g)) {
      const cells: CalcCell[] = [];
      for (const c of (r[2] ?? '').matchAll(/<table:(?:covered-)?table-cell([^>]*?)(?:\/>|>([\s\S]*?)<\/table:(?:covered-)?table-cell>)/g)) {
        const attrs = c[1] ?? '';
        const cell: CalcCell = { type: attr(attrs, 'office:value-type') ?? '', text: cellText(c[2] ?? '') };
        const formula = attr(attrs, 'table:formula');
        if (formula !== undefined) cell.formula = formula;
        const repeat = Math.min(Number(attr(attrs, 'table:number-columns-repeated') ?? 1), 1_000);
        for (let i = 0; i < repeat; i++) cells.push(cell);
      }
      while (cells.length > 0 && cells[cells.length - 1]?.type === '' && cells[cells.length - 1]?.text === '') cells.pop();
      const repeat = Math.min(Number(attr(r[1] ?? '', 'table:number-rows-repeated') ?? 1), 1_000);
      for (let i = 0; i < repeat; i++) rows.push(cells);
    }
    while (rows.length > 0 && rows[rows.length - 1]?.length === 0) rows.pop();
    sheets.push({ name: attr(t[1] ?? '', 'table:name') ?? '', rows });
  }
  return sheets;
}

