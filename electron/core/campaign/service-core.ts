import { createHash } from 'node:crypto';
import type { CampaignPlan } from '../../../shared/campaign/plan';
import type { Clock } from '../ports';
import type { CampaignStore } from '../state/campaign-store';
import { PastJournals } from '../state/past-journals';
import { SidecarCache } from '../wassist/sidecar';
import type { Connector } from './connection';
import { LookupCache } from './lookup-cache';
import type { Run } from './run';
import type { RowSource, Validation } from './validation';
import { validatePlan } from './validation';

/**
 * What the campaign service shares between the campaigns it opens: its ports (the workspace's
 * campaign store, the connector, the clock), the caches that spare a person waiting twice for the
 * same answer (validations, lookups, Wassist sidecars) and the one campaign sending now.
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

  /** get answers the cached validation when it listed at least `limit` problems, else runs `run`. */
  get(key: string, limit: number, run: () => Promise<Validation>): Promise<Validation> {
    const had = this.#entries.get(key);
    if (had !== undefined && had.limit >= limit) return had.result;
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
  /** The campaign sending in this process (one at a time), kept after it ends until the next starts. */
  live: Run | undefined;
  starting = false;

  constructor(deps: ServiceDeps) {
    this.store = deps.store;
    this.connect = deps.connect;
    this.clock = deps.clock;
    this.contactsDir = deps.contactsDir;
  }

  /** validate checks every row of `plan` (see validatePlan). */
  validate(plan: CampaignPlan, source: RowSource, problemLimit: number): Promise<Validation> {
    return validatePlan(plan, source, problemLimit);
  }

  /** keyTag tells keys apart in cache keys without keeping the key itself in them. */
  keyTag(apiKey: string): string {
    return apiKey === '' ? '' : createHash('sha256').update(apiKey).digest('hex').slice(0, 16);
  }
}
