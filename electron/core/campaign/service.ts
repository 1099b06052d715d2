import type { RowOutcome, RowStatus } from '../../../shared/engine/events';
import type { CampaignSummary as CampaignSummaryView, DeliveryStatus, Snapshot } from '../../../shared/ipc/contract';
import type { ReportFormat } from '../../../shared/report/report-format';
import { reportFormatOf } from '../report/write-report';
import type { CampaignInput } from './campaign';
import { Campaign } from './campaign';
import type { ContactsInput } from './contacts';
import { ContactsFile } from './contacts';
import type { StartOptions } from './launch';
import { settledRows, startRun } from './launch';
import type { StatusAccess } from './records';
import { deliveryStatusOf, historyOf, latestOf, refreshStatusOf, rowsOf, snapshotOf, summaryOf, writeReportOf } from './records';
import type { ReopenOptions, Standing } from './reopen';
import { reopenCampaign, standingOf, standingsOf } from './reopen';
import type { Run } from './run';
import type { ServiceDeps } from './service-core';
import { ServiceCore } from './service-core';

export type { CampaignInput } from './campaign';
export type { ServiceDeps } from './service-core';
export type { ReopenOptions, Standing } from './reopen';
export { ContactsError } from './reopen';

/**
 * CampaignService owns a campaign's whole life, for every front end: open a contacts file and a
 * campaign, validate, resolve recipients, preview any row, test-send, start / pause / resume /
 * cancel, status, report, history, delivery status. The `campaign` CLI is argument parsing and
 * printing over it; the desktop backend is IPC adaptation and status batching over it. Each rule
 * lives here once, so both front ends behave the same (a parity test holds them to it).
 *
 * One campaign sends at a time per service (per process). The service holds no Electron and no
 * terminal: its ports are the workspace's campaign store, a connector to providers and a clock.
 */
export class CampaignService {
  readonly #core: ServiceCore;

  constructor(deps: ServiceDeps) {
    this.#core = new ServiceCore(deps);
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
  settled(campaign: Campaign, options: Pick<StartOptions, 'fresh' | 'resendUncertain'> = {}): Promise<Set<number>> {
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

  deliveryStatus(id: string): Promise<DeliveryStatus | null> {
    return deliveryStatusOf(this.#core, id);
  }

  /** refreshStatus reads every sent message's delivery status from the provider now (Wassist). */
  refreshStatus(id: string, access: StatusAccess, onProgress?: (done: number, of: number) => void) {
    return refreshStatusOf(this.#core, id, access, onProgress);
  }

  /** shutdown cancels the run (rows not yet sent stay pending) and waits until it is closed. */
  async shutdown(): Promise<void> {
    const run = this.#core.live;
    if (run === undefined) return;
    if (!run.finished) run.cancel();
    await run.done;
  }
}
