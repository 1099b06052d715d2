import type { CampaignPlan, PlannedRow, Variant } from '../../../shared/campaign/plan';
import { duplicateReason, fallbackRow, PhoneDeduper, planRow, requestFor } from '../../../shared/campaign/plan';
import type { Problem } from '../../../shared/problems';
import type { WireRequest } from '../../../shared/providers/types';
import type { FileChecker } from '../attachments/file-check';
import type { EngineJob, SendJob } from '../engine/engine';
import { checkRowFiles, uploadFiles } from './attachments';
import type { DirectoryEntry } from '../wassist/directory';
import type { AudienceCheck, RowWait } from './audience';
import { resolvedAs } from './audience';
import type { RowSource } from './validation';
import { offlineView } from './validation';

/**
 * Routing decides, for each row that passed the offline checks, where it goes and what it is sent
 * once its conversation is known: the main body, the fallback template (inactive conversation), or
 * nothing, with the reason (no conversation for the number, inactive, a duplicate number, opted
 * out, over the frequency cap). It also judges the body the row will actually send: a row whose
 * message has errors but whose conversation is inactive takes the fallback and is fine; a row whose
 * chosen body has errors is `invalid`. The validation after a lookup, the preview, the test send and
 * the engine's jobs (send, resume, retry) all route rows through one Router, so a recipient on the
 * opt-out list is skipped wherever a row is routed.
 */

/** Resolution is what was learnt from the provider before sending. */
export interface Resolution {
  /** Phone campaigns: the agent's conversations by E.164 number. */
  byNumber?: ReadonlyMap<string, DirectoryEntry>;
  /**
   * Each conversation's state by id, null when there is none: the conversations checked for a
   * conversation-id campaign, or every listed conversation of the agent for a phone campaign.
   */
  byId?: ReadonlyMap<string, DirectoryEntry | null>;
}

/** Pin is the conversation an earlier run of the campaign routed a row to (and the number it resolved). */
export interface Pin {
  conversationId: string;
  phone?: string;
}

/** Pins answer a row's pin, if an earlier run routed it (a resume keeps what it recorded). */
export type Pins = (row: number) => Pin | undefined;

/**
 * Route is one row's fate. `phone` is the number it was resolved by (phone campaigns); `note` says
 * which reading of a number was found. A sent row carries its recipient `keys` (what the history
 * records, for the frequency cap) and, when it is on the opt-out list and the campaign ignores the
 * list, `optOutNote` (the preview and the report show it); outside its quiet-hours window, `wait`
 * (when it may go). A skip for the list or the cap says which (`audience`).
 */
export type Route =
  | { kind: 'send'; conversationId: string; variant: Variant; request: WireRequest; keys: string[]; phone?: string; note?: string; optOutNote?: string; wait?: RowWait }
  | { kind: 'skip'; conversationId: string; reason: string; variant?: Variant; phone?: string; duplicateOf?: number; problem?: Problem; audience?: AudienceSkip }
  | { kind: 'invalid'; conversationId: string; variant: Variant; problems: Problem[]; phone?: string };

/** AudienceSkip is why the audience rules skip a row. */
export type AudienceSkip = 'opted-out' | 'capped';

/** inactiveReason is the reason a row is skipped for an inactive conversation and no fallback. */
export const inactiveReason =
  'conversation is inactive (outside the 24-hour window): only template messages can be sent; set a fallback template to reach it';

type Found = { conversationId: string; entry: DirectoryEntry; phone: string; note?: string } | { skip: Route };

/** Earlier is what an earlier run of the campaign decided for its rows, which a resume keeps. */
export interface Earlier {
  /** Phone campaigns: the conversation (and number) each row was already routed to. */
  pins?: Pins;
  /**
   * Rows an earlier run left in doubt, with the body they were sent (see heldVariants in resumed-routing.ts):
   * such a row keeps that body even if its conversation has since turned active or inactive, so the
   * read-back looks for the message that may have been delivered, not for the other body (which it
   * would not find, and would then send: two messages in one conversation).
   */
  held?: ReadonlyMap<number, Variant>;
  /**
   * Rows an earlier run settled, which the engine will not send again: routed only to keep the
   * duplicate check right, so the opt-out list and the cap are not asked about them.
   */
  settled?: (row: number) => boolean;
}

/** Router routes the rows of one pass, in row order (it remembers numbers for duplicates). */
export class Router {
  readonly #plan: CampaignPlan;
  readonly #resolution: Resolution;
  readonly #pins: Pins | undefined;
  readonly #held: ReadonlyMap<number, Variant>;
  readonly #settled: ((row: number) => boolean) | undefined;
  readonly #audience: AudienceCheck | undefined;
  readonly #dedupe = new PhoneDeduper();

  /** `audience` judges each row against the opt-out list and the frequency cap (one pass: it counts the rows it lets through). */
  constructor(plan: CampaignPlan, resolution: Resolution, earlier: Earlier = {}, audience?: AudienceCheck) {
    this.#plan = plan;
    this.#resolution = resolution;
    this.#pins = earlier.pins;
    this.#held = earlier.held ?? new Map();
    this.#settled = earlier.settled;
    this.#audience = audience;
  }

  /**
   * route decides the fate of a row that passed the offline checks; `fields` are its cells (for the
   * fallback and the opt-out columns). The opt-out list is checked first, on what the row itself
   * says (its number, its conversation id, its opt-out columns), so an opted-out recipient is skipped
   * as opted out, whatever else is true of it; then, once the conversation is known, the list by
   * every key (an opted-out conversation) and the cap. A settled row is not judged (see Earlier).
   */
  route(planned: PlannedRow, fields: readonly string[]): Route {
    const audience = this.#settled?.(planned.row) === true ? undefined : this.#audience;
    if (audience !== undefined) {
      const listed = audience.judgeOptOut(planned, fields);
      if (listed.kind === 'skip') {
        const phone = planned.phoneReadings === undefined && planned.phone !== undefined ? { phone: planned.phone } : {};
        return { kind: 'skip', conversationId: this.#plan.phone === undefined ? planned.prepared.recipient : '', reason: listed.reason(), audience: 'opted-out', ...phone };
      }
    }
    const routed = this.#destination(planned, fields);
    if (audience === undefined || routed.kind === 'skip') return routed;
    const resolved = resolvedAs(planned, routed.phone);
    const at = routed.phone === undefined ? {} : { phone: routed.phone };
    if (routed.kind === 'invalid') {
      // Not sent either way: an opted-out conversation is said so rather than blocking the campaign.
      const listed = audience.judgeOptOut(resolved, fields, routed.conversationId);
      return listed.kind === 'skip' ? { kind: 'skip', conversationId: routed.conversationId, reason: listed.reason(), audience: 'opted-out', ...at } : routed;
    }
    const keys = audience.keysOf(resolved, fields, routed.conversationId);
    const verdict = audience.judge(resolved, fields, routed.conversationId, keys);
    if (verdict.kind === 'skip') return { kind: 'skip', conversationId: routed.conversationId, reason: verdict.reason(), audience: verdict.why, variant: routed.variant, ...at };
    audience.sending(planned.row, keys);
    const wait = audience.waitOf(resolved, routed.phone);
    return { ...routed, keys, ...(verdict.note === undefined ? {} : { optOutNote: verdict.note }), ...(wait === undefined ? {} : { wait }) };
  }

  /** destination is where a row goes by its conversation: the message, the fallback, a skip, or invalid (its body has errors). */
  #destination(planned: PlannedRow, fields: readonly string[]): Route {
    const plan = this.#plan;
    let conversationId = planned.prepared.recipient;
    let entry: DirectoryEntry | null | undefined;
    let phone: string | undefined;
    let note: string | undefined;
    if (plan.phone !== undefined) {
      const found = this.#byNumber(planned);
      if ('skip' in found) return found.skip;
      ({ conversationId, entry, phone } = found);
      note = found.note;
    } else if (plan.checksActive) {
      entry = this.#resolution.byId?.get(conversationId);
      if (entry === null) return { kind: 'skip', conversationId, reason: `no conversation ${conversationId}` };
    }
    const at = phone === undefined ? {} : { phone };
    const held = this.#held.get(planned.row);
    const inactive = plan.checksActive && entry !== undefined && entry !== null && !entry.active;
    if (held === 'fallback' || (held === undefined && inactive)) {
      const fb = plan.policy === 'fallback' || held === 'fallback' ? fallbackRow(plan, planned.row, fields) : undefined;
      if (fb === undefined) return { kind: 'skip', conversationId, reason: inactiveReason, ...at };
      const errors = fb.problems.filter((p) => p.severity === 'error');
      if (errors.length > 0) return { kind: 'invalid', conversationId, variant: 'fallback', problems: errors, ...at };
      return { kind: 'send', conversationId, variant: 'fallback', request: requestFor(fb, conversationId, 'fallback', plan), keys: [], ...at, ...(note === undefined ? {} : { note }) };
    }
    const errors = planned.problems.filter((p) => p.severity === 'error');
    if (errors.length > 0) return { kind: 'invalid', conversationId, variant: 'message', problems: errors, ...at };
    return { kind: 'send', conversationId, variant: 'message', request: requestFor(planned.prepared, conversationId, 'message', plan), keys: [], ...at, ...(note === undefined ? {} : { note }) };
  }

  /** byNumber finds a phone row's conversation: its pin, else the number (or the one of its two readings the agent has). */
  #byNumber(planned: PlannedRow): Found {
    const bot = this.#plan.spec.recipient.botId ?? '';
    const duplicate = (phone: string): Found | undefined => {
      const first = this.#dedupe.see(planned.row, phone);
      return first === undefined ? undefined : { skip: { kind: 'skip', conversationId: '', reason: duplicateReason(first, phone), phone, duplicateOf: first } };
    };
    const pin = this.#pins?.(planned.row);
    if (pin !== undefined) {
      const phone = pin.phone ?? planned.phone ?? '';
      const entry = this.#resolution.byId?.get(pin.conversationId);
      if (entry === undefined || entry === null) {
        return { skip: { kind: 'skip', conversationId: pin.conversationId, phone, reason: `conversation ${pin.conversationId}, where an earlier run of this campaign sent to ${phone}, is no longer listed for agent ${bot}` } };
      }
      return duplicate(phone) ?? { conversationId: pin.conversationId, entry, phone };
    }
    const byNumber = this.#resolution.byNumber;
    const readings = planned.phoneReadings;
    if (readings === undefined) {
      const phone = planned.phone ?? '';
      const dup = duplicate(phone);
      if (dup !== undefined) return dup;
      const entry = byNumber?.get(phone);
      if (entry === undefined) return { skip: { kind: 'skip', conversationId: '', phone, reason: `no conversation with ${phone} for agent ${bot}` } };
      return { conversationId: entry.id, entry, phone };
    }
    const text = planned.phoneText ?? '';
    const country = this.#plan.spec.recipient.defaultCountry ?? '';
    const hits = readings.filter((r) => byNumber?.has(r) === true);
    if (hits.length === 1) {
      const phone = hits[0] as string;
      const other = readings.find((r) => r !== phone) ?? '';
      const entry = byNumber?.get(phone) as DirectoryEntry;
      const note = `"${text}" is read as ${phone}: the agent has a conversation with it, none with ${other} (the number read in ${country})`;
      return duplicate(phone) ?? { conversationId: entry.id, entry, phone, note };
    }
    const reason =
      hits.length === 0
        ? `no conversation with ${readings[0]} or ${readings[1]} for agent ${bot} ("${text}" read with its country code and as a number in ${country})`
        : `"${text}" can be read as ${readings[0]} or as ${readings[1]} (a number in ${country}), and agent ${bot} has a conversation with each: write it with + and the country code`;
    const problem: Problem = { row: planned.row, field: 'recipient.phone', reason, severity: 'warning' };
    const column = this.#plan.phone?.columns[0];
    if (column !== undefined) problem.column = column;
    return { skip: { kind: 'skip', conversationId: '', reason, problem } };
  }
}

/** RouteSummary counts where the valid rows go. */
export interface RouteSummary {
  message: number;
  fallback: number;
  skipped: number;
  /** Rows an earlier run of the campaign settled (sent, failed, skipped): not looked up, not sent again. */
  settled: number;
  /** Skipped rows with the reason (and, for the opt-out list or the cap, which), in row order. */
  skips: RouteSkip[];
  /** Rows that take the fallback template. */
  fallbackRows: number[];
  /** Rows sent although their recipient opted out (the campaign ignores the list), with the note that says so. */
  notes: Map<number, string>;
}

/** RouteSkip is one skipped row and why. */
export interface RouteSkip {
  row: number;
  conversationId: string;
  reason: string;
  audience?: AudienceSkip;
}

/** SendHook hears of each row the router sends: its recipient keys and, for a row sent despite the opt-out list, the note. */
export type SendHook = (row: number, keys: readonly string[], optOutNote: string | undefined) => void;

/**
 * planJobs turns rows into engine jobs: invalid rows (only reached when the user chose to skip
 * them) are skipped with their first error; the others go where the router sends them, with the
 * files they attach, read through `files`. `earlier` keeps what an earlier run of the campaign
 * decided (pinned conversations, the body of rows in doubt, the rows it settled); `audience` judges
 * every row as it is about to go out (so a recipient who opted out since the first run is skipped
 * on resume) and by its quiet hours (a row outside its window carries `notBefore`); `onSend` hears
 * of each row sent. Rows `leaveOut` names (settled by an earlier run) are read but neither rendered
 * nor yielded; only for a campaign without phone numbers, whose router remembers nothing from row
 * to row (the audience does not judge settled rows).
 */
export async function* planJobs(
  plan: CampaignPlan,
  source: RowSource,
  invalidRows: ReadonlySet<number>,
  resolution: Resolution,
  earlier: Earlier = {},
  audience?: AudienceCheck,
  onSend?: SendHook,
  files?: FileChecker,
  leaveOut?: (row: number) => boolean,
): AsyncGenerator<EngineJob> {
  const router = new Router(plan, resolution, earlier, audience);
  for await (const batch of source.batches()) {
    for (const rec of batch) {
      if (leaveOut?.(rec.row) === true) continue;
      const planned = planRow(plan, rec.row, rec.fields);
      const view = offlineView(plan, rec, planned);
      const route = view.invalid ? undefined : router.route(planned, rec.fields);
      if (route === undefined || route.kind === 'invalid' || invalidRows.has(rec.row)) {
        const problems = route?.kind === 'invalid' ? route.problems : [...(rec.problem === undefined ? [] : [rec.problem]), ...planned.problems];
        let first = problems.find((p) => p.severity === 'error');
        if (first === undefined && files !== undefined && planned.files.length > 0) {
          // Invalid for a file found wrong on disk: that is the reason to give.
          first = (await checkRowFiles(plan, files, rec.row, planned.files, new Set())).problems[0];
        }
        const reason = first === undefined ? 'invalid row' : `invalid: ${first.field}: ${first.reason}`;
        yield { row: rec.row, recipient: route?.conversationId ?? (planned.phone === undefined ? planned.prepared.recipient : ''), skip: reason };
        continue;
      }
      if (route.kind === 'skip') {
        yield { row: rec.row, recipient: route.conversationId, skip: route.reason };
        continue;
      }
      // A row that waits for its quiet hours is routed again when it is due (heard of, and its files
      // uploaded, then).
      if (route.wait !== undefined) {
        yield { row: rec.row, recipient: route.conversationId, request: route.request, notBefore: route.wait.at, waitNote: route.wait.note };
        continue;
      }
      onSend?.(rec.row, route.keys, route.optOutNote);
      const job: SendJob = { row: rec.row, recipient: route.conversationId, request: route.request };
      if (files !== undefined && planned.files.length > 0) job.files = await uploadFiles(files, planned.files);
      yield job;
    }
  }
}
