import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { atomicWriteFile } from '../state/atomic-write';
import { canonicalJson } from '../state/campaign-id';
import { audienceVersion, capOf } from './audience';
import type { Campaign } from './campaign';
import type { ServiceCore } from './service-core';
import type { Validation } from './validation';

/**
 * What validation found, kept in the campaign's folder (`validation.json`) once a run starts. A
 * campaign is named by the hash of its contacts' bytes and its campaign file, so re-running the same
 * `campaign send` (or reopening the campaign in the desktop app) finds the answer for exactly the
 * same input and need not check a million rows again. The record names what it was computed from
 * (the contacts' hash, how they were read, the campaign, the folder of its files, the state of the
 * workspace's opt-out list and frequency cap, and VALIDATION_RULES) and is used only for that;
 * problems are kept up to KEEP_PROBLEMS, so a caller asking for more checks again. A campaign that
 * attaches files or is judged by the frequency cap keeps none (KeptValidation's keepable says why).
 * KeptValidation is how an opened campaign finds and keeps its record.
 */

/** VALIDATION_RULES changes whenever what validation finds for the same input changes: older records are then ignored. */
export const VALIDATION_RULES = 3;
/** KEEP_PROBLEMS is how many problems a record keeps (the counts are always exact). */
export const KEEP_PROBLEMS = 10_000;
const FILE = 'validation.json';

const problemSchema = z.strictObject({
  row: z.number().int(),
  field: z.string(),
  reason: z.string(),
  severity: z.enum(['error', 'warning']),
  column: z.string().optional(),
});

const recordSchema = z.strictObject({
  version: z.literal(1),
  key: z.string(),
  /** The problem limit it was computed with (null: no limit). */
  limit: z.number().int().nullable(),
  rowCount: z.number().int().min(0),
  sendable: z.number().int().min(0),
  /** Invalid rows as runs [first, last]. */
  invalid: z.array(z.tuple([z.number().int(), z.number().int()])),
  errorCount: z.number().int().min(0),
  warningCount: z.number().int().min(0),
  problems: z.array(problemSchema),
  truncated: z.boolean(),
  usedColumns: z.array(z.string()),
  duplicateRows: z.number().int().min(0),
  conditionalRows: z.number().int().min(0),
  optedOutRows: z.number().int().min(0),
  cappedRows: z.number().int().min(0),
  overriddenRows: z.number().int().min(0),
  waitingRows: z.number().int().min(0),
  waits: z.array(z.strictObject({ text: z.string(), rows: z.number().int().min(0), firstRow: z.number().int() })),
  /** The CSV reader's warnings (a guessed encoding), which a pass over the rows would have raised. */
  csvWarnings: z.array(z.string()),
});

/**
 * validationKey names the input a validation is of: the contacts' hash, how they were read, the
 * campaign (canonical JSON of each), the key of the folder its files are read from, and the
 * audience's version (audienceVersion: the opt-out list's, and the cap's when one applies).
 */
export function validationKey(contactsHash: string, readOptions: string, spec: string, filesKey: string, audience: string): string {
  return createHash('sha256').update(`validation/${VALIDATION_RULES}\n${contactsHash}\n${readOptions}\n${spec}\n${filesKey}\n${audience}`).digest('hex');
}

/** StoredValidation is a record read back, with the CSV warnings it noted. */
export interface StoredValidation {
  validation: Validation;
  csvWarnings: string[];
}

/** loadValidation reads the record in campaign folder `dir` when it is of `key` and lists at least `limit` problems (or all). */
export async function loadValidation(dir: string, key: string, limit: number): Promise<StoredValidation | undefined> {
  let text: string;
  try {
    text = await readFile(join(dir, FILE), 'utf8');
  } catch {
    return undefined;
  }
  let r: z.infer<typeof recordSchema>;
  try {
    r = recordSchema.parse(JSON.parse(text));
  } catch {
    return undefined; // damaged or from another version: validation runs again
  }
  if (r.key !== key || (r.truncated && (r.limit === null ? Infinity : r.limit) < limit)) return undefined;
  const invalidRows = new Set<number>();
  for (const [first, last] of r.invalid) for (let row = first; row <= last; row++) invalidRows.add(row);
  const validation: Validation = {
    rowCount: r.rowCount,
    sendable: r.sendable,
    invalidRows,
    errorCount: r.errorCount,
    warningCount: r.warningCount,
    problems: r.problems,
    truncated: r.truncated,
    usedColumns: r.usedColumns,
    duplicateRows: r.duplicateRows,
    conditionalRows: r.conditionalRows,
    optedOutRows: r.optedOutRows,
    cappedRows: r.cappedRows,
    overriddenRows: r.overriddenRows,
    waitingRows: r.waitingRows,
    waits: r.waits,
    // Only the offline validation is kept: a routed one depends on the conversations, read afresh.
    routed: false,
  };
  return { validation, csvWarnings: r.csvWarnings };
}

/** saveValidation writes `v` (computed with problem limit `limit`) as the record of `key` in campaign folder `dir`. */
export async function saveValidation(dir: string, key: string, v: Validation, limit: number, csvWarnings: readonly string[]): Promise<void> {
  const kept = Math.min(limit, KEEP_PROBLEMS);
  const invalid: [number, number][] = [];
  for (const row of [...v.invalidRows].sort((a, b) => a - b)) {
    const last = invalid.at(-1);
    if (last !== undefined && last[1] === row - 1) last[1] = row;
    else invalid.push([row, row]);
  }
  const record: z.infer<typeof recordSchema> = {
    version: 1,
    key,
    limit: Number.isFinite(kept) ? kept : null,
    rowCount: v.rowCount,
    sendable: v.sendable,
    invalid,
    errorCount: v.errorCount,
    warningCount: v.warningCount,
    problems: v.problems.slice(0, kept),
    truncated: v.truncated || v.problems.length > kept,
    usedColumns: v.usedColumns,
    duplicateRows: v.duplicateRows,
    conditionalRows: v.conditionalRows,
    optedOutRows: v.optedOutRows,
    cappedRows: v.cappedRows,
    overriddenRows: v.overriddenRows,
    waitingRows: v.waitingRows,
    waits: v.waits.map((w) => ({ text: w.text, rows: w.rows, firstRow: w.firstRow })),
    csvWarnings: [...csvWarnings],
  };
  await atomicWriteFile(join(dir, FILE), `${JSON.stringify(record)}\n`);
}

/**
 * KeptValidation is an opened campaign's validation: once per contacts, campaign, folder of files
 * and state of the list, answered from the service's cache, else from the record kept in the
 * folder of the run a start would resume, else by checking every row.
 */
export class KeptValidation {
  readonly #core: ServiceCore;
  readonly #campaign: Campaign;
  /** The campaign folder whose kept validation is the one this campaign has (see keep). */
  #keptIn: string | undefined;

  constructor(core: ServiceCore, campaign: Campaign) {
    this.#core = core;
    this.#campaign = campaign;
  }

  /** validate is Campaign.validate: `recheckFiles` looks at the files on disk again. */
  async validate(problemLimit: number, recheckFiles: boolean): Promise<Validation> {
    const c = this.#campaign;
    const key = await this.key();
    const fresh = recheckFiles && c.files !== undefined;
    if (fresh) c.files.forget();
    return this.#core.validations.get(
      key,
      problemLimit,
      async () => {
        const dir = this.#keepable() ? await this.#folder() : undefined;
        const stored = dir === undefined ? undefined : await loadValidation(dir, key, problemLimit);
        if (dir === undefined || stored === undefined) return this.#core.validate(c.plan, c.contacts, problemLimit, c.files);
        // What the pass over the rows would have noticed about the file (a guessed encoding).
        for (const w of stored.csvWarnings) if (!c.contacts.warnings.includes(w)) c.contacts.warnings.push(w);
        this.#keptIn = dir;
        return stored.validation;
      },
      fresh,
    );
  }

  /** key is Campaign.validationKey. */
  async key(): Promise<string> {
    const c = this.#campaign;
    const audience = audienceVersion(this.#core.workspace, c.spec, this.#core.clock.now());
    return validationKey(await c.contacts.hash(), canonicalJson(c.contacts.options), canonicalJson(c.spec), c.files?.key ?? '', audience);
  }

  /** keep is Campaign.keepValidation. */
  async keep(dir: string): Promise<void> {
    if (this.#keptIn === dir || !this.#keepable()) return;
    const key = await this.key();
    const limit = this.#core.validations.limitOf(key) ?? 1_000;
    await saveValidation(dir, key, await this.validate(limit, false), limit, this.#campaign.contacts.warnings);
    this.#keptIn = dir;
  }

  /**
   * keepable tells whether a validation may outlive this process. Not when the campaign attaches
   * files (their content on disk is in no key, and every start looks at them again), nor when the
   * frequency cap judges it or it has quiet hours: their answers change as time passes, with no
   * write to tell (the key would hold for a minute at most).
   */
  #keepable(): boolean {
    const c = this.#campaign;
    return c.files === undefined && capOf(this.#core.workspace, c.spec) === null && c.spec.audience?.quietHours === undefined;
  }

  /** folder is the folder of the run a start would resume: the one it was reopened as, else the latest (it may not exist yet). */
  async #folder(): Promise<string> {
    const c = this.#campaign;
    return this.#core.store.campaignDir(c.reopened ?? (await this.#core.store.resolveId(await c.baseId(), { fresh: false })));
  }
}
