import type { WireKind } from '../../shared/providers/types';
import type { MockServer } from '../mock-server/mock-server';
import { mockApiKey } from '../mock-server/mock-server';

/**
 * How the parity suite holds two runs side by side: the requests the mock SERVER recorded, and the
 * delivery report as written on disk, with only what legitimately differs between two runs masked.
 *
 * Wire: method, path and body byte for byte; every header but the key's (which must carry the key,
 * in the provider's form) and `host` (each side has its own server, on its own port: the exact
 * `127.0.0.1:<port>` of that server is replaced, nothing else). `content-length` is kept: equal
 * bodies have equal lengths. Requests are compared as a sorted list, as concurrency orders them
 * differently from run to run. A multipart form's boundary is random per request: it becomes
 * `<boundary>` wherever it stands (header and body), the rest of the form byte for byte (its file's
 * bytes included); a URL the server handed out for an upload becomes
 * `<upload of NAME to CONVERSATION>`, so a message must reference the upload of its own row.
 *
 * Report: byte for byte, after masking by column: `message_id` and `recipient` cells holding an id
 * that side's server made up (the set is read from the server's own state, so an id the server
 * never issued is not masked) become `<message N>` / `<conversation N>` numbered by first
 * appearance in the file (so "the same id twice" or "two distinct ids" still has to agree); time
 * columns (`sent_at`, `delivery_status_at`) become `<time>` when they hold an ISO 8601 time, and
 * stay as they are otherwise; the server's own origin in the `error` column becomes `<server>`.
 */

/** authHeaderOf is the header carrying the key and its expected value, in the provider's form. */
function authHeaderOf(kind: WireKind): { name: string; value: string } {
  return kind === 'wassist' ? { name: 'x-api-key', value: mockApiKey } : { name: 'authorization', value: `Bearer ${mockApiKey}` };
}

/** wireOf is every request `mock` (a `kind` API) received, as comparable text, sorted. */
export function wireOf(mock: MockServer, kind: WireKind): string[] {
  const host = `127.0.0.1:${mock.port}`;
  const auth = authHeaderOf(kind);
  const uploads = [...mock.state.uploads.values()].map((u) => [u.url, `<upload of ${u.filename} to ${u.conversationId}>`] as const);
  const masked = (text: string, boundary: string | undefined) => {
    let out = boundary === undefined ? text : text.replaceAll(boundary, '<boundary>');
    for (const [url, name] of uploads) out = out.replaceAll(url, name);
    return out;
  };
  return mock.requests
    .map((r) => {
      const type = r.headers['content-type'];
      const boundary = typeof type === 'string' ? /boundary=([^;\s]+)/.exec(type)?.[1] : undefined;
      const lines: string[] = [];
      for (const name of Object.keys(r.headers).sort()) {
        const raw = r.headers[name];
        const value = Array.isArray(raw) ? raw.join(', ') : (raw ?? '');
        if (name === 'host') lines.push(`host: ${value === host ? '<server>' : value}`);
        else if (name === auth.name) lines.push(`${name}: ${value === auth.value ? '<the key>' : '<NOT THE KEY>'}`);
        else lines.push(`${name}: ${masked(value, boundary)}`);
      }
      // A form is compared byte for byte (latin1 keeps every byte of its files), its boundary masked.
      const body = boundary === undefined ? masked(r.rawBody, undefined) : masked(r.bytes.toString('latin1'), boundary);
      return `${r.method} ${r.path}\n${lines.join('\n')}\n\n${body}`;
    })
    .sort();
}

/** generatedIds are the ids `mock` made up: conversations it created (not `seeded`) and every message id. */
export function generatedIds(mock: MockServer, seeded: Iterable<string>): { conversations: Set<string>; messages: Set<string> } {
  const known = new Set(seeded);
  const conversations = new Set<string>();
  const messages = new Set<string>();
  for (const c of mock.state.conversations.values()) {
    if (!known.has(c.id)) conversations.add(c.id);
    for (const m of c.messages) messages.add(m.id);
  }
  return { conversations, messages };
}

/** CsvRecord is one record of a CSV file, each cell as written (quotes included), and the line end after it. */
interface CsvRecord {
  cells: string[];
  end: string;
}

/** splitCsv splits CSV text into records of raw cells, so joining them again gives the text back byte for byte. */
export function splitCsv(text: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  let cells: string[] = [];
  let start = 0;
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"') quoted = !quoted;
    else if (!quoted && ch === ',') {
      cells.push(text.slice(start, i));
      start = i + 1;
    } else if (!quoted && (ch === '\n' || ch === '\r')) {
      const end = ch === '\r' && text[i + 1] === '\n' ? '\r\n' : ch;
      cells.push(text.slice(start, i));
      records.push({ cells, end });
      cells = [];
      i += end.length - 1;
      start = i + 1;
    }
  }
  if (start < text.length || cells.length > 0) {
    cells.push(text.slice(start));
    records.push({ cells, end: '' });
  }
  return records;
}

function joinCsv(records: CsvRecord[]): string {
  return records.map((r) => r.cells.join(',') + r.end).join('');
}

function unquote(cell: string): string {
  return cell.startsWith('"') && cell.endsWith('"') && cell.length >= 2 ? cell.slice(1, -1).replaceAll('""', '"') : cell;
}

const isoTime = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** maskReport masks a report's server-made ids and times by column (see the file comment). */
export function maskReport(report: string, mock: MockServer, seeded: Iterable<string>): string {
  const records = splitCsv(report);
  const header = (records[0]?.cells ?? []).map(unquote);
  const ids = generatedIds(mock, seeded);
  const numbering = new Map<string, Map<string, number>>();
  const numbered = (column: string, id: string) => {
    const seen = numbering.get(column) ?? new Map<string, number>();
    numbering.set(column, seen);
    if (!seen.has(id)) seen.set(id, seen.size + 1);
    return seen.get(id) as number;
  };
  const origin = new URL(mock.url).origin;
  for (const record of records.slice(1)) {
    record.cells = record.cells.map((cell, i) => {
      const column = header[i];
      const value = unquote(cell);
      if (value === '') return cell;
      if (column === 'message_id' && ids.messages.has(value)) return `<message ${numbered(column, value)}>`;
      if (column === 'recipient' && ids.conversations.has(value)) return `<conversation ${numbered(column, value)}>`;
      if ((column === 'sent_at' || column === 'delivery_status_at') && isoTime.test(value) && !Number.isNaN(Date.parse(value))) return '<time>';
      if (column === 'error') return cell.replaceAll(origin, '<server>');
      return cell;
    });
  }
  return joinCsv(records);
}

/** columnOf is one column of a report (unquoted), for the checks that make sure a scenario did what it claims. */
export function columnOf(report: string, column: string): string[] {
  const [head, ...rows] = splitCsv(report).filter((r) => r.cells.length > 1 || r.cells[0] !== '');
  const i = (head?.cells ?? []).map(unquote).indexOf(column);
  if (i < 0) throw new Error(`the report has no column ${column}`);
  return rows.map((r) => unquote(r.cells[i] ?? ''));
}
