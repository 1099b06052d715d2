import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { CampaignSpec } from '../../../shared/campaign/schema';
import { parseCampaign } from '../../../shared/campaign/schema';
import type { JsonObject } from '../../../shared/json';
import { isJsonObject } from '../../../shared/json';
import { InputError } from '../../../shared/problems';
import { providers } from '../../../shared/providers/index';

/**
 * Reading a campaign file (`*.campaign.json`), the one reader for the CLI (`--spec`) and the desktop
 * app (its open dialog): a file that cannot be read, is implausibly large, is not JSON or holds no
 * campaign is an InputError naming the file; a campaign's own mistakes name the file and the field.
 */

/** MAX_CAMPAIGN_FILE is the largest campaign file read: a campaign is a few kilobytes. */
export const MAX_CAMPAIGN_FILE = 5 * 1024 * 1024;

/** readCampaignJson reads a campaign file as a raw JSON object (the desktop edits it; main checks it on every use). `field` names where the path came from. */
export async function readCampaignJson(path: string, field = '(file)'): Promise<JsonObject> {
  const name = basename(path);
  const problem = (reason: string) => new InputError([{ row: 0, field, reason, severity: 'error' }]);
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (code ?? 'cannot be read');
    throw problem(`cannot read campaign file ${path}: ${why}`);
  }
  if (bytes.length > MAX_CAMPAIGN_FILE) throw problem(`${name} is too large to be a campaign file`);
  let raw: unknown;
  try {
    raw = JSON.parse(bytes.toString('utf8').replace(/^\uFEFF/, ''));
  } catch (e) {
    throw problem(`${name} is not valid JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (!isJsonObject(raw)) throw problem(`${name} does not hold a campaign (a JSON object)`);
  return raw;
}

/** loadCampaignFile reads and parses a campaign file; every problem of the campaign names the file's field (`path: message.text.body`). */
export async function loadCampaignFile(path: string, field = '(file)'): Promise<CampaignSpec> {
  const raw = await readCampaignJson(path, field);
  try {
    return parseCampaign(raw, providers);
  } catch (e) {
    if (e instanceof InputError) throw new InputError(e.problems.map((p) => ({ ...p, field: `${path}: ${p.field}` })));
    throw e;
  }
}
