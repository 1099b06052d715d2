import type { CampaignPlan, PlannedRow, Variant } from '../../../shared/campaign/plan';
import { duplicateReason, fallbackRow, PhoneDeduper, planRow, requestFor } from '../../../shared/campaign/plan';
import type { WireRequest } from '../../../shared/providers/types';
import type { EngineJob } from '../engine/engine';
import type { DirectoryEntry } from '../wassist/directory';
import type { AudienceCheck } from './audience';
import type { RowSource } from './validation';

/**
 * Routing decides, for each valid row, where it goes and what it is sent once its conversation is
 * known: the main body, the fallback template (inactive conversation), or nothing, with the reason
 * (no conversation for the number, inactive, a duplicate number, opted out, over the frequency cap).
 * The summary before sending, the preview and the engine's jobs all route every row through the
 * same Router, so a recipient on the opt-out list is skipped wherever a row is routed.
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
  | { kind: 'send'; conversationId: string; variant: Variant; request: WireRequest; keys: string[]; note?: string }
  | { kind: 'skip'; conversationId: string; reason: string; variant?: Variant };

/** inactiveReason is the reason a row is skipped for an inactive conversation and no fallback. */
export const inactiveReason =
  'conversation is inactive (outside the 24-hour window): only template messages can be sent; set a fallback template to reach it';

/** Router routes the valid rows of one pass, in row order (it remembers numbers for duplicates). */
export class Router {
  readonly #plan: CampaignPlan;
  readonly #resolution: Resolution;
  readonly #dedupe = new PhoneDeduper();
  readonly #audience: AudienceCheck | undefined;

  constructor(plan: CampaignPlan, resolution: Resolution, audience?: AudienceCheck) {
    this.#plan = plan;
    this.#resolution = resolution;
    this.#audience = audience;
  }

  /**
   * route decides a valid row's fate; `fields` are its cells (for the fallback and the opt-out
   * columns). The opt-out list is checked first, on what the row itself says (its number, its
   * conversation id), so an opted-out number is skipped as opted out, whatever else is true of it.
   * A row an earlier run settled (`settled`) is routed only to keep the duplicate check right: the
   * engine will not send it again, so the list and the cap are not asked.
   */
  route(planned: PlannedRow, fields: readonly string[], settled = false): Route {
    const audience = settled ? undefined : this.#audience;
    if (audience !== undefined) {
      const listed = audience.judgeOptOut(planned, fields);
      if (listed.kind === 'skip') return { kind: 'skip', conversationId: planned.phone === undefined ? planned.prepared.recipient : '', reason: listed.reason() };
    }
    const routed = this.#destination(planned, fields);
    if (routed.kind === 'skip' || audience === undefined) return routed;
    // Once the conversation is known: the list by every key (an opted-out conversation), then the cap.
    const verdict = audience.judge(planned, fields, routed.conversationId, routed.keys);
    if (verdict.kind === 'skip') return { kind: 'skip', conversationId: routed.conversationId, reason: verdict.reason() };
    audience.sending(planned.row, routed.keys);
    return verdict.note === undefined ? routed : { ...routed, note: verdict.note };
  }

  /** destination is where a row goes by its conversation: the message, the fallback, or a skip. */
  #destination(planned: PlannedRow, fields: readonly string[]): Route {
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
    if (plan.checksActive && entry !== undefined && entry !== null && !entry.active) {
      if (plan.policy !== 'fallback') return { kind: 'skip', conversationId, reason: inactiveReason };
      const fb = fallbackRow(plan, planned.row, fields);
      if (fb === undefined) return { kind: 'skip', conversationId, reason: inactiveReason };
      const error = fb.problems.find((p) => p.severity === 'error');
      if (error !== undefined) {
        return { kind: 'skip', conversationId, variant: 'fallback', reason: `conversation is inactive and the fallback template cannot be sent: ${error.field}: ${error.reason}` };
      }
      return { kind: 'send', conversationId, variant: 'fallback', request: requestFor(fb, conversationId, 'fallback', plan), keys: this.#keys(planned, fields, conversationId) };
    }
    return { kind: 'send', conversationId, variant: 'message', request: requestFor(planned.prepared, conversationId, 'message', plan), keys: this.#keys(planned, fields, conversationId) };
  }

  #keys(planned: PlannedRow, fields: readonly string[], conversationId: string): string[] {
    return this.#audience?.keysOf(planned, fields, conversationId) ?? [];
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
  /** Rows sent although their recipient opted out (the campaign ignores the list), with the note that says so. */
  notes: Map<number, string>;
}

/** summarizeRoutes routes every valid row once (nothing is sent) and counts. */
export async function summarizeRoutes(
  plan: CampaignPlan,
  source: RowSource,
  invalidRows: ReadonlySet<number>,
  resolution: Resolution,
  limit = Infinity,
  audience?: AudienceCheck,
): Promise<RouteSummary> {
  const s: RouteSummary = { message: 0, fallback: 0, skipped: 0, skips: [], fallbackRows: [], notes: new Map() };
  const router = new Router(plan, resolution, audience);
  for await (const batch of source.batches()) {
    for (const rec of batch) {
      if (invalidRows.has(rec.row)) continue;
      const route = router.route(planRow(plan, rec.row, rec.fields), rec.fields);
      if (route.kind === 'skip') {
        s.skipped++;
        if (s.skips.length < limit) s.skips.push({ row: rec.row, conversationId: route.conversationId, reason: route.reason });
      } else {
        if (route.variant === 'fallback') {
          s.fallback++;
          s.fallbackRows.push(rec.row);
        } else {
          s.message++;
        }
        if (route.note !== undefined) s.notes.set(rec.row, route.note);
      }
    }
  }
  return s;
}

/** SendHook hears of each row the router sends: its recipient keys and, for a row sent despite the opt-out list, the note. */
export type SendHook = (row: number, keys: readonly string[], note: string | undefined) => void;

/**
 * planJobs turns rows into engine jobs: invalid rows (only reached when the user chose to skip
 * them) are skipped with their first error; valid rows go where the router sends them.
 */
export async function* planJobs(
  plan: CampaignPlan,
  source: RowSource,
  invalidRows: ReadonlySet<number>,
  resolution: Resolution,
  audience?: AudienceCheck,
  onSend?: SendHook,
  settled?: (row: number) => boolean,
): AsyncGenerator<EngineJob> {
  const router = new Router(plan, resolution, audience);
  for await (const batch of source.batches()) {
    for (const rec of batch) {
      const planned = planRow(plan, rec.row, rec.fields);
      if (invalidRows.has(rec.row)) {
        const first = rec.problem ?? planned.problems.find((p) => p.severity === 'error');
        const reason = first === undefined ? 'invalid row' : `invalid: ${first.field}: ${first.reason}`;
        yield { row: rec.row, recipient: planned.phone === undefined ? planned.prepared.recipient : '', skip: reason };
        continue;
      }
      const route = router.route(planned, rec.fields, settled?.(rec.row) === true);
      if (route.kind === 'skip') {
        yield { row: rec.row, recipient: route.conversationId, skip: route.reason };
      } else {
        onSend?.(rec.row, route.keys, route.note);
        yield { row: rec.row, recipient: route.conversationId, request: route.request };
      }
    }
  }
}
