import { createHash } from 'node:crypto';
import { canonicalJson } from '../state/campaign-id';
import { audienceVersion } from './audience';
import type { Campaign } from './campaign';
import type { ServiceCore } from './service-core';

/**
 * The keys the service's LookupCache keeps a campaign's lookups by (lookup-cache.ts): a lookup's
 * resolution by what decides which conversations are read (the contacts, the account, the recipient
 * settings, the rows an earlier run settled), its routes by the whole campaign and the state of the
 * opt-out list (and cap) too, so an edited message routes again without reading again.
 */

/** LookupKeys name a lookup's resolution and its routes. */
export interface LookupKeys {
  resolutionKey: string;
  routesKey: string;
}

/** lookupKeys name `campaign`'s lookup with problem limit `limit` over the rows not in `settled`. */
export async function lookupKeys(core: ServiceCore, campaign: Campaign, limit: number, settled: ReadonlySet<number> = new Set()): Promise<LookupKeys> {
  const s = campaign.spec;
  const done = settled.size === 0 ? '' : createHash('sha256').update([...settled].sort((a, b) => a - b).join(',')).digest('hex');
  const resolutionKey = canonicalJson([await campaign.contacts.hash(), campaign.contacts.options, s.provider, s.recipient, campaign.plan.checksActive, campaign.input.accountId ?? '', core.keyTag(campaign.input.apiKey), done]);
  return { resolutionKey, routesKey: canonicalJson([resolutionKey, s, Number.isFinite(limit) ? limit : 'all', audienceVersion(core.workspace, s, core.clock.now())]) };
}
