import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { CampaignSpec } from '../../../shared/campaign/schema';
import type { JsonValue } from '../../../shared/json';

/**
 * Campaign identity: the same contacts (by content, not file name or date) sent with the same
 * campaign file are the same campaign, so re-running a command after a crash resumes it instead
 * of starting over and sending everything twice.
 */

/** Hex digits of the id: 64 bits, short enough for a folder name, far from colliding among one user's campaigns. */
const ID_HEX = 16;

/**
 * canonicalJson renders a JSON value with object keys sorted at every level and no spacing, so two
 * specs that differ only in key order or formatting give the same text. Properties whose value is
 * undefined are left out, as JSON.stringify does.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    const text = JSON.stringify(value);
    if (text === undefined) throw new TypeError(`canonicalJson: ${typeof value} is not JSON`);
    return text;
  }
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  const entries = Object.entries(value)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/**
 * campaignId is a short stable hash of the CSV content's hash (hashFile / hashBytes) and the
 * canonical JSON of the campaign spec: one changed byte in either gives another id.
 */
export function campaignId(csvHash: string, spec: CampaignSpec | JsonValue): string {
  return createHash('sha256')
    .update(`campaign-sender/1\n${csvHash}\n${canonicalJson(spec)}`)
    .digest('hex')
    .slice(0, ID_HEX);
}

/**
 * hashFile is the SHA-256 (hex) of a file's content, read as a stream so a 190 MB CSV never sits
 * in memory.
 */
export async function hashFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** hashBytes is hashFile for content already in memory (a CSV the desktop app read). */
export function hashBytes(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * runIdOf splits `base` or `base-N` (a fresh run of the same campaign) into its base id and run
 * number (1 for the base itself); undefined for ids of other campaigns.
 */
export function runIdOf(id: string, base: string): number | undefined {
  if (id === base) return 1;
  if (!id.startsWith(`${base}-`)) return undefined;
  const rest = id.slice(base.length + 1);
  return /^[1-9][0-9]{0,8}$/.test(rest) ? Number(rest) : undefined;
}

/**
 * pickRunId chooses among the existing ids of a campaign: the latest run (re-running resumes it)
 * or, when `fresh`, a new one with the next number (`base-2`, `base-3`…) to start over on purpose.
 */
export function pickRunId(base: string, existing: Iterable<string>, fresh: boolean): string {
  let latest = 0;
  for (const id of existing) latest = Math.max(latest, runIdOf(id, base) ?? 0);
  if (fresh) return latest === 0 ? base : `${base}-${latest + 1}`;
  return latest <= 1 ? base : `${base}-${latest}`;
}
