import { createHash } from 'node:crypto';
import type { CampaignPlan } from '../../../shared/campaign/plan';
import type { FileChecker } from '../attachments/file-check';
import type { Clock } from '../ports';
import type { CampaignStore } from '../state/campaign-store';
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
}

/** ValidationCache keeps the latest validations by contacts and campaign. */
export class ValidationCache {
  readonly #entries = new Map<string, { limit: number; result: Promise<Validation> }>();
  readonly #keep: number;

  constructor(keep = 4) {
    this.#keep = keep;
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
  }

  /** workspace is the workspace database, opened on first use. */
  get workspace(): Workspace {
    if (this.#workspace === undefined || this.#workspace.db.closed) this.#workspace = Workspace.open(this.store.dataDir, () => this.clock.now());
    return this.#workspace;
  }

  /** audience starts a pass of the audience check over `plan`'s rows, as of now. */
  audience(plan: CampaignPlan, headers: readonly string[]): AudienceCheck {
    return new AudienceCheck(this.workspace, plan, headers, this.clock.now());
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
