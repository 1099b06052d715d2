import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { ProviderKind } from '../../../shared/campaign/provider-config';
import { providerKinds } from '../../../shared/campaign/provider-config';
import type { CampaignSpec } from '../../../shared/campaign/schema';
import type { Delimiter } from '../../../shared/csv/parse';
import type { JsonObject } from '../../../shared/json';
import { isJsonObject } from '../../../shared/json';
import { atomicWriteFile } from './atomic-write';

/**
 * A campaign's meta.json: what the campaign is (name, CSV, provider, row count, spec; never an API
 * key) and its totals when it was last closed. The campaign store (campaign-store.ts) writes it when
 * a campaign opens and closes, and reads it to list the history.
 */

/** CampaignMetaInput is what the caller knows about a campaign when opening it. */
export interface CampaignMetaInput {
  /** Shown in the history; defaults to the spec's name, then the CSV file name. */
  name?: string;
  csvFileName: string;
  /** SHA-256 of the CSV (hashFile), to check a CSV picked later for re-export is the same one. */
  csvHash?: string;
  /**
   * Where the contacts file is, when it is the user's own file (the CLI's): a resume reopens it from
   * there, checked against csvHash. The desktop's imports are kept in the workspace instead.
   */
  csvPath?: string;
  /** The delimiter the contacts file came in with (its report for Excel goes out with the same). */
  csvDelimiter?: Delimiter;
  providerKind: ProviderKind;
  /** The desktop profile (provider account) it was sent with; never a key. */
  profileId?: string;
  rowCount: number;
  spec: CampaignSpec;
  /** A retry: the campaign whose failed rows this run sends again (its rows are listed in `retry-rows.json`). */
  retryOf?: string;
  /** A retry of only some error kinds (`404`, `5xx`, `network`). */
  retryErrorKinds?: string[];
}

const totalsSchema = z.strictObject({
  total: z.number(),
  pending: z.number(),
  inFlight: z.number(),
  sent: z.number(),
  failed: z.number(),
  skipped: z.number(),
  uncertain: z.number(),
});

const metaSchema = z.strictObject({
  id: z.string(),
  name: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  csvFileName: z.string(),
  csvHash: z.string().optional(),
  csvPath: z.string().optional(),
  csvDelimiter: z.enum([',', ';', '\t', '|']).optional(),
  providerKind: z.enum(providerKinds),
  profileId: z.string().optional(),
  rowCount: z.number().int().min(0),
  /** The campaign spec as JSON; parse it with parseCampaign to use it. */
  spec: z.custom<JsonObject>(isJsonObject, 'must be an object'),
  /** Totals when the campaign was last closed; absent while it runs, and after a crash. */
  totals: totalsSchema.optional(),
  /**
   * The person cancelled the run that last closed it (rows not sent stay pending). Absent while it
   * runs, and when the run ended any other way: all rows done, stopped, quit or crashed.
   */
  cancelled: z.literal(true).optional(),
  retryOf: z.string().optional(),
  retryErrorKinds: z.array(z.string()).optional(),
});

/** CampaignMeta is a campaign's meta.json. */
export type CampaignMeta = z.infer<typeof metaSchema>;

/**
 * buildMeta copies the documented fields only, and only the campaign file's own fields of the
 * spec, so nothing else riding on the caller's objects (an API key above all) reaches the disk.
 */
export function buildMeta(id: string, input: CampaignMetaInput, createdAt: string, updatedAt: string): CampaignMeta {
  const s = input.spec;
  // The JSON round trip drops undefined fields, as reading the file back would.
  const fields = {
    name: s.name,
    provider: s.provider,
    recipient: s.recipient,
    action: s.action,
    message: s.message,
    fallback: s.fallback,
    onInactive: s.onInactive,
    checkConversations: s.checkConversations,
    files: s.files,
    audience: s.audience,
    throttle: s.throttle,
    retry: s.retry,
  };
  const spec = JSON.parse(JSON.stringify(fields)) as JsonObject;
  const meta: CampaignMeta = {
    id,
    name: input.name ?? s.name ?? input.csvFileName,
    createdAt,
    updatedAt,
    csvFileName: input.csvFileName,
    providerKind: input.providerKind,
    rowCount: input.rowCount,
    spec,
  };
  if (input.csvHash !== undefined) meta.csvHash = input.csvHash;
  if (input.csvPath !== undefined) meta.csvPath = input.csvPath;
  if (input.csvDelimiter !== undefined) meta.csvDelimiter = input.csvDelimiter;
  if (input.profileId !== undefined) meta.profileId = input.profileId;
  if (input.retryOf !== undefined) meta.retryOf = input.retryOf;
  if (input.retryErrorKinds !== undefined) meta.retryErrorKinds = input.retryErrorKinds;
  return meta;
}

/** readMeta reads and checks the meta.json in campaign folder `dir`. */
export async function readMeta(dir: string): Promise<CampaignMeta> {
  return metaSchema.parse(JSON.parse(await readFile(join(dir, 'meta.json'), 'utf8')));
}

/** writeMeta replaces the meta.json in campaign folder `dir` atomically. */
export async function writeMeta(dir: string, meta: CampaignMeta): Promise<void> {
  await atomicWriteFile(join(dir, 'meta.json'), `${JSON.stringify(meta, null, 2)}\n`);
}
