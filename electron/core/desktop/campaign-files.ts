import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { JsonObject } from '../../../shared/json';
import { isJsonObject } from '../../../shared/json';
import { UserError } from '../../../shared/ipc/user-error';
import { InputError } from '../../../shared/problems';

/** Reading campaign files the user picked, and naming files the app suggests in save dialogs. */

const MAX_CAMPAIGN_FILE = 5 * 1024 * 1024;

/**
 * readCampaignFile reads a `*.campaign.json` as a raw JSON object (the renderer edits it and main
 * checks it on every use); a file that is not JSON, not an object or implausibly large is refused
 * with a message that names it.
 */
export async function readCampaignFile(path: string): Promise<JsonObject> {
  const bytes = await readFile(path);
  const name = basename(path);
  if (bytes.length > MAX_CAMPAIGN_FILE) throw new UserError(`${name} is too large to be a campaign file.`);
  let raw: unknown;
  try {
    raw = JSON.parse(bytes.toString('utf8').replace(/^\uFEFF/, ''));
  } catch (e) {
    throw new InputError([{ row: 0, field: '(file)', reason: `${name} is not valid JSON: ${e instanceof Error ? e.message : String(e)}`, severity: 'error' }]);
  }
  if (!isJsonObject(raw)) throw new InputError([{ row: 0, field: '(file)', reason: `${name} does not hold a campaign (a JSON object)`, severity: 'error' }]);
  return raw;
}

/** safeFileName turns a campaign name into a file name that works on every system. */
export function safeFileName(name: string): string {
  let cleaned = '';
  for (const ch of name) cleaned += ch.charCodeAt(0) < 0x20 || '<>:"/\\|?*'.includes(ch) ? ' ' : ch;
  cleaned = cleaned.replace(/\s+/g, ' ').trim().slice(0, 80);
  return cleaned === '' || /^\.+$/.test(cleaned) ? 'campaign' : cleaned;
}
