import { createHash } from 'node:crypto';
import { canonicalJson } from '../state/campaign-id';
import { audienceVersion } from './audience';
import { RowSet } from './row-set';
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
  const resolutionKey = canonicalJson([await campaign.contacts.hash(), campaign.contacts.options, s.provider, s.recipient, campaign.plan.checksActive, campaign.input.accountId ?? '', core.keyTag(campaign.input.apiKey), settledKey(settled)]);
  return { resolutionKey, routesKey: canonicalJson([resolutionKey, s, Number.isFinite(limit) ? limit : 'all', audienceVersion(core.workspace, s, core.clock.now())]) };
}

/**
 * settledKey names a set of rows (those an earlier run settled, which a resume's lookup skips): the
 * same for the same rows whatever order the set was built in, different when any row differs, ''
 * for none. A resume of a million rows passes a million of them, so no array, sort or string is
 * made per row (a sorted, joined copy took ~60 MB and a few hundred ms): each row is a bit of a
 * bitmap up to the highest row (125 KB for a million), hashed once: the set's RowSet (what the
 * service's settled rows are already). The bitmap is the set's canonical form (its last byte holds
 * the highest row), so only a sha256 collision could give two sets one key. forEach, not for-of:
 * a Set's iterator would make a result object per row.
 */
export function settledKey(settled: ReadonlySet<number>): string {
  if (settled.size === 0) return '';
  let rows: RowSet;
  if (settled instanceof RowSet) rows = settled;
  else {
    rows = new RowSet();
    settled.forEach((row) => rows.add(row));
  }
  return createHash('sha256').update(rows.bitmap()).digest('hex');
}
