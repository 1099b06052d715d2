import type { CampaignPlan, PlannedRow } from '../../../shared/campaign/plan';
import type { FrequencyCap } from '../../../shared/campaign/recipient-keys';
import { cappedInRunReason, cappedReason, conversationKey, optedOutReason, otherKey, phoneKey } from '../../../shared/campaign/recipient-keys';
import type { CampaignSpec } from '../../../shared/campaign/schema';
import { InputError } from '../../../shared/problems';
import type { OptOutEntry, OptOutMatcher } from '../workspace/opt-out-list';
import type { RecentMessages } from '../workspace/send-history';
import type { Workspace } from '../workspace/workspace';

/**
 * The audience check: before any row is sent, previewed or counted as sendable, its recipient is
 * looked up in the workspace's opt-out list and, when the workspace caps how often a recipient is
 * messaged, in the message history. A row on the list is skipped ("opted out on <date> (<source>)")
 * unless the campaign file says in the open that it ignores the list, with a reason; such rows are
 * sent with a note that the preview and the report show. Validation, routing (send, resume, retry,
 * test-send) and the preview all judge rows with this one class, one instance per pass over the
 * rows (it counts, for the cap, the rows of the pass it already let through).
 */

/** AudienceVerdict is a row's fate as far as the audience rules go. */
export type AudienceVerdict =
  | { kind: 'send'; note?: string }
  | { kind: 'skip'; why: 'opted-out' | 'capped'; reason: string };

const SEND: AudienceVerdict = { kind: 'send' };

/** audienceColumns finds the campaign's `audience.optOutColumns` among the headers (InputError naming an unknown one). */
export function audienceColumns(spec: CampaignSpec, headers: readonly string[]): number[] {
  const names = spec.audience?.optOutColumns ?? [];
  const problems = names.flatMap((name, i) =>
    headers.includes(name) ? [] : [{ row: 0, field: `audience.optOutColumns[${i}]`, reason: `there is no column "${name}" in the contacts`, severity: 'error' as const }],
  );
  if (problems.length > 0) throw new InputError(problems);
  return names.map((name) => headers.indexOf(name));
}

/** overrideNote is what a row sent despite the list says (preview and report). */
export function overrideNote(entry: OptOutEntry, reason: string): string {
  return `${optedOutReason(entry.createdAt, entry.source)}; sent anyway: the campaign ignores the opt-out list (${reason})`;
}

/**
 * audienceVersion names the state of what a campaign's audience answers depend on (the list, and
 * the history and settings when the cap applies), for cached validations and routes.
 */
export function audienceVersion(workspace: Workspace, spec: CampaignSpec): string {
  const cap = spec.audience?.ignoreFrequencyCap === undefined ? workspace.frequencyCap() : null;
  return cap === null ? `${workspace.optOuts.version}` : `${workspace.optOuts.version}|${workspace.history.version}|${cap.messages}/${cap.hours}`;
}

/** AudienceCheck judges the rows of one pass (see the file comment). */
export class AudienceCheck {
  /** The campaign's reason for ignoring the opt-out list, when it does. */
  readonly override: string | undefined;
  /** The cap that applies (null when the workspace has none, or the campaign ignores it). */
  readonly cap: FrequencyCap | null;
  readonly #plan: CampaignPlan;
  readonly #columns: number[];
  readonly #optOuts: OptOutMatcher;
  readonly #recent: (keys: readonly string[], since: number) => RecentMessages | undefined;
  readonly #since: number;
  /** Rows of this pass let through, per key, while a cap applies: the first row and how many. */
  readonly #inPass = new Map<string, { first: number; count: number }>();

  constructor(workspace: Workspace, plan: CampaignPlan, headers: readonly string[], now: number) {
    this.#plan = plan;
    this.#columns = audienceColumns(plan.spec, headers);
    this.override = plan.spec.audience?.ignoreOptOuts;
    this.cap = plan.spec.audience?.ignoreFrequencyCap === undefined ? workspace.frequencyCap() : null;
    this.#optOuts = workspace.optOuts.matcher();
    this.#recent = workspace.history.counter();
    this.#since = this.cap === null ? 0 : now - this.cap.hours * 3_600_000;
  }

  /**
   * keysOf is a row's recipient keys known before any lookup: its number (phone campaigns) or
   * conversation id, and the values of the campaign's opt-out columns; plus `conversationId` once
   * the row's conversation is known.
   */
  keysOf(planned: PlannedRow, fields: readonly string[], conversationId?: string): string[] {
    const keys: string[] = [];
    if (planned.phone !== undefined) keys.push(phoneKey(planned.phone));
    const id = conversationId ?? (this.#plan.phone === undefined ? planned.prepared.recipient : '');
    if (id !== '') keys.push(conversationKey(id));
    for (const at of this.#columns) {
      const v = fields[at]?.trim() ?? '';
      if (v !== '') keys.push(otherKey(v));
    }
    return keys;
  }

  /** optedOut is the first of `keys` on the list, if any. */
  optedOut(keys: readonly string[]): OptOutEntry | undefined {
    for (const k of keys) {
      const e = this.#optOuts.match(k);
      if (e !== undefined) return e;
    }
    return undefined;
  }

  /** judgeOptOut judges the list alone (before the conversation is known; the cap waits for every key). */
  judgeOptOut(keys: readonly string[]): AudienceVerdict {
    const entry = this.optedOut(keys);
    if (entry === undefined) return SEND;
    if (this.override !== undefined) return { kind: 'send', note: overrideNote(entry, this.override) };
    return { kind: 'skip', why: 'opted-out', reason: optedOutReason(entry.createdAt, entry.source) };
  }

  /** judge judges the list, then the cap (the history, and the rows this pass already let through). */
  judge(keys: readonly string[]): AudienceVerdict {
    const listed = this.judgeOptOut(keys);
    if (listed.kind === 'skip' || this.cap === null || keys.length === 0) return listed;
    const earlier = this.#recent(keys, this.#since);
    let inPass: { first: number; count: number } | undefined;
    for (const k of keys) {
      const seen = this.#inPass.get(k);
      if (seen !== undefined && (inPass === undefined || seen.count > inPass.count)) inPass = seen;
    }
    if ((earlier?.count ?? 0) + (inPass?.count ?? 0) < this.cap.messages) return listed;
    const reason = earlier !== undefined ? cappedReason(this.cap, earlier.lastAt) : cappedInRunReason(this.cap, inPass?.first ?? 0);
    return { kind: 'skip', why: 'capped', reason };
  }

  /** sending notes that row `row` with these keys goes out in this pass (for the cap's count). */
  sending(row: number, keys: readonly string[]): void {
    if (this.cap === null) return;
    for (const k of keys) {
      const seen = this.#inPass.get(k);
      if (seen === undefined) this.#inPass.set(k, { first: row, count: 1 });
      else seen.count++;
    }
  }
}
