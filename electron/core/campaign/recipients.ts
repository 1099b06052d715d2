import type { CampaignPlan, PlannedRow, Variant } from '../../../shared/campaign/plan';
import { UserError } from '../../../shared/ipc/user-error';
import { planRow } from '../../../shared/campaign/plan';
import type { Directory } from '../wassist/directory';
import type { AudienceCheck } from './audience';
import type { ConversationDirectory } from './connection';
import type { Resolution, RouteSummary } from './routing';
import { summarizeRoutes } from './routing';
import type { RowSource } from './validation';

/**
 * Resolving recipients: before a campaign that needs it sends (phone numbers, or free-form
 * messages that only active conversations accept), ask the provider's conversation directory who
 * is there, then route every row. A Lookup is that answer with where every valid row goes; the
 * service keeps the latest few, so the preview and validation of an edited message reuse them.
 */

/**
 * LookupError is a lookup the provider refused or could not answer: `stop` when it refused the
 * account itself (a bad key), which stops a campaign as a refused send would. `detail` is the
 * provider's answer in words (never the key).
 */
export class LookupError extends UserError {
  readonly stop: boolean;
  readonly detail: string;
  constructor(detail: string, stop: boolean) {
    super(`Could not look the conversations up: ${detail}`);
    this.name = 'LookupError';
    this.detail = detail;
    this.stop = stop;
  }
}

/** needsResolution tells whether a plan must ask the provider about conversations before sending. */
export function needsResolution(plan: CampaignPlan): boolean {
  return plan.phone !== undefined || plan.checksActive;
}

/** ResolvedRecipients is a Resolution plus how the directory was read (phone campaigns). */
export interface ResolvedRecipients extends Resolution {
  directory?: Directory;
  /** Read requests made (for the figures printed after a lookup). */
  requests?: number;
}

/** ResolveOptions: progress in words, and the page size asked for when listing. */
export interface ResolveOptions {
  pageSize?: number;
  onProgress?: (text: string) => void;
}

/**
 * resolveRecipients learns what sending needs from the directory: for phone campaigns the agent's
 * conversations by number; for conversation-id campaigns that check `active`, each row's
 * conversation. Rows in `skipRows` are not looked up. Throws WassistStopError / WassistApiError.
 */
export async function resolveRecipients(
  plan: CampaignPlan,
  source: RowSource,
  skipRows: ReadonlySet<number>,
  directory: ConversationDirectory,
  options: ResolveOptions = {},
): Promise<ResolvedRecipients> {
  if (plan.phone !== undefined) {
    const botId = plan.spec.recipient.botId ?? '';
    async function* numbers(): AsyncGenerator<string> {
      for await (const batch of source.batches()) {
        for (const rec of batch) {
          if (skipRows.has(rec.row)) continue;
          const p = planRow(plan, rec.row, rec.fields).phone;
          if (p !== undefined) yield p;
        }
      }
    }
    const dirOptions: { pageSize?: number; onPage?: (n: number, pages: number) => void } = {
      onPage: (n, pages) => options.onProgress?.(`Listing conversations: ${n} (${pages} ${pages === 1 ? 'page' : 'pages'})`),
    };
    if (options.pageSize !== undefined) dirOptions.pageSize = options.pageSize;
    const listed = await directory.byNumber(botId, numbers, dirOptions);
    return { byNumber: listed.byNumber, directory: listed };
  }
  if (!plan.checksActive) return {};
  const ids = new Set<string>();
  for await (const batch of source.batches()) {
    for (const rec of batch) {
      if (skipRows.has(rec.row)) continue;
      const id = planRow(plan, rec.row, rec.fields).prepared.recipient;
      if (id !== '') ids.add(id);
    }
  }
  const byId = await directory.byId(ids, (n) => options.onProgress?.(`Checking conversations: ${n} of ${ids.size}`));
  return { byId };
}

/** Lookup is a resolution and where it sends every valid row (uncapped, for the preview). */
export interface Lookup {
  resolution: ResolvedRecipients;
  routes: RouteSummary;
  skips: ReadonlyMap<number, { conversationId: string; reason: string }>;
  fallbackRows: ReadonlySet<number>;
}

/** routeAll routes every valid row once (nothing is sent) into a Lookup; `audience` checks the opt-out list and the cap. */
export async function routeAll(plan: CampaignPlan, source: RowSource, invalid: ReadonlySet<number>, resolution: ResolvedRecipients, audience?: AudienceCheck): Promise<Lookup> {
  const routes = await summarizeRoutes(plan, source, invalid, resolution, Infinity, audience);
  return {
    resolution,
    routes,
    skips: new Map(routes.skips.map((s) => [s.row, { conversationId: s.conversationId, reason: s.reason }])),
    fallbackRows: new Set(routes.fallbackRows),
  };
}

/** RowRoute is where one valid row goes, as the preview shows it (`note`: sent despite the opt-out list). */
export type RowRoute = { kind: 'send'; conversationId: string; variant: Variant; note?: string } | { kind: 'skip'; conversationId: string; reason: string };

/** routeOf reads one valid row's route from a lookup. */
export function routeOf(lookup: Lookup, planned: PlannedRow): RowRoute {
  const skip = lookup.skips.get(planned.row);
  if (skip !== undefined) return { kind: 'skip', ...skip };
  const conversationId = planned.phone !== undefined ? (lookup.resolution.byNumber?.get(planned.phone)?.id ?? '') : planned.prepared.recipient;
  const route: RowRoute = { kind: 'send', conversationId, variant: lookup.fallbackRows.has(planned.row) ? 'fallback' : 'message' };
  const note = lookup.routes.notes.get(planned.row);
  return note === undefined ? route : { ...route, note };
}

/** describeLookup says in words what a lookup found. */
export function describeLookup(lookup: Lookup): string {
  const r = lookup.routes;
  const d = lookup.resolution.directory;
  const parts = [`${r.message} get the message`];
  if (r.fallback > 0) parts.push(`${r.fallback} get the fallback template (inactive conversation)`);
  parts.push(`${r.skipped} skipped`);
  const listed = d !== undefined ? `${d.conversations} conversations of the agent listed. ` : '';
  return `${listed}${parts.join(', ')}.`;
}

/**
 * LookupCache keeps the latest resolutions (by the inputs that decide them: the CSV, the account,
 * the recipient settings) and the latest routes (by the whole campaign too). A failed lookup is not
 * kept, so the next call tries again.
 */
export class LookupCache {
  readonly #resolutions = new Map<string, Promise<ResolvedRecipients>>();
  #routes: { key: string; lookup: Promise<Lookup> } | undefined;
  readonly #keep: number;

  constructor(keep = 4) {
    this.#keep = keep;
  }

  /**
   * lookup returns the routes for `routesKey`, reading the conversations with `resolve` only when
   * `resolutionKey` is not known yet, and routing with `route` only when the campaign changed.
   */
  lookup(resolutionKey: string, routesKey: string, resolve: () => Promise<ResolvedRecipients>, route: (r: ResolvedRecipients) => Promise<Lookup>): Promise<Lookup> {
    if (this.#routes?.key === routesKey) return this.#routes.lookup;
    let resolution = this.#resolutions.get(resolutionKey);
    if (resolution === undefined) {
      resolution = resolve();
      this.#resolutions.set(resolutionKey, resolution);
      resolution.catch(() => this.#resolutions.delete(resolutionKey));
      while (this.#resolutions.size > this.#keep) {
        const oldest = this.#resolutions.keys().next().value;
        if (oldest === undefined) break;
        this.#resolutions.delete(oldest);
      }
    }
    const lookup = resolution.then(route);
    this.#routes = { key: routesKey, lookup };
    lookup.catch(() => {
      if (this.#routes?.key === routesKey) this.#routes = undefined;
    });
    return lookup;
  }

  /** clear forgets everything (the account's conversations may have changed). */
  clear(): void {
    this.#resolutions.clear();
    this.#routes = undefined;
  }
}
