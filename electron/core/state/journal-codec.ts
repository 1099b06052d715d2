import { crc32 } from 'node:zlib';
import { z } from 'zod';
import type { RowOutcome } from '../../../shared/engine/events';
import type { JsonObject } from '../../../shared/json';
import { rowStatuses } from '../../../shared/engine/events';

/**
 * The journal's on-disk format: one record per line, `<crc32 as 8 hex digits> <JSON>\n`.
 * The checksum covers the JSON's UTF-8 bytes, so a record cut short by a crash (or damaged on
 * disk) is recognised instead of being read as a different state. JSON.stringify never emits a
 * raw newline, so a line is always exactly one record.
 */

const rowOutcomeSchema = z.strictObject({
  row: z.number().int().min(1),
  status: z.enum(rowStatuses),
  recipient: z.string(),
  messageId: z.string().optional(),
  attempts: z.number().int().min(0),
  httpStatus: z.number().int().optional(),
  error: z.string().optional(),
  sentAt: z.string().optional(),
  attemptStartedAt: z.string().optional(),
  uploads: z.array(z.record(z.string(), z.json())).optional(),
});

/**
 * JournalRecord is a RowOutcome as the journal stores it: the engine adds `attemptStartedAt`
 * (ISO 8601, the engine's clock) to in-flight and uncertain records, so that reconciliation after
 * a crash knows since when to look for the message. A row that attaches files keeps, while it is
 * not settled (pending, in flight, uncertain), `uploads`: what each upload done so far answered (the
 * attachment object with its URL), in file order, so a resume references them instead of uploading
 * again. Neither is part of the report.
 */
export interface JournalRecord extends RowOutcome {
  attemptStartedAt?: string;
  uploads?: JsonObject[];
}

/** uploadsOf reads the attachments a record says were uploaded for its row (none when it says nothing). */
export function uploadsOf(o: RowOutcome): JsonObject[] {
  return (o as JournalRecord).uploads ?? [];
}

/** attemptStartOf reads a record's attempt start (ms since the epoch), if it has a valid one. */
export function attemptStartOf(o: RowOutcome): number | undefined {
  const v = (o as JournalRecord).attemptStartedAt;
  if (typeof v !== 'string') return undefined;
  const ms = Date.parse(v);
  return Number.isNaN(ms) ? undefined : ms;
}

/** DecodedLine is a journal record read back: the outcome, or why it is not a valid record. */
export type DecodedLine = { ok: true; outcome: RowOutcome } | { ok: false; reason: string };

/** parseOutcome checks that `value` is a RowOutcome the journal can store and read back. */
export function parseOutcome(value: unknown): DecodedLine {
  // The hand-written check accepts only what the schema accepts and is ten times faster: a journal
  // of a million rows is read and written millions of times. The schema says why when it refuses.
  if (isRecord(value)) return { ok: true, outcome: value };
  const r = rowOutcomeSchema.safeParse(value);
  if (r.success) return { ok: true, outcome: r.data };
  return { ok: false, reason: r.error.issues.map((i) => `${i.path.join('.') || '(record)'}: ${i.message}`).join('; ') };
}

const KEYS = new Set(['row', 'status', 'recipient', 'messageId', 'attempts', 'httpStatus', 'error', 'sentAt', 'attemptStartedAt']);
const STATUSES = new Set<unknown>(rowStatuses);

/** isRecord is rowOutcomeSchema written out by hand: a strict object with those fields and types. */
function isRecord(v: unknown): v is JournalRecord {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const o = v as Record<string, unknown>;
  for (const k in o) if (!KEYS.has(k)) return false;
  if (!Number.isSafeInteger(o.row) || (o.row as number) < 1) return false;
  if (!STATUSES.has(o.status) || typeof o.recipient !== 'string') return false;
  if (!Number.isSafeInteger(o.attempts) || (o.attempts as number) < 0) return false;
  if (o.httpStatus !== undefined && !Number.isSafeInteger(o.httpStatus)) return false;
  for (const k of ['messageId', 'error', 'sentAt', 'attemptStartedAt'] as const) if (o[k] !== undefined && typeof o[k] !== 'string') return false;
  return true;
}

/**
 * pickOutcome copies only the fields of a RowOutcome, in a fixed order, so nothing that happens
 * to ride along on the object (a key, a response) can end up on disk.
 */
export function pickOutcome(o: JournalRecord): JournalRecord {
  const picked: JournalRecord = { row: o.row, status: o.status, recipient: o.recipient, attempts: o.attempts };
  if (o.messageId !== undefined) picked.messageId = o.messageId;
  if (o.httpStatus !== undefined) picked.httpStatus = o.httpStatus;
  if (o.error !== undefined) picked.error = o.error;
  if (o.sentAt !== undefined) picked.sentAt = o.sentAt;
  if (o.attemptStartedAt !== undefined) picked.attemptStartedAt = o.attemptStartedAt;
  if (o.uploads !== undefined && o.uploads.length > 0) picked.uploads = o.uploads;
  return picked;
}

/**
 * encodeRecord renders one outcome as a journal line (newline included), with the fields of
 * pickOutcome only. It throws on an outcome that could not be read back (row 0, NaN
 * attempts…): writing it would turn a programming error into a journal that no longer opens.
 */
export function encodeRecord(o: RowOutcome): string {
  const picked = pickOutcome(o);
  const checked = parseOutcome(picked);
  if (!checked.ok) throw new TypeError(`journal record for row ${String(o.row)} is invalid: ${checked.reason}`);
  const json = JSON.stringify(picked);
  return `${crc32(json).toString(16).padStart(8, '0')} ${json}\n`;
}

const SPACE = 0x20;

/** decodeLine checks and parses one line's bytes (without its newline). */
export function decodeLine(line: Buffer): DecodedLine {
  if (line.length < 10 || line[8] !== SPACE) return { ok: false, reason: 'not a journal record' };
  const sum = line.toString('latin1', 0, 8);
  if (!/^[0-9a-f]{8}$/.test(sum)) return { ok: false, reason: 'not a journal record' };
  const body = line.subarray(9);
  if (crc32(body) !== Number.parseInt(sum, 16)) return { ok: false, reason: 'checksum mismatch (damaged or cut short)' };
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch {
    return { ok: false, reason: 'not valid JSON' };
  }
  const parsed = parseOutcome(value);
  return parsed.ok ? parsed : { ok: false, reason: `not a row record (${parsed.reason})` };
}
