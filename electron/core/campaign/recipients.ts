import type { CampaignPlan, PlannedRow } from '../../../shared/campaign/plan';
import { UserError } from '../../../shared/ipc/user-error';
import { planRow } from '../../../shared/campaign/plan';
import type { ActiveCheck } from '../wassist/active-check';
import type { Directory } from '../wassist/directory';
import type { AudienceCheck } from './audience';
import type { ConversationDirectory } from './connection';
import { validateRoutes } from './routed-validation';
import type { Resolution, Route, RouteSkip, RouteSummary } from './routing';
import { Router } from './routing';
import type { RowSource, Validation } from './validation';

/**
 * Resolving recipients: before a campaign that needs it sends (phone numbers, or free-form
 * messages that only active conversations accept), ask the provider's conversation directory who
 * is there, then route every row. A Lookup is that answer with where every valid row goes; the
 * service keeps the latest few, so the preview and validation of an edited message reuse them.
 */

/**
 * LookupError is a lookup the provider refused or could not answer: `stop` when it refused the
 * account itself (a bad key), which stops a campaign as a refused send would. `detail` is the
 * provider's answer in words (never the key); `field` the campaign field to fix when the answer
 * points at one (a refused agent id: `recipient.botId`).
 */
export class LookupError extends UserError {
  readonly stop: boolean;
  readonly detail: string;
  readonly field: string | undefined;
  constructor(detail: string, stop: boolean, field?: string) {
    super(`Could not look the conversations up: ${detail}`);
    this.name = 'LookupError';
    this.detail = detail;
    this.stop = stop;
    this.field = field;
  }
}

/** RECIPIENT_FIELD is the field a recipient's own problems name (shared/campaign/prepare.ts). */
const RECIPIENT_FIELD = 'recipient.conversationId';

/** needsResolution tells whether a plan must ask the provider about conversations before sending. */
export function needsResolution(plan: CampaignPlan): boolean {
  return plan.phone !== undefined || plan.checksActive;
}

/** ResolvedRecipients is a Resolution plus how the directory was read (phone campaigns). */
export interface ResolvedRecipients extends Resolution {
  directory?: Directory;
  /** Conversation-id campaigns: how the conversations were checked (listed, read one by one). */
  check?: ActiveCheck;
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
          // A number that may or may not carry its country code gives its international reading (the sandbox makes that one up).
          const p = planRow(plan, rec.row, rec.fields).phone;
          if (p !== undefined) yield p;
        }
      }
    }
    // A resume with nothing left to send reads nothing.
    const probe = numbers();
    const first = await probe.next();
    await probe.return(undefined);
    if (first.done === true) return { byNumber: new Map(), byId: new Map() };
    const dirOptions: { pageSize?: number; onPage?: (n: number, pages: number) => void } = {
      onPage: (n, pages) => options.onProgress?.(`Listing conversations: ${n} (${pages} ${pages === 1 ? 'page' : 'pages'})`),
    };
    if (options.pageSize !== undefined) dirOptions.pageSize = options.pageSize;
    const listed = await directory.byNumber(botId, numbers, dirOptions);
    return { byNumber: listed.byNumber, byId: listed.byId, directory: listed };
  }
  if (!plan.checksActive) return {};
  const ids = new Set<string>();
  for await (const batch of source.batches()) {
    for (const rec of batch) {
      if (skipRows.has(rec.row)) continue;
      const planned = planRow(plan, rec.row, rec.fields);
      // A recipient that is no conversation id (blank, `..`, a path) is the row's error: never asked about.
      if (planned.prepared.recipient === '' || planned.problems.some((p) => p.severity === 'error' && p.field === RECIPIENT_FIELD)) continue;
      ids.add(planned.prepared.recipient);
    }
  }
  const check = await directory.byId(ids, { onProgress: (n, of) => options.onProgress?.(`Checking conversations: ${n} of ${of}`), ...(options.pageSize === undefined ? {} : { pageSize: options.pageSize }) });
  return { byId: check.byId, check };
}

/**
 * Lookup is a resolution, every row judged by where it goes (the validation after the lookup), and
 * where every valid row goes (uncapped, for the preview): the one answer the preview, a test send
 * and the start all use.
 */
export interface Lookup {
  resolution: ResolvedRecipients;
  validation: Validation;
  routes: RouteSummary;
  skips: ReadonlyMap<number, Omit<RouteSkip, 'row'>>;
  fallbackRows: ReadonlySet<number>;
  /** Phone campaigns: each row's number as resolved. */
  phones: ReadonlyMap<number, string>;
}

/**
 * routeAll routes and checks every row once (nothing is sent) into a Lookup; at most `problemLimit`
 * problems are kept. `audience` checks the opt-out list and the cap as the run will.
 */
export async function routeAll(
  plan: CampaignPlan,
  source: RowSource,
  resolution: ResolvedRecipients,
  problemLimit = Infinity,
  settled?: ReadonlySet<number>,
  audience?: AudienceCheck,
): Promise<Lookup> {
  const { validation, routes, phones } = await validateRoutes(plan, source, resolution, problemLimit, {
    ...(settled === undefined ? {} : { settled }),
    ...(audience === undefined ? {} : { audience }),
  });
  return {
    resolution,
    validation,
    routes,
    skips: new Map(routes.skips.map(({ row, ...skip }) => [row, skip])),
    fallbackRows: new Set(routes.fallbackRows),
    phones,
  };
}

/**
 * routeOf is where one row goes, as the preview and a test send see it: a skip the whole pass found
 * (a duplicate needs the rows before it, the cap the rows it let through), else the row routed on
 * its own against the lookup's resolution, and judged by `audience` (the opt-out list as it is now).
 */
export function routeOf(lookup: Lookup, plan: CampaignPlan, planned: PlannedRow, fields: readonly string[], audience?: AudienceCheck): Route {
  const skip = lookup.skips.get(planned.row);
  if (skip !== undefined) {
    const phone = lookup.phones.get(planned.row);
    return { kind: 'skip', ...skip, ...(phone === undefined ? {} : { phone }) };
  }
  return new Router(plan, lookup.resolution, {}, audience).route(planned, fields);
}

/** describeLookup says in words what a lookup found. */
export function describeLookup(lookup: Lookup): string {
  const r = lookup.routes;
  const d = lookup.resolution.directory;
  const parts = [`${r.message} get the message`];
  if (r.fallback > 0) parts.push(`${r.fallback} get the fallback template (inactive conversation)`);
  parts.push(`${r.skipped} skipped`);
  if (r.settled > 0) parts.push(`${r.settled} settled by an earlier run`);
  const c = lookup.resolution.check;
  const requests = lookup.resolution.requests ?? 0;
  const listed = d !== undefined ? `${d.conversations} conversations of the agent listed. ` : '';
  const checked = c !== undefined ? `${c.byId.size} ${c.byId.size === 1 ? 'conversation' : 'conversations'} checked in ${requests} ${requests === 1 ? 'request' : 'requests'}. ` : '';
  return `${listed}${checked}${parts.join(', ')}.`;
}
