import type { RowOutcome, RowStatus } from '../../../shared/engine/events';
import type { EngagementView } from '../../../shared/engagement/engagement-view';
import type { CampaignSummary as CampaignSummaryView, Snapshot } from '../../../shared/ipc/contract';
import type { ReportFormat } from '../../../shared/report/report-format';
import { reportFormatOf } from '../report/write-report';
import type { CampaignInput } from './campaign';
import { Campaign } from './campaign';
import type { ContactsInput } from './contacts';
import { ContactsFile } from './contacts';
import type { StartOptions } from './launch';
import { settledRows, startRun } from './launch';
import type { StatusAccess } from './records';
import type { RefreshOutcome, RefreshProgress } from '../engagement/refresh';
import type { Candidate } from '../engagement/refresh-schedule';
import { engagementOf, refreshCandidatesOf, refreshEngagementOf } from './engagement';
import { historyOf, latestOf, rowsOf, snapshotOf, summaryOf, writeReportOf } from './records';
import type { ReopenOptions, Standing } from './reopen';
import { reopenCampaign, standingOf, standingsOf } from './reopen';
import type { Run } from './run';
import type { FailedRows, RetryOptions, RetryOutcome } from './retry';
import { failedRowsOf, latestRetryOf, resumeRetry, startRetry } from './retry';
import { AudienceAdmin } from './audience-admin';
import type { SchedulerDeps } from './scheduler';
import { Scheduler } from './scheduler';
import type { ServiceDeps } from './service-core';
import { ServiceCore } from './service-core';
import type { ScheduleStore } from '../workspace/schedules';
import type { RowSet } from './row-set';

export type { CampaignInput } from './campaign';
export type { ServiceDeps } from './service-core';
export type { ReopenOptions, Standing } from './reopen';
export { ContactsError } from './reopen';

/**
 * CampaignService owns a campaign's whole life, for every front end: open a contacts file and a
 * campaign, validate, resolve recipients, preview any row, test-send, start / pause / resume /
 * cancel, status, report, history, engagement (delivered, read, clicked, replied, opted out). The `campaign` CLI is argument parsing and
 * printing over it; the desktop backend is IPC adaptation and status batching over it. Each rule
 * lives here once, so both front ends behave the same (a parity test holds them to it).
 *
 * One campaign sends at a time per service (per process). The service holds no Electron and no
 * terminal: its ports are the workspace's campaign store, a connector to providers and a clock.
 */
export class CampaignService {
  readonly #core: ServiceCore;
  /** The workspace's opt-out list and frequency cap, and its backup. */
  readonly audience: AudienceAdmin;

  constructor(deps: ServiceDeps) {
    this.#core = new ServiceCore(deps);
    this.audience = new AudienceAdmin(this.#core);
  }

  /** open reads the contacts' header and compiles the campaign against it (InputError naming what is wrong). */
  async open(contacts: ContactsInput, input: CampaignInput): Promise<Campaign> {
    const file = await ContactsFile.open(contacts);
    try {
      return new Campaign(this.#core, input, file);
    } catch (e) {
      await file.close();
      throw e;
    }
  }

  /**
   * reopen opens campaign `id` again from the workspace, to resume it without its files: its
   * campaign from meta.json, its contacts from the workspace's copy or the user's file (checked
   * against its hash; see reopen.ts). A start of it resumes that run; it throws a UserError saying
   * what is missing (ContactsError: the contacts file to give again) when it cannot.
   */
  reopen(id: string, options: ReopenOptions): Promise<Campaign> {
    return reopenCampaign(this.#core, id, options);
  }

  /** standing is how campaign `id` stands: totals, state (interrupted, finished…), where its contacts are. */
  standing(id: string): Promise<Standing> {
    return standingOf(this.#core, id);
  }

  /** standings is how every campaign of the workspace stands, newest first. */
  standings(): Promise<Standing[]> {
    return standingsOf(this.#core);
  }

  /** settled is the rows a start would not send again (an earlier run settled them): a resume's lookup skips them. */
  settled(campaign: Campaign, options: Pick<StartOptions, 'fresh' | 'resendUncertain'> = {}): Promise<RowSet> {
    return settledRows(this.#core, campaign, options);
  }

  /** start starts an opened campaign (see launch.ts): it throws, having sent nothing, when it cannot. */
  start(campaign: Campaign, options: StartOptions = {}): Promise<Run> {
    return startRun(this.#core, campaign, options);
  }

  /** live is the run of this process with id `id` (or the latest one), if any, finished or not. */
  live(id?: string): Run | undefined {
    const run = this.#core.live;
    return id === undefined || run?.id === id ? run : undefined;
  }

  /** find is the id of the latest run of an opened campaign, or undefined when it never ran here. */
  async find(campaign: Campaign): Promise<string | undefined> {
    const id = await this.#core.store.resolveId(await campaign.baseId(), { fresh: false });
    return (await this.#core.store.get(id)) === undefined ? undefined : id;
  }

  /** latest is every recorded row's latest outcome of campaign `id` (from memory while it sends, else its journal). */
  latest(id: string): Promise<ReadonlyMap<number, Readonly<RowOutcome>>> {
    return latestOf(this.#core, id);
  }

  history(): Promise<CampaignSummaryView[]> {
    return historyOf(this.#core);
  }

  /** summary is a campaign's meta and totals (UserError when there is no such campaign). */
  summary(id: string) {
    return summaryOf(this.#core, id);
  }

  snapshot(id: string): Promise<Snapshot | null> {
    return snapshotOf(this.#core, id);
  }

  rows(id: string, offset: number, limit: number, status?: RowStatus) {
    return rowsOf(this.#core, id, offset, limit, status);
  }

  /**
   * writeReport writes campaign `id`'s delivery report in `format` (default: by the path's extension,
   * `.xlsx` a workbook, else the plain CSV); `contacts` is the file it was sent from (default: the
   * workspace's copy).
   */
  writeReport(id: string, path: string, options: { format?: ReportFormat; contacts?: Campaign } = {}): Promise<void> {
    return writeReportOf(this.#core, id, path, options.format ?? reportFormatOf(path), options.contacts?.contacts);
  }

  /** engagement is a campaign's funnel as last read and the refresh running now (no request to the provider). */
  engagement(id: string): Promise<EngagementView> {
    return engagementOf(this.#core, id);
  }

  /**
   * refreshEngagement reads what became of a campaign's messages from its provider now (Wassist;
   * other APIs publish nothing, and get their funnel back without a request): only conversations
   * whose outcome can still change, at a polite pace, resuming one cut short. Joins a refresh of the
   * same campaign already running.
   */
  refreshEngagement(id: string, access: StatusAccess, onProgress?: (p: RefreshProgress) => void): Promise<RefreshOutcome> {
    return refreshEngagementOf(this.#core, id, access, onProgress);
  }

  /** refreshCandidates lists the campaigns an automatic refresh may read, with their cadence and last refresh. */
  refreshCandidates(): Promise<Candidate[]> {
    return refreshCandidatesOf(this.#core);
  }

  /** refreshing is the engagement refresh of campaign `id` running in this process, if any. */
  refreshing(id: string): Promise<RefreshOutcome> | undefined {
    return this.#core.refreshes.get(id)?.done;
  }

  /** failedRows counts campaign `id`'s failed rows by error kind. */
  failedRows(id: string): Promise<FailedRows> {
    return failedRowsOf(this.#core, id);
  }

  /**
   * retryFailed sends again the failed rows of an opened campaign's latest run (`campaign send
   * --retry-failed`): its newest retry, when it was retried before; a retry that was interrupted is
   * resumed instead of retried. `campaign` must be the contacts and campaign it was sent with.
   */
  async retryFailed(campaign: Campaign, options: RetryOptions = {}): Promise<RetryOutcome | undefined> {
    const base = await this.find(campaign);
    if (base === undefined) return undefined;
    const latest = await latestRetryOf(this.#core, base);
    const t = latest.totals;
    if (latest.meta.retryOf !== undefined && t.pending + t.inFlight > 0) return resumeRetry(this.#core, campaign, latest, options);
    return startRetry(this.#core, campaign, latest.meta.id, options);
  }

  /** retryFailedOf sends again the failed rows of campaign `id` (its report's "Retry failed rows"). */
  retryFailedOf(id: string, campaign: Campaign, options: RetryOptions = {}): Promise<RetryOutcome> {
    return startRetry(this.#core, campaign, id, options);
  }

  /** schedules are the workspace's scheduled starts. */
  get schedules(): ScheduleStore {
    return this.#core.workspace.schedules;
  }

  /** scheduler makes the runner of the workspace's schedules (the desktop app runs one). */
  scheduler(deps: Omit<SchedulerDeps, 'schedules' | 'clock' | 'busy'>): Scheduler {
    return new Scheduler({ ...deps, schedules: this.schedules, clock: this.#core.clock, busy: () => this.#core.starting || (this.#core.live !== undefined && !this.#core.live.finished) });
  }

  /** shutdown stops the run (rows not yet sent stay pending; an interruption, not a cancel) and waits until it is closed. */
  async shutdown(): Promise<void> {
    const run = this.#core.live;
    if (run !== undefined) {
      if (!run.finished) run.quit();
      await run.done;
    }
  }

  /** close shuts down and closes the workspace database (a later call opens it again). */
  async close(): Promise<void> {
    await this.shutdown();
    this.#core.close();
  }
}
