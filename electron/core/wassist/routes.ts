import type { CampaignPlan, PlannedRow, Variant } from '../../../shared/campaign/phone-campaign';
import { duplicateReason, fallbackRow, PhoneDeduper, requestFor } from '../../../shared/campaign/phone-campaign';
import type { WireRequest } from '../../../shared/providers/types';
import type { DirectoryEntry } from './directory';

/**
 * Routing decides, for each valid row, where it goes and what it is sent once the directory is
 * known: the main body, the fallback template (inactive conversation), or nothing, with the
 * reason (no conversation for the number, inactive, a duplicate number). The summary pass before
 * sending and the job pass of the engine route every row the same way.
 */

/** Resolution is what was learnt from the API before sending. */
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

/** Router routes the valid rows of one pass, in row order (it remembers numbers for duplicates). */
export class Router {
  readonly #plan: CampaignPlan;
  readonly #resolution: Resolution;
  readonly #dedupe = new PhoneDeduper();

  constructor(plan: CampaignPlan, resolution: Resolution) {
    this.#plan = plan;
    this.#resolution = resolution;
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
    if (plan.checksActive && entry !== undefined && entry !== null && !entry.active) {
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
