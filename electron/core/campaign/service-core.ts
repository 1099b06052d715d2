import { createHash } from 'node:crypto';
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import type { CampaignPlan } from '../../../shared/campaign/plan';
import { conversationKey, phoneKey } from '../../../shared/campaign/recipient-keys';
import type { EngagementView } from '../../../shared/engagement/engagement-view';
import { ENGAGEMENT_DB, backupEngagementDb } from '../engagement/engagement-db';
import { EngagementStore } from '../engagement/engagement-store';
import type { OptOutRecorder } from '../engagement/opt-out-port';
import { workspaceOptOuts } from '../engagement/opt-out-port';
import type { RefreshOutcome, RefreshProgress } from '../engagement/refresh';
import type { FileChecker } from '../attachments/file-check';
import type { Clock } from '../ports';
import type { CampaignStore } from '../state/campaign-store';
import { PastJournals } from '../state/past-journals';
import { SidecarCache } from '../wassist/sidecar';
import { Workspace } from '../workspace/workspace';
import { AudienceCheck } from './audience';
import type { Connector } from './connection';
import { LookupCache } from './lookup-cache';
import type { Run } from './run';
import type { RowSource, Validation } from './validation';
import { validatePlan } from './validation';

/**
 * What the campaign service shares between the campaigns it opens: its ports (the workspace's
 * campaign store, the connector, the clock), the workspace database (opt-out list, history,
 * schedules), the caches that spare a person waiting twice for the same answer (validations,
 * lookups, Wassist sidecars) and the one campaign sending now.
 */

/** ServiceDeps are the service's ports. */
export interface ServiceDeps {
  /** The workspace's campaigns (journals, meta, history). */
  store: CampaignStore;
  /** Opens connections to providers (HTTP, or the sandbox). */
  connect: Connector;
  clock: Clock;
  /** Where the workspace keeps the contacts files it imported (`<hash>.csv`), to reopen a campaign's contacts. */
  contactsDir?: string;
  /**
   * The workspace database; default: the one in the campaign store's folder, opened on first use.
   * It is always there: no campaign runs without its opt-out list.
   */
  workspace?: Workspace;
  /**
   * Where replies that ask to stop go (engagement/opt-out-port.ts); default: the workspace's
   * opt-out list.
   */
  optOuts?: OptOutRecorder;
}

/** RunningRefresh is an engagement refresh running in this process: its progress and the one promise every caller waits on. */
export interface RunningRefresh {
  progress: RefreshProgress | undefined;
  listeners: Set<(p: RefreshProgress) => void>;
  done: Promise<RefreshOutcome>;
}

/** ValidationCache keeps the latest validations by contacts and campaign. */
export class ValidationCache {
  readonly #entries = new Map<string, { limit: number; result: Promise<Validation> }>();
  readonly #keep: number;

  constructor(keep = 4) {
    this.#keep = keep;
  }

  /** limitOf is the problem limit the cached validation of `key` was computed with. */
  limitOf(key: string): number | undefined {
    return this.#entries.get(key)?.limit;
  }

  /** get answers the cached validation when it listed at least `limit` problems (and `fresh` is not asked), else runs `run`. */
  get(key: string, limit: number, run: () => Promise<Validation>, fresh = false): Promise<Validation> {
    const had = this.#entries.get(key);
    if (had !== undefined && had.limit >= limit && !fresh) return had.result;
    const result = run();
    this.#entries.delete(key);
    this.#entries.set(key, { limit, result });
    result.catch(() => {
      if (this.#entries.get(key)?.result === result) this.#entries.delete(key);
    });
    while (this.#entries.size > this.#keep) {
      const oldest = this.#entries.keys().next().value;
      if (oldest === undefined) break;
      this.#entries.delete(oldest);
    }
    return result;
  }
}

/** ServiceCore is the service's shared state, handed to each campaign it opens. */
export class ServiceCore {
  readonly store: CampaignStore;
  readonly connect: Connector;
  readonly clock: Clock;
  readonly contactsDir: string | undefined;
  readonly validations = new ValidationCache();
  readonly lookups = new LookupCache();
  readonly sidecars = new SidecarCache();
  readonly pastJournals = new PastJournals();
  readonly optOuts: OptOutRecorder;
  /** Engagement refreshes running in this process, by campaign. */
  readonly refreshes = new Map<string, RunningRefresh>();
  /** Rows per variant of each campaign, by the campaign's version (its journal only grows by a run). */
  readonly variantCounts = new Map<string, { version: string; counts: EngagementView['variants'] }>();
  #engagement: Promise<EngagementStore> | undefined;
  /** The campaign sending in this process (one at a time), kept after it ends until the next starts. */
  live: Run | undefined;
  starting = false;
  #workspace: Workspace | undefined;

  constructor(deps: ServiceDeps) {
    this.store = deps.store;
    this.connect = deps.connect;
    this.clock = deps.clock;
    this.contactsDir = deps.contactsDir;
    this.#workspace = deps.workspace;
    // Through a closure: the workspace opens on first use, and again after a close.
    this.optOuts = deps.optOuts ?? workspaceOptOuts({ add: (values, from) => this.workspace.optOuts.add(values, from) }, { phoneKey, conversationKey });
  }

  /** engagementStore is the workspace's engagement database, opened (and created) on first use. */
  engagementStore(): Promise<EngagementStore> {
    if (this.#engagement === undefined) {
      const opening = EngagementStore.open(this.store.dataDir);
      this.#engagement = opening;
      opening.catch(() => {
        if (this.#engagement === opening) this.#engagement = undefined;
      });
    }
    return this.#engagement;
  }

  /** engagementStoreIfAny is the engagement database when the workspace has one (nothing is created to answer "nothing read yet"). */
  async engagementStoreIfAny(): Promise<EngagementStore | undefined> {
    if (this.#engagement !== undefined) return this.#engagement;
    try {
      await access(join(this.store.dataDir, ENGAGEMENT_DB));
    } catch {
      return undefined;
    }
    return this.engagementStore();
  }

  /**
   * backupEngagement copies the engagement database to `path`: through this service's connection
   * when it holds one, else through a read-only one (another process may be writing). Answers
   * false when the workspace has no engagement database yet.
   */
  async backupEngagement(path: string): Promise<boolean> {
    const held = await this.#engagement?.catch(() => undefined);
    if (held !== undefined && !held.closed) {
      await held.backupTo(path);
      return true;
    }
    return backupEngagementDb(this.store.dataDir, path);
  }

  /** closeEngagement closes the engagement database (a later use opens it again). */
  async closeEngagement(): Promise<void> {
    const opened = this.#engagement;
    this.#engagement = undefined;
    if (opened !== undefined) (await opened.catch(() => undefined))?.close();
  }

  /** workspace is the workspace database, opened on first use. */
  get workspace(): Workspace {
    if (this.#workspace === undefined || this.#workspace.db.closed) this.#workspace = Workspace.open(this.store.dataDir, () => this.clock.now());
    return this.#workspace;
  }

  /** audience starts a pass of the audience check over `plan`'s rows, as of now. */
  audience(plan: CampaignPlan, headers: readonly string[]): AudienceCheck {
    return new AudienceCheck(this.workspace, plan, headers, this.clock.now(), () => this.clock.now());
  }

  /** validate checks every row of `plan` (see validatePlan), the opt-out list and the cap included, its files through `files`. */
  validate(plan: CampaignPlan, source: RowSource, problemLimit: number, files?: FileChecker): Promise<Validation> {
    return validatePlan(plan, source, problemLimit, this.audience(plan, source.headers), files);
  }

  /** close closes the workspace database (the service can open it again). */
  close(): void {
    this.#workspace?.close();
  }

  /** keyTag tells keys apart in cache keys without keeping the key itself in them. */
  keyTag(apiKey: string): string {
    return apiKey === '' ? '' : createHash('sha256').update(apiKey).digest('hex').slice(0, 16);
  }
}
