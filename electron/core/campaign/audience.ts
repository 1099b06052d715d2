import type { CampaignPlan, PlannedRow } from '../../../shared/campaign/plan';
import type { FrequencyCap } from '../../../shared/campaign/recipient-keys';
import { cappedInRunReason, cappedReason, conversationKey, KEY_PREFIX, optedOutReason, otherKey, phoneKey } from '../../../shared/campaign/recipient-keys';
import type { QuietWait, QuietWindow } from '../../../shared/campaign/quiet-hours';
import { parseWindow, QuietPlanner, waitNote, waitText } from '../../../shared/campaign/quiet-hours';
import { countryOfNumber, zonesOfCountry } from '../../../shared/campaign/quiet-zones';
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
 *
 * Quiet hours are judged here too (waitOf): a row to be sent whose recipient is outside the
 * campaign's window (in the zones of the number's country, or the campaign's zone) gets the instant
 * it opens, which Router.route carries onto the engine's SendJob (`notBefore`); the engine holds the
 * row `pending` ("waiting for 09:00 local") until then, and sends it at the same global pace.
 */

/** RowWait is when a row outside its quiet-hours window goes: the instant, the preview's words and the journal's note. */
export interface RowWait {
  at: number;
  text: string;
  note: string;
}

/**
 * AudienceVerdict is a row's fate as far as the audience rules go. A skip's reason is worded on
 * demand: it needs the entry's date and source from the database, and validation words only the
 * problems it lists.
 */
export type AudienceVerdict =
  | { kind: 'send'; note?: string }
  | { kind: 'skip'; why: 'opted-out' | 'capped'; reason(): string };

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
 * the history and settings when the cap applies, and the minute `now` with quiet hours), for cached
 * validations and routes.
 */
export function audienceVersion(workspace: Workspace, spec: CampaignSpec, now?: number): string {
  const cap = capOf(workspace, spec);
  const base = cap === null ? `${workspace.optOuts.version}` : `${workspace.optOuts.version}|${workspace.history.version}|${cap.messages}/${cap.hours}`;
  // Quiet hours depend on the time: a cached answer holds for the minute it was made in.
  return spec.audience?.quietHours === undefined || now === undefined ? base : `${base}|${Math.floor(now / 60_000)}`;
}

/** capOf is the frequency cap that judges `spec`'s rows: the workspace's, unless the campaign ignores it (null: none). */
export function capOf(workspace: Workspace, spec: CampaignSpec): FrequencyCap | null {
  return spec.audience?.ignoreFrequencyCap === undefined ? workspace.frequencyCap() : null;
}

/**
 * phoneOf is the number a row is judged by: its number, unless it can be read two ways (readPhone),
 * when only the lookup knows which reading is the recipient's (see resolvedAs).
 */
function phoneOf(planned: PlannedRow): string | undefined {
  return planned.phoneReadings === undefined ? planned.phone : undefined;
}

/**
 * resolvedAs is a row as the router resolved it: `phone` is the number it was found by (the reading
 * the agent has a conversation with, or the one an earlier run recorded), so the list, the cap and
 * the history see the recipient's own number.
 */
export function resolvedAs(planned: PlannedRow, phone: string | undefined): PlannedRow {
  if (phone === undefined || (phone === planned.phone && planned.phoneReadings === undefined)) return planned;
  const out: PlannedRow = { row: planned.row, prepared: planned.prepared, problems: planned.problems, phone, files: planned.files };
  if (planned.phoneText !== undefined) out.phoneText = planned.phoneText;
  return out;
}

/** quietPlanner is the campaign's quiet-hours planner (undefined without quiet hours). */
export function quietPlanner(spec: CampaignSpec): QuietPlanner | undefined {
  const q = spec.audience?.quietHours;
  if (q === undefined) return undefined;
  const w: QuietWindow | { reason: string } = parseWindow(q.allowed);
  return 'reason' in w ? undefined : new QuietPlanner(w, q.timeZone);
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
  /** The campaign's quiet hours, when it has them. */
  readonly #quiet: QuietPlanner | undefined;
  readonly #clock: () => number;
  /** The words of each wait the planner answered (one per country and opening), worded once. */
  readonly #waits = new WeakMap<QuietWait, RowWait>();

  /** `clock` is the time quiet hours are judged at (default: `now`, fixed for the pass). */
  constructor(workspace: Workspace, plan: CampaignPlan, headers: readonly string[], now: number, clock: () => number = () => now) {
    this.#plan = plan;
    this.#columns = audienceColumns(plan.spec, headers);
    this.override = plan.spec.audience?.ignoreOptOuts;
    this.cap = plan.spec.audience?.ignoreFrequencyCap === undefined ? workspace.frequencyCap() : null;
    this.#optOuts = workspace.optOuts.matcher();
    this.#recent = workspace.history.counter();
    this.#since = this.cap === null ? 0 : now - this.cap.hours * 3_600_000;
    this.#clock = clock;
    this.#quiet = quietPlanner(plan.spec);
  }

  /** quiet tells whether the campaign has quiet hours. */
  get quiet(): boolean {
    return this.#quiet !== undefined;
  }

  /**
   * waitOf is when a row that is to be sent may go, when that is not now: its window in the zones of
   * its number's country (`phone`: the number it was resolved by), or in the campaign's zone.
   */
  waitOf(planned: PlannedRow, phone?: string): RowWait | undefined {
    const quiet = this.#quiet;
    if (quiet === undefined) return undefined;
    const number = phone ?? phoneOf(planned);
    const country = number === undefined ? undefined : countryOfNumber(number);
    const zones = country === undefined ? undefined : zonesOfCountry(country);
    const wait: QuietWait | undefined = quiet.waitOf(country ?? '', zones, this.#clock());
    if (wait === undefined) return undefined;
    let words = this.#waits.get(wait);
    if (words === undefined) {
      words = { at: wait.at, text: waitText(quiet.window, wait, country), note: waitNote(quiet.window, wait) };
      this.#waits.set(wait, words);
    }
    return words;
  }

  /**
   * keysOf is a row's recipient keys known before any lookup: its number (phone campaigns) or
   * conversation id, and the values of the campaign's opt-out columns; plus `conversationId` once
   * the row's conversation is known. (What the history records of a sent row, and the cap counts.)
   */
  keysOf(planned: PlannedRow, fields: readonly string[], conversationId?: string): string[] {
    const keys: string[] = [];
    const phone = phoneOf(planned);
    if (phone !== undefined) keys.push(phoneKey(phone));
    const id = this.#conversationOf(planned, conversationId);
    if (id !== '') keys.push(conversationKey(id));
    for (const at of this.#columns) {
      const v = fields[at]?.trim() ?? '';
      if (v !== '') keys.push(otherKey(v));
    }
    return keys;
  }

  /**
   * listed is the row's key on the opt-out list, if any: by its number, its conversation (the row's
   * own, or `conversationId` once known) and its opt-out columns. It builds no string and asks the
   * database nothing for a row that is not on the list, which is nearly every row.
   */
  listed(planned: PlannedRow, fields: readonly string[], conversationId?: string): string | undefined {
    const m = this.#optOuts;
    const phone = phoneOf(planned);
    if (phone !== undefined && m.has(KEY_PREFIX.phone, phone)) return KEY_PREFIX.phone + phone;
    const id = this.#conversationOf(planned, conversationId);
    if (id !== '' && m.has(KEY_PREFIX.conversation, id)) return KEY_PREFIX.conversation + id;
    for (const at of this.#columns) {
      const v = fields[at]?.trim().toLowerCase() ?? '';
      if (v !== '' && m.has(KEY_PREFIX.key, v)) return KEY_PREFIX.key + v;
    }
    return undefined;
  }

  /**
   * screen answers `listed` for a run of rows (validation's), checking their numbers or conversation
   * ids against the filter in one tight loop: the filter's memory is read for many rows at once
   * instead of waiting for each row's read in turn, which is what a check costs. `null`: not listed.
   */
  screen(rows: readonly { planned: PlannedRow; fields: readonly string[] }[]): (string | null)[] {
    const prefix = this.#plan.phone !== undefined ? KEY_PREFIX.phone : KEY_PREFIX.conversation;
    const n = rows.length;
    const values = new Array<string>(n);
    for (let i = 0; i < n; i++) {
      const planned = (rows[i] as { planned: PlannedRow }).planned;
      values[i] = phoneOf(planned) ?? this.#conversationOf(planned, undefined);
    }
    const onList = this.#optOuts.screen(prefix, values);
    const out = new Array<string | null>(n);
    for (let i = 0; i < n; i++) {
      if (onList[i] === 1) out[i] = prefix + (values[i] as string);
      else if (this.#columns.length === 0) out[i] = null;
      else {
        const { planned, fields } = rows[i] as { planned: PlannedRow; fields: readonly string[] };
        out[i] = this.listed(planned, fields, this.#plan.phone === undefined ? '' : undefined) ?? null;
      }
    }
    return out;
  }

  /** judgeOptOut judges the list alone (before the conversation is known; the cap waits for every key); `screened` is screen's answer for the row. */
  judgeOptOut(planned: PlannedRow, fields: readonly string[], conversationId?: string, screened?: string | null): AudienceVerdict {
    const key = screened === undefined ? this.listed(planned, fields, conversationId) : (screened ?? undefined);
    if (key === undefined) return SEND;
    if (this.override !== undefined) {
      const entry = this.#optOuts.entry(key);
      return entry === undefined ? SEND : { kind: 'send', note: overrideNote(entry, this.override) };
    }
    return {
      kind: 'skip',
      why: 'opted-out',
      reason: () => {
        const entry = this.#optOuts.entry(key);
        return entry === undefined ? 'opted out (the entry has since been removed)' : optedOutReason(entry.createdAt, entry.source);
      },
    };
  }

  /**
   * judge judges the list, then the cap (the history, and the rows this pass already let through).
   * `keys` are the row's keys (keysOf) when the caller has them; made here only when the cap applies.
   */
  judge(planned: PlannedRow, fields: readonly string[], conversationId?: string, keys?: readonly string[], screened?: string | null): AudienceVerdict {
    const listed = this.judgeOptOut(planned, fields, conversationId, screened);
    const cap = this.cap;
    if (listed.kind === 'skip' || cap === null) return listed;
    const all = keys ?? this.keysOf(planned, fields, conversationId);
    if (all.length === 0) return listed;
    const earlier = this.#recent(all, this.#since);
    let inPass: { first: number; count: number } | undefined;
    for (const k of all) {
      const seen = this.#inPass.get(k);
      if (seen !== undefined && (inPass === undefined || seen.count > inPass.count)) inPass = seen;
    }
    if ((earlier?.count ?? 0) + (inPass?.count ?? 0) < cap.messages) return listed;
    const reason = earlier !== undefined ? cappedReason(cap, earlier.lastAt) : cappedInRunReason(cap, inPass?.first ?? 0);
    return { kind: 'skip', why: 'capped', reason: () => reason };
  }

  /** counting tells whether `sending` needs the row's keys (a cap applies). */
  get counting(): boolean {
    return this.cap !== null;
  }

  /** conversationOf is the conversation a row is known by: the looked-up one, or the row's own (conversation-id campaigns). */
  #conversationOf(planned: PlannedRow, conversationId: string | undefined): string {
    return (conversationId ?? (this.#plan.phone === undefined ? planned.prepared.recipient : '')).trim();
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
