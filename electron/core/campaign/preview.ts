import type { CampaignPlan, PlannedRow } from '../../../shared/campaign/plan';
import { ambiguityWarning, fallbackRow, isMessageProblem, planRow, requestFor } from '../../../shared/campaign/plan';
import type { CsvRow } from '../../../shared/csv/parse';
import type { Preview } from '../../../shared/ipc/contract';
import type { JsonObject } from '../../../shared/json';
import type { Problem } from '../../../shared/problems';
import type { WireRequest } from '../../../shared/providers/types';
import type { AudienceCheck } from './audience';
import type { Lookup } from './recipients';
import { routeOf } from './recipients';
import type { Route } from './routing';
import type { RowView } from './validation';
import { ifInactive, offlineView } from './validation';

/**
 * The preview of one row: its cells, its recipient, the exact request it will be sent (method, full
 * URL, body; never headers, so never a key), its problems, and, when the conversations were looked
 * up, where it goes (the message, the fallback template, or skipped and why). The CLI prints it,
 * the desktop shows it: both from this one function.
 */

/** RowPreview is a Preview plus what a printed preview shows besides: the fallback body a row would take if its conversation is inactive. */
export interface RowPreview extends Preview {
  /** The row's fallback template body, when it may take one and the conversations were not looked up. */
  fallbackBody?: JsonObject;
  /** The CSV line the row starts on. */
  line: number;
}

/** PHONE_PATH_STAND_IN is the conversation id a phone row's request carries until it is looked up. */
const PHONE_PATH_STAND_IN = encodeURIComponent('(looked up by phone)');

/** Shown is what the preview shows of a row besides its cells. */
interface Shown {
  recipient: string;
  request: WireRequest;
  problems: Problem[];
  variant?: Preview['variant'];
  route?: string;
  skipped?: boolean;
  phone?: string;
  fallbackBody?: JsonObject;
}

/**
 * previewRow renders row `rec` of a plan. With `lookup`, the row is judged by where it goes: a row
 * routed to the fallback template shows that request (`variant: 'fallback'`) and its problems, a
 * skipped row says why, a number read two ways says which reading was found. Without one, a phone
 * row shows the request with `{conversation}` where the id found by number will go, and the message
 * problems of a campaign that checks its conversations say they matter only if it is active. With
 * `audience`, a recipient on the opt-out list (or over the frequency cap) shows as skipped and why,
 * and a row the campaign sends despite the list says so (`audience` in the answer); a row outside
 * its quiet-hours window says when it will go.
 */
export function previewRow(plan: CampaignPlan, headers: readonly string[], rec: CsvRow, baseUrl: string, lookup?: Lookup, audience?: AudienceCheck): RowPreview {
  const planned = planRow(plan, rec.row, rec.fields);
  const values: Record<string, string> = {};
  headers.forEach((h, i) => (values[h] = rec.fields[i] ?? ''));
  const view = offlineView(plan, rec, planned);
  let shown: Shown;
  let audienceNote: string | undefined;
  if (view.invalid) shown = asWritten(plan, planned, view.problems);
  else if (lookup !== undefined) {
    const route = routeOf(lookup, plan, planned, rec.fields, audience);
    shown = routedRow(plan, rec, planned, view, route);
    if (route.kind === 'skip' && route.audience !== undefined) audienceNote = `Not sent: ${route.reason}.`;
    if (route.kind === 'send' && route.optOutNote !== undefined) audienceNote = `On the opt-out list: ${route.optOutNote}.`;
    if (route.kind === 'send' && route.wait !== undefined) audienceNote = joinNotes(audienceNote, `Outside its quiet hours: ${route.wait.text}.`);
  } else {
    const verdict = audience?.judge(planned, rec.fields);
    if (verdict?.kind === 'skip') {
      const reason = verdict.reason();
      shown = { ...asWritten(plan, planned, view.problems), skipped: true, route: `Skipped: ${reason}` };
      audienceNote = `Not sent: ${reason}.`;
    } else {
      shown = beforeLookup(plan, rec, planned, view);
      if (verdict?.note !== undefined) audienceNote = `On the opt-out list: ${verdict.note}.`;
      const wait = audience?.waitOf(planned);
      if (wait !== undefined) audienceNote = joinNotes(audienceNote, `Outside its quiet hours: ${wait.text}.`);
    }
  }
  const path = plan.phone !== undefined ? shown.request.path.replace(PHONE_PATH_STAND_IN, '{conversation}') : shown.request.path;
  const out: RowPreview = {
    row: rec.row,
    line: rec.line,
    values,
    recipient: shown.recipient,
    request: { method: shown.request.method, url: baseUrl + path, body: shown.request.body ?? null },
    problems: shown.problems,
  };
  if (shown.variant !== undefined) out.variant = shown.variant;
  if (shown.route !== undefined) out.route = shown.route;
  if (audienceNote !== undefined) {
    out.audience = audienceNote;
    if (shown.skipped !== true) out.route = out.route === undefined ? audienceNote : `${out.route} ${audienceNote}`;
  }
  if (shown.skipped === true) out.skipped = true;
  if (shown.phone !== undefined) out.phone = shown.phone;
  if (shown.fallbackBody !== undefined) out.fallbackBody = shown.fallbackBody;
  return out;
}

/** joinNotes adds a note to the audience's words. */
function joinNotes(a: string | undefined, b: string): string {
  return a === undefined ? b : `${a} ${b}`;
}

/** asWritten shows a row as it is written, going nowhere: an error wherever it goes (its number, its conversation id), or a recipient the audience rules skip. */
function asWritten(plan: CampaignPlan, planned: PlannedRow, problems: Problem[]): Shown {
  const shown: Shown = { recipient: plan.phone !== undefined ? (planned.phone ?? '') : planned.prepared.recipient, request: planned.prepared.request, problems };
  if (planned.phone !== undefined) shown.phone = planned.phone;
  return shown;
}

/** routedRow shows a row where the lookup sends it, judged by the body it takes there. */
function routedRow(plan: CampaignPlan, rec: CsvRow, planned: PlannedRow, view: RowView, route: Route): Shown {
  const kept = view.problems.filter((p) => !isMessageProblem(p));
  const to = route.conversationId;
  const byPhone = plan.phone !== undefined;
  const shown: Shown = { recipient: to !== '' ? to : (route.phone ?? planned.phone ?? planned.prepared.recipient), request: planned.prepared.request, problems: kept };
  if (route.phone !== undefined) shown.phone = route.phone;
  const found = byPhone ? `Conversation ${to} found for ${route.phone ?? ''}` : '';
  const note = route.kind === 'send' && route.note !== undefined ? ` ${route.note}.` : '';
  if (to !== '') shown.request = requestFor(planned.prepared, to, 'message', plan);
  if (route.kind === 'skip') {
    shown.skipped = true;
    shown.route = `Skipped: ${route.reason}`;
    if (route.problem !== undefined) shown.problems = [...kept, route.problem];
    return shown;
  }
  shown.variant = route.variant;
  const fb = route.variant === 'fallback' ? fallbackRow(plan, rec.row, rec.fields) : undefined;
  if (fb !== undefined) {
    shown.request = requestFor(fb, to, 'fallback', plan);
    shown.problems = [...kept, ...fb.problems];
    shown.route = `${found === '' ? '' : `${found}. `}The conversation is inactive (outside the 24-hour window): this row gets the fallback template${route.kind === 'invalid' ? ', which has errors' : ''}.${note}`;
    return shown;
  }
  shown.problems = route.kind === 'invalid' ? [...kept, ...route.problems] : view.problems;
  const active = plan.checksActive ? 'it is active' : '';
  const has = route.kind === 'invalid' ? ': this row gets the message, which has errors' : '';
  if (byPhone) shown.route = `${found}${active === '' ? '' : `; ${active}`}${has}.${note}`;
  else if (plan.checksActive) shown.route = `The conversation is active${has}.`;
  return shown;
}

/** beforeLookup shows a row of a campaign that looks its conversations up, before they are known (or one that needs none). */
function beforeLookup(plan: CampaignPlan, rec: CsvRow, planned: PlannedRow, view: RowView): Shown {
  const byPhone = plan.phone !== undefined;
  const shown: Shown = { recipient: byPhone ? (planned.phone ?? '') : planned.prepared.recipient, request: planned.prepared.request, problems: [...view.problems] };
  if (planned.phone !== undefined) shown.phone = planned.phone;
  if (!byPhone && !plan.checksActive) return shown;
  shown.variant = 'message';
  const fallback = plan.checksActive && plan.policy === 'fallback' ? fallbackRow(plan, rec.row, rec.fields) : undefined;
  const parts: string[] = [];
  const ambiguous = ambiguityWarning(plan, planned);
  if (ambiguous !== undefined) shown.problems.push(ambiguous);
  const number = planned.phoneReadings !== undefined ? `${planned.phoneReadings[0]} or ${planned.phoneReadings[1]}` : (planned.phone ?? 'this number');
  if (byPhone) parts.push(`The conversation with agent ${plan.spec.recipient.botId ?? ''} for ${number} is looked up when sending.`);
  else parts.push('The conversation is checked when sending.');
  if (plan.checksActive) parts.push(fallback !== undefined ? 'If it is inactive, the fallback template is sent instead.' : 'If it is inactive, the row is skipped (no fallback template).');
  shown.route = parts.join(' ');
  if (fallback !== undefined) {
    shown.problems.push(...fallback.problems.map(ifInactive));
    shown.fallbackBody = fallback.body;
  }
  return shown;
}
