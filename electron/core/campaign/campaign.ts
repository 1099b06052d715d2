import type { CampaignPlan } from '../../../shared/campaign/plan';
import { compilePlan, planRow } from '../../../shared/campaign/plan';
import type { CampaignSpec } from '../../../shared/campaign/schema';
import type { CsvRow } from '../../../shared/csv/parse';
import { UserError } from '../../../shared/ipc/user-error';
import { InputError } from '../../../shared/problems';
import { FileChecker } from '../attachments/file-check';
import type { FileRoot } from '../attachments/file-root';
import { campaignId } from '../state/campaign-id';
import { WassistApiError, WassistStopError } from '../wassist/client';
import { checkRowFiles, filesSummary, refusedFiles, withAttachments } from './attachments';
import type { AudienceCheck } from './audience';
import { audienceColumns } from './audience';
import type { Connection } from './connection';
import { baseUrlOf, hasKey, wassistClient } from './connection';
import type { ContactsFile } from './contacts';
import type { RowPreview } from './preview';
import { previewRow } from './preview';
import type { Lookup, ResolvedRecipients, ResolveOptions } from './recipients';
import { LookupError, needsResolution, resolveRecipients, routeAll } from './recipients';
import type { EarlierRun } from './earlier-run';
import { earlierRunOf } from './earlier-run';
import type { Confirm } from './launch';
import { lookupKeys } from './lookup-keys';
import type { ServiceCore } from './service-core';
import type { TestSendOutcome } from './test-send';
import { sendTest } from './test-send';
import type { RowSource, Validation } from './validation';
import { onlyRows } from './validation';
import { KeptValidation } from './validation-record';

/**
 * An opened campaign: a contacts file and a campaign (bound to the account it will use), compiled
 * into a plan. It answers what a person asks before sending (is every row right, where does each
 * go, what does row N get, does a test message arrive) and starts the run. The CLI opens one per
 * command; the desktop app one per request, over the same cached validations and lookups.
 */

/** CampaignInput is what opening a campaign takes. */
export interface CampaignInput {
  spec: CampaignSpec;
  /** The provider key, or '' when none is at hand (validation and preview then work offline). */
  apiKey: string;
  /** Names the account for caches and the history (a desktop profile id); never the key itself. */
  accountId?: string;
  /** The account's name as people know it (a desktop profile's name). */
  accountName?: string;
  /**
   * Where the files the campaign attaches (`files`) are read from: the CLI, the contacts file's
   * folder; the desktop app, what the person picked in main's dialogs. None: every file is a row error.
   */
  files?: FileRoot;
}

/** LookUpOptions: `fresh` reads the conversations again instead of using the last lookup. */
export interface LookUpOptions extends ResolveOptions {
  fresh?: boolean;
  /** The connection to read over (the run's own); a new one is opened (and closed) otherwise. */
  connection?: Connection;
  /** Problems the validation by route keeps (default LOOKUP_PROBLEMS); the counts are exact. */
  problemLimit?: number;
  /** Rows an earlier run settled (a resume): not looked up, only counted (see CampaignService.settled). */
  settled?: ReadonlySet<number>;
}

/** LOOKUP_PROBLEMS is how many problems a lookup's validation keeps unless asked for more. */
export const LOOKUP_PROBLEMS = 1_000;

/** Campaign is an opened campaign. */
export class Campaign {
  readonly spec: CampaignSpec;
  readonly plan: CampaignPlan;
  readonly contacts: ContactsFile;
  readonly input: CampaignInput;
  /** Checks the files the campaign attaches (undefined when it attaches none). */
  readonly files: FileChecker | undefined;
  /**
   * The campaign id this was reopened from the workspace as (service.reopen): a start resumes that
   * very run. Undefined for a campaign opened from a contacts file and a campaign file.
   */
  readonly reopened: string | undefined;
  readonly #core: ServiceCore;
  readonly #validation: KeptValidation;

  constructor(core: ServiceCore, input: CampaignInput, contacts: ContactsFile, reopened?: string) {
    this.#core = core;
    this.input = input;
    this.reopened = reopened;
    this.spec = input.spec;
    this.contacts = contacts;
    this.plan = compilePlan(input.spec, contacts.headers);
    const uploads = this.plan.compiled.provider.uploads;
    this.files = this.plan.files.length > 0 ? new FileChecker(input.files, uploads?.maxBytes ?? 0) : undefined;
    audienceColumns(input.spec, contacts.headers);
    this.#validation = new KeptValidation(core, this);
  }

  /** baseUrl is where the campaign's requests are addressed. */
  get baseUrl(): string {
    return baseUrlOf(this.spec);
  }

  /** canLookUp tells whether the conversations can be read now (the sandbox, or a key). */
  get canLookUp(): boolean {
    return hasKey(this.spec, this.input.apiKey);
  }

  /** needsLookup tells whether the campaign asks the provider about conversations before sending. */
  get needsLookup(): boolean {
    return needsResolution(this.plan);
  }

  /** baseId names the campaign: the contacts' content and the campaign (runs started over get `-2`…). */
  async baseId(): Promise<string> {
    return campaignId(await this.contacts.hash(), this.spec);
  }

  /**
   * validate checks every row, against the opt-out list and the frequency cap too, once per contacts,
   * campaign, folder of files and state of the list: later calls reuse the answer, and so does a
   * later process once a run of this campaign has started (the answer is kept in its folder, see
   * keepValidation and validation-record.ts). `recheckFiles` looks at the files on disk again (a
   * start does: they may have changed).
   */
  validate(problemLimit = 1_000, recheckFiles = false): Promise<Validation> {
    return this.#validation.validate(problemLimit, recheckFiles);
  }

  /**
   * validationKey names this campaign's input for validation: the contacts (content and reading),
   * the campaign, the folder its files are read from and the state of the opt-out list, the
   * frequency cap and, with quiet hours, the minute (audienceVersion): a change to any of them
   * validates again.
   */
  validationKey(): Promise<string> {
    return this.#validation.key();
  }

  /**
   * keepValidation keeps this campaign's validation in campaign folder `dir` (a run of it has
   * started), with as many problems as it was computed with, unless it came from there or cannot be
   * kept (it attaches files, the frequency cap judges it or it has quiet hours).
   */
  keepValidation(dir: string): Promise<void> {
    return this.#validation.keep(dir);
  }

  /** filesSummary says what each message attaches, for the confirmation before sending; undefined when it attaches none. */
  async filesSummary(): Promise<string | undefined> {
    const checker = this.files;
    if (checker === undefined) return undefined;
    const literal = await Promise.all(this.plan.files.map((t) => (t.literal === undefined ? undefined : checker.check(t.literal))));
    return filesSummary(this.plan, literal, new URL(this.baseUrl).host);
  }

  /**
   * lookUp reads the conversations the campaign needs (phone numbers, the 24-hour window), then
   * routes and judges every row by what it will send; undefined when the campaign needs no lookup.
   * Every row with a usable recipient is looked up, so fixing a message needs no second lookup. A
   * refusal is a UserError (a refused key a LookupError with `stop`).
   */
  async lookUp(options: LookUpOptions = {}): Promise<Lookup | undefined> {
    if (!this.needsLookup) return undefined;
    if (!this.canLookUp) throw new UserError('The conversations are looked up before sending, which needs the API key of the account.');
    const limit = options.problemLimit ?? LOOKUP_PROBLEMS;
    const settled = options.settled ?? new Set<number>();
    const { resolutionKey, routesKey } = await lookupKeys(this.#core, this, limit, settled);
    const resolve = async () => {
      const connection = options.connection ?? this.#core.connect(this.spec);
      try {
        return await this.#resolve(this.contacts, connection, options, settled);
      } finally {
        if (options.connection === undefined) await connection.close().catch(() => undefined);
      }
    };
    return this.#core.lookups.lookup(resolutionKey, routesKey, resolve, (r) => routeAll(this.plan, this.contacts, r, limit, settled, this.#audience()), options.fresh === true);
  }

  /**
   * lookUpRows reads the conversations of some rows only (a retry's) and routes them; nothing is
   * cached (the rows are few, and a retry always wants the conversations as they are now).
   */
  async lookUpRows(rows: ReadonlySet<number>, options: LookUpOptions = {}): Promise<Lookup | undefined> {
    if (!this.needsLookup) return undefined;
    if (!this.canLookUp) throw new UserError('The conversations are looked up before sending, which needs the API key of the account.');
    const source = onlyRows(this.contacts, rows);
    const settled = options.settled ?? new Set<number>();
    const connection = options.connection ?? this.#core.connect(this.spec);
    try {
      const resolution = await this.#resolve(source, connection, options, settled);
      return await routeAll(this.plan, source, resolution, options.problemLimit ?? LOOKUP_PROBLEMS, settled, this.#audience());
    } finally {
      if (options.connection === undefined) await connection.close().catch(() => undefined);
    }
  }

  /** routeOffline routes every row of a campaign that needs no lookup (the opt-out list and the cap decide the skips). */
  routeOffline(): Promise<Lookup> {
    return routeAll(this.plan, this.contacts, {}, LOOKUP_PROBLEMS, undefined, this.#audience());
  }

  /** audience starts a pass of the audience check (the opt-out list and the cap as they are now). */
  #audience(): AudienceCheck {
    return this.#core.audience(this.plan, this.contacts.headers);
  }

  /**
   * earlierRun says what the run a start would resume already settled (see earlier-run.ts), with the
   * routes of `lookup` when the conversations were looked up; undefined when it never ran here.
   */
  async earlierRun(lookup?: Lookup): Promise<EarlierRun | undefined> {
    const id = this.reopened ?? (await this.#core.store.resolveId(await this.baseId(), { fresh: false }));
    if ((await this.#core.store.get(id)) === undefined) return undefined;
    const v = await this.validate();
    // Without a lookup, the rows the opt-out list or the cap skip are known by routing them offline.
    const offline = lookup === undefined && !this.needsLookup && v.optedOutRows + v.cappedRows > 0 ? await this.routeOffline() : undefined;
    return earlierRunOf(this.#core, id, v, (lookup ?? offline)?.skips);
  }

  /** rowAt finds data row `row`, or throws an InputError saying how many rows there are. */
  async rowAt(row: number, field = 'row'): Promise<CsvRow> {
    const { found, count } = await this.contacts.rowAt(row);
    if (found === undefined) {
      throw new InputError([{ row, field, reason: `there is no row ${row}: the file has ${count} data ${count === 1 ? 'row' : 'rows'}`, severity: 'error' }]);
    }
    return found;
  }

  /**
   * preview renders row `row`; with `lookup`, where it goes too; with files, each file and the
   * uploads that go first. A recipient on the opt-out list shows as skipped (or overridden).
   */
  async preview(row: number, lookup?: Lookup, field = 'row'): Promise<RowPreview> {
    const rec = await this.rowAt(row, field);
    const shown = previewRow(this.plan, this.contacts.headers, rec, this.baseUrl, lookup, this.#audience());
    const uploads = this.plan.compiled.provider.uploads;
    if (this.files === undefined || uploads === undefined) return shown;
    const paths = planRow(this.plan, row, rec.fields).files;
    const files = await checkRowFiles(this.plan, this.files, row, paths, refusedFiles(shown.problems));
    return { ...shown, ...withAttachments(shown, files, paths, uploads, this.baseUrl, shown.recipient) };
  }

  /**
   * testSend sends row `row` now, once, where a run would send it (see test-send.ts); `confirm` is
   * asked before any request (see StartOptions.confirm).
   */
  testSend(row: number, confirm?: Confirm): Promise<TestSendOutcome> {
    return sendTest(this.#core, this, row, (rec) => this.#rowLookup(rec), confirm);
  }

  /**
   * lookUpRow is what one row's preview or test send routes by (undefined when the campaign needs no
   * lookup): the campaign's lookup when one was made (the preview's, so a number goes to the same
   * conversation in the preview, the test and the run), or, for phone numbers, a new one of the whole
   * campaign, kept for the rest (the agent's list is read whole either way), else the row's
   * conversation alone (one GET instead of checking every row).
   */
  async lookUpRow(row: number, field = 'row'): Promise<Lookup | undefined> {
    if (!this.needsLookup) return undefined;
    if (!this.canLookUp) throw new UserError('The conversations are looked up before sending, which needs the API key of the account.');
    return this.#rowLookup(await this.rowAt(row, field));
  }

  async #rowLookup(rec: CsvRow): Promise<Lookup> {
    const cached = this.#core.lookups.peek((await lookupKeys(this.#core, this, LOOKUP_PROBLEMS)).routesKey);
    if (cached !== undefined) return cached;
    if (this.plan.phone !== undefined) return (await this.lookUp()) as Lookup;
    const one: RowSource = { headers: this.contacts.headers, batches: () => [[rec]] };
    const connection = this.#core.connect(this.spec);
    try {
      return await routeAll(this.plan, one, await this.#resolve(one, connection), LOOKUP_PROBLEMS, undefined, this.#audience());
    } finally {
      await connection.close().catch(() => undefined);
    }
  }

  /** resolve reads the conversations of `source`'s rows over `connection`; a refusal is a LookupError. */
  async #resolve(source: RowSource, connection: Connection, options: ResolveOptions = {}, settled: ReadonlySet<number> = new Set()): Promise<ResolvedRecipients> {
    const client = wassistClient(this.spec, this.input.apiKey, connection, this.#core.clock);
    try {
      const r = await resolveRecipients(this.plan, source, settled, connection.directory(client), options);
      return { ...r, requests: client.requests };
    } catch (e) {
      if (e instanceof WassistApiError) {
        // An agent id the provider refuses (400) or does not know (404) is the field to fix.
        const botRefused = this.plan.phone !== undefined && (e.httpStatus === 400 || e.httpStatus === 404);
        throw new LookupError(client.redact(e.message), e instanceof WassistStopError, botRefused ? 'recipient.botId' : undefined);
      }
      throw e;
    }
  }

  /** close releases the contacts file. */
  close(): Promise<void> {
    return this.contacts.close();
  }
}
