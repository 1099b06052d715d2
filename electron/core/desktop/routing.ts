import type { CampaignPlan, PlannedRow, Variant } from '../../../shared/campaign/phone-campaign';
import type { CampaignSpec, ProviderConfig } from '../../../shared/campaign/schema';
import type { CsvTable } from '../../../shared/csv/parse';
import type { RouteSummaryView } from '../../../shared/ipc/contract';
import { UserError } from '../../../shared/ipc/user-error';
import type { Connection, ResolvedRecipients, RouteSummary } from '../campaign-runner';
import { resolveRecipients, summarizeRoutes, tableSource, wassistClient } from '../campaign-runner';
import type { Clock, Transport } from '../ports';
import { sandboxBaseUrl } from '../sandbox/sandbox-transport';
import type { SimState } from '../sandbox/sim-state';
import { WassistApiError } from '../wassist/client';

/**
 * Looking a campaign's recipients up for the desktop app: the agent's conversations by phone number,
 * or each conversation's `active` flag, read through the runner's resolveRecipients at its polite
 * pace; then where every valid row goes (message, fallback template, skipped with the reason). The
 * validation report and the preview reuse one lookup per CSV, profile and recipient settings, so
 * editing the message does not read the conversations again. Sending always looks them up afresh.
 */

/** baseUrlOf is where a campaign's requests go (the sandbox's made-up host for the sandbox). */
export function baseUrlOf(provider: ProviderConfig): string {
  return provider.kind === 'sandbox' ? sandboxBaseUrl : provider.baseUrl;
}

/** connectionOf wraps a transport as the runner's Connection; the sandbox's world rides along for seeding. */
export function connectionOf(spec: CampaignSpec, transport: Transport): Connection {
  const c: Connection = { transport, baseUrl: baseUrlOf(spec.provider) };
  const state = (transport as Partial<{ state: SimState }>).state;
  if (spec.provider.kind === 'sandbox' && state !== undefined) c.sandbox = state;
  return c;
}

/**
 * LookupFailure is a lookup the provider refused, with the field to fix when its answer points at
 * one: a refused agent id (400, or 404 for an agent that does not exist) is `recipient.botId`.
 */
export class LookupFailure extends UserError {
  readonly field: string | undefined;
  constructor(message: string, field: string | undefined) {
    super(message);
    this.name = 'LookupFailure';
    this.field = field;
  }
}

/** canLookUp tells whether conversations can be read now: the sandbox always, a real API with a key. */
export function canLookUp(spec: CampaignSpec, apiKey: string): boolean {
  return spec.provider.kind === 'sandbox' || apiKey.trim() !== '';
}

/**
 * resolveFor reads what a plan needs to know of its rows' conversations over `connection`. All rows
 * with a usable recipient are looked up (`invalid` may hold rows whose message is wrong: they are
 * still looked up, so fixing the message needs no second lookup). A refusal becomes a UserError.
 */
export async function resolveFor(plan: CampaignPlan, table: CsvTable, apiKey: string, connection: Connection, clock: Clock, invalid: ReadonlySet<number> = new Set()): Promise<ResolvedRecipients> {
  const client = wassistClient(plan.spec, apiKey, connection, clock);
  const options: Parameters<typeof resolveRecipients>[4] = {};
  if (connection.sandbox !== undefined) options.sandbox = connection.sandbox;
  try {
    return await resolveRecipients(plan, tableSource(table), invalid, client, options);
  } catch (e) {
    if (e instanceof WassistApiError) {
      const botRefused = plan.phone !== undefined && (e.httpStatus === 400 || e.httpStatus === 404);
      throw new LookupFailure(`Could not look the conversations up: ${client.redact(e.message)}`, botRefused ? 'recipient.botId' : undefined);
    }
    throw e;
  }
}

/** Lookup is a resolution and where it sends every valid row (uncapped, for the preview). */
export interface Lookup {
  resolution: ResolvedRecipients;
  routes: RouteSummary;
  skips: ReadonlyMap<number, { conversationId: string; reason: string }>;
  fallbackRows: ReadonlySet<number>;
}

/** routesOf routes every valid row of the table once (nothing is sent). */
export async function routesOf(plan: CampaignPlan, table: CsvTable, invalid: ReadonlySet<number>, resolution: ResolvedRecipients): Promise<Lookup> {
  const routes = await summarizeRoutes(plan, tableSource(table), invalid, resolution);
  return {
    resolution,
    routes,
    skips: new Map(routes.skips.map((s) => [s.row, { conversationId: s.conversationId, reason: s.reason }])),
    fallbackRows: new Set(routes.fallbackRows),
  };
}

const LISTED = 1_000;

/** routeView is the summary as the validation report carries it (lists capped). */
export function routeView(r: RouteSummary): RouteSummaryView {
  return { message: r.message, fallback: r.fallback, skipped: r.skipped, fallbackRows: r.fallbackRows.slice(0, LISTED), skips: r.skips.slice(0, LISTED) };
}

/** routeNote says in words what the lookup found. */
export function routeNote(lookup: Lookup): string {
  const r = lookup.routes;
  const d = lookup.resolution.directory;
  const parts = [`${r.message} get the message`];
  if (r.fallback > 0) parts.push(`${r.fallback} get the fallback template (inactive conversation)`);
  parts.push(`${r.skipped} skipped`);
  const listed = d !== undefined ? `${d.conversations} conversations of the agent listed. ` : '';
  return `${listed}${parts.join(', ')}.`;
}

/** RowRoute is where one valid row goes, as the preview shows it. */
export type RowRoute = { kind: 'send'; conversationId: string; variant: Variant } | { kind: 'skip'; conversationId: string; reason: string };

/** routeOf reads one valid row's route from a lookup. */
export function routeOf(lookup: Lookup, plan: CampaignPlan, planned: PlannedRow): RowRoute {
  const skip = lookup.skips.get(planned.row);
  if (skip !== undefined) return { kind: 'skip', ...skip };
  const conversationId = planned.phone !== undefined ? (lookup.resolution.byNumber?.get(planned.phone)?.id ?? '') : planned.prepared.recipient;
  return { kind: 'send', conversationId, variant: lookup.fallbackRows.has(planned.row) ? 'fallback' : 'message' };
}

/**
 * LookupCache keeps the latest resolutions (by CSV, profile and recipient settings) and the latest
 * routes (by the whole campaign too). A failed lookup is not kept, so the next call tries again.
 */
export class LookupCache {
  readonly #resolutions = new Map<string, Promise<ResolvedRecipients>>();
  #routes: { key: string; lookup: Promise<Lookup> } | undefined;
  readonly #keep: number;

  constructor(keep = 4) {
    this.#keep = keep;
  }

  /**
   * lookup returns the routes of `plan` over `table`, reading the conversations with `resolve` only
   * when not known yet, and checking the rows (`invalid`) only when the campaign changed.
   */
  lookup(datasetId: string, profileId: string, plan: CampaignPlan, table: CsvTable, invalid: () => Promise<ReadonlySet<number>>, resolve: () => Promise<ResolvedRecipients>): Promise<Lookup> {
    const s = plan.spec;
    const rKey = JSON.stringify([datasetId, profileId, s.provider, s.recipient, plan.checksActive]);
    // The campaign and the CSV decide which rows are invalid, so they need no place in the key.
    const key = JSON.stringify([rKey, s]);
    if (this.#routes?.key === key) return this.#routes.lookup;
    let resolution = this.#resolutions.get(rKey);
    if (resolution === undefined) {
      resolution = resolve();
      this.#resolutions.set(rKey, resolution);
      resolution.catch(() => this.#resolutions.delete(rKey));
      while (this.#resolutions.size > this.#keep) {
        const oldest = this.#resolutions.keys().next().value;
        if (oldest === undefined) break;
        this.#resolutions.delete(oldest);
      }
    }
    const lookup = Promise.all([resolution, invalid()]).then(([r, bad]) => routesOf(plan, table, bad, r));
    this.#routes = { key, lookup };
    lookup.catch(() => {
      if (this.#routes?.key === key) this.#routes = undefined;
    });
    return lookup;
  }
}
