import type { CampaignPlan, PlannedRow, Variant } from '../../../shared/campaign/plan';
import { duplicateReason, fallbackRow, PhoneDeduper, planRow, requestFor } from '../../../shared/campaign/plan';
import type { WireRequest } from '../../../shared/providers/types';
import type { EngineJob } from '../engine/engine';
import type { DirectoryEntry } from '../wassist/directory';
import type { RowSource } from './validation';

/**
 * Routing decides, for each valid row, where it goes and what it is sent once its conversation is
 * known: the main body, the fallback template (inactive conversation), or nothing, with the reason
 * (no conversation for the number, inactive, a duplicate number). The summary before sending, the
 * preview and the engine's jobs all route every row through the same Router.
 */

/** Resolution is what was learnt from the provider before sending. */
export interface Resolution {
  /** Phone campaigns: the agent's conversations by E.164 number. */
  byNumber?: ReadonlyMap<string, DirectoryEntry>;
  /** Conversation-id campaigns that check `active`: each id's conversation, null when there is none. */
  byId?: ReadonlyMap<string, DirectoryEntry | null>;
}

/** Route is one row's fate. */
export type Route =
  | { kind: 'send'; conversationId: string; variant: Variant; request: WireRequest }
  | { kind: 'skip'; conversationId: string; reason: string; variant?: Variant };

/** inactiveReason is the reason a row is skipped for an inactive conversation and no fallback. */
export const inactiveReason =
  'conversation is inactive (outside the 24-hour window): only template messages can be sent; set a fallback template to reach it';

/**
 * Router routes the valid rows of one pass, in row order (it remembers numbers for duplicates).
 * `held` are rows an earlier run left in doubt, with the body they were sent (see heldVariants in
 * launch.ts): such a row keeps that body even if its conversation has since turned active or
 * inactive, so the read-back looks for the message that may have been delivered, not for the
 * other body (which it would not find, and would then send: two messages in one conversation).
 */
export class Router {
  readonly #plan: CampaignPlan;
  readonly #resolution: Resolution;
  readonly #held: ReadonlyMap<number, Variant>;
  readonly #dedupe = new PhoneDeduper();

  constructor(plan: CampaignPlan, resolution: Resolution, held: ReadonlyMap<number, Variant> = new Map()) {
    this.#plan = plan;
    this.#resolution = resolution;
    this.#held = held;
  }

  /** route decides a valid row's fate; `fields` are its cells (for the fallback). */
  route(planned: PlannedRow, fields: readonly string[]): Route {
    const plan = this.#plan;
    let conversationId = planned.prepared.recipient;
    let entry: DirectoryEntry | null | undefined;
    if (planned.phone !== undefined) {
      const first = this.#dedupe.see(planned.row, planned.phone);
      if (first !== undefined) return { kind: 'skip', conversationId: '', reason: duplicateReason(first, planned.phone) };
      entry = this.#resolution.byNumber?.get(planned.phone);
      if (entry === undefined) {
        return { kind: 'skip', conversationId: '', reason: `no conversation with ${planned.phone} for agent ${plan.spec.recipient.botId ?? ''}` };
      }
      conversationId = entry.id;
    } else if (plan.checksActive) {
      entry = this.#resolution.byId?.get(conversationId);
      if (entry === null) return { kind: 'skip', conversationId, reason: `no conversation ${conversationId}` };
    }
    const held = this.#held.get(planned.row);
    if (held === 'message') return { kind: 'send', conversationId, variant: 'message', request: requestFor(planned.prepared, conversationId, 'message', plan) };
    const inactive = plan.checksActive && entry !== undefined && entry !== null && !entry.active;
    if (inactive || held === 'fallback') {
      if (plan.policy !== 'fallback') return { kind: 'skip', conversationId, reason: inactiveReason };
      const fb = fallbackRow(plan, planned.row, fields);
      if (fb === undefined) return { kind: 'skip', conversationId, reason: inactiveReason };
      const error = fb.problems.find((p) => p.severity === 'error');
      if (error !== undefined) {
        return { kind: 'skip', conversationId, variant: 'fallback', reason: `conversation is inactive and the fallback template cannot be sent: ${error.field}: ${error.reason}` };
      }
      return { kind: 'send', conversationId, variant: 'fallback', request: requestFor(fb, conversationId, 'fallback', plan) };
    }
    return { kind: 'send', conversationId, variant: 'message', request: requestFor(planned.prepared, conversationId, 'message', plan) };
  }
}

/** RouteSummary counts where the valid rows go. */
export interface RouteSummary {
  message: number;
  fallback: number;
  skipped: number;
  /** Skipped rows with the reason, in row order, at most `limit`. */
  skips: { row: number; conversationId: string; reason: string }[];
  /** Rows that take the fallback template. */
  fallbackRows: number[];
}

/** summarizeRoutes routes every valid row once (nothing is sent) and counts. */
export async function summarizeRoutes(plan: CampaignPlan, source: RowSource, invalidRows: ReadonlySet<number>, resolution: Resolution, limit = Infinity): Promise<RouteSummary> {
  const s: RouteSummary = { message: 0, fallback: 0, skipped: 0, skips: [], fallbackRows: [] };
  const router = new Router(plan, resolution);
  for await (const batch of source.batches()) {
    for (const rec of batch) {
      if (invalidRows.has(rec.row)) continue;
      const route = router.route(planRow(plan, rec.row, rec.fields), rec.fields);
      if (route.kind === 'skip') {
        s.skipped++;
        if (s.skips.length < limit) s.skips.push({ row: rec.row, conversationId: route.conversationId, reason: route.reason });
      } else if (route.variant === 'fallback') {
        s.fallback++;
        s.fallbackRows.push(rec.row);
      } else {
        s.message++;
      }
    }
  }
  return s;
}

/**
 * planJobs turns rows into engine jobs: invalid rows (only reached when the user chose to skip
 * them) are skipped with their first error; valid rows go where the router sends them (rows in
 * doubt with the body they were sent: `held`). Rows `leaveOut` names (settled by an earlier run)
 * are read but neither rendered nor yielded; only for a campaign without phone numbers, whose
 * router remembers nothing from row to row.
 */
export async function* planJobs(
  plan: CampaignPlan,
  source: RowSource,
  invalidRows: ReadonlySet<number>,
  resolution: Resolution,
  held: ReadonlyMap<number, Variant> = new Map(),
  leaveOut?: (row: number) => boolean,
): AsyncGenerator<EngineJob> {
  const router = new Router(plan, resolution, held);
  for await (const batch of source.batches()) {
    for (const rec of batch) {
      if (leaveOut?.(rec.row) === true) continue;
      const planned = planRow(plan, rec.row, rec.fields);
      if (invalidRows.has(rec.row)) {
        const first = rec.problem ?? planned.problems.find((p) => p.severity === 'error');
        const reason = first === undefined ? 'invalid row' : `invalid: ${first.field}: ${first.reason}`;
        yield { row: rec.row, recipient: planned.phone === undefined ? planned.prepared.recipient : '', skip: reason };
        continue;
      }
      const route = router.route(planned, rec.fields);
      if (route.kind === 'skip') yield { row: rec.row, recipient: route.conversationId, skip: route.reason };
      else yield { row: rec.row, recipient: route.conversationId, request: route.request };
    }
  }
}
