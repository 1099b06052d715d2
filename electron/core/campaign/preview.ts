import type { CampaignPlan } from '../../../shared/campaign/plan';
import { fallbackRow, planRow, requestFor } from '../../../shared/campaign/plan';
import type { CsvRow } from '../../../shared/csv/parse';
import type { Preview } from '../../../shared/ipc/contract';
import type { JsonObject } from '../../../shared/json';
import type { Problem } from '../../../shared/problems';
import type { WireRequest } from '../../../shared/providers/types';
import type { AudienceCheck } from './audience';
import type { Lookup } from './recipients';
import { routeOf } from './recipients';
import { ifInactive } from './validation';

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

/**
 * previewRow renders row `rec` of a plan. With `lookup`, a row routed to the fallback template
 * shows that request (`variant: 'fallback'`) and a skipped row says why; without one, a phone row
 * shows the request with `{conversation}` where the id found by number will go. With `audience`, a
 * recipient on the opt-out list (or over the frequency cap) shows as skipped and why, and a row the
 * campaign sends despite the list says so (`audience` in the answer).
 */
export function previewRow(plan: CampaignPlan, headers: readonly string[], rec: CsvRow, baseUrl: string, lookup?: Lookup, audience?: AudienceCheck): RowPreview {
  const row = rec.row;
  const planned = planRow(plan, row, rec.fields);
  const values: Record<string, string> = {};
  headers.forEach((h, i) => (values[h] = rec.fields[i] ?? ''));
  const problems: Problem[] = rec.problem === undefined ? [...planned.problems] : [rec.problem, ...planned.problems];
  const invalid = problems.some((x) => x.severity === 'error');
  const fallback = plan.checksActive && plan.policy === 'fallback' ? fallbackRow(plan, row, rec.fields) : undefined;

  const byPhone = plan.phone !== undefined;
  let recipient = byPhone ? (planned.phone ?? '') : planned.prepared.recipient;
  let request: WireRequest = planned.prepared.request;
  let variant: Preview['variant'];
  let route: string | undefined;
  let skipped = false;
  let fallbackBody: JsonObject | undefined;
  let audienceNote: string | undefined;
  const routed = lookup === undefined || invalid ? undefined : routeOf(lookup, planned);
  const offline = routed === undefined && !invalid && audience !== undefined ? audience.judge(planned, rec.fields) : undefined;
  if (offline?.kind === 'skip') {
    skipped = true;
    route = `Skipped: ${offline.reason()}`;
    audienceNote = `Not sent: ${offline.reason()}.`;
  } else if (routed !== undefined) {
    if (routed.kind === 'skip' && isAudienceReason(routed.reason)) audienceNote = `Not sent: ${routed.reason}.`;
    if (routed.kind === 'send' && routed.note !== undefined) audienceNote = `On the opt-out list: ${routed.note}.`;
    if (routed.kind === 'skip') {
      skipped = true;
      route = `Skipped: ${routed.reason}`;
      if (routed.conversationId !== '') recipient = routed.conversationId;
      if (byPhone && routed.conversationId !== '') request = requestFor(planned.prepared, routed.conversationId, 'message', plan);
    } else {
      variant = routed.variant;
      recipient = routed.conversationId;
      if (routed.variant === 'fallback' && fallback !== undefined) {
        request = requestFor(fallback, routed.conversationId, 'fallback', plan);
        route = 'The conversation is inactive (outside the 24-hour window): this row gets the fallback template.';
        problems.push(...fallback.problems);
      } else {
        request = requestFor(planned.prepared, routed.conversationId, 'message', plan);
        const active = plan.checksActive ? 'it is active' : '';
        if (byPhone) route = `Conversation ${routed.conversationId} found for ${planned.phone ?? ''}${active === '' ? '' : `; ${active}`}.`;
        else route = 'The conversation is active.';
      }
    }
  } else if (byPhone || plan.checksActive) {
    variant = 'message';
    const parts: string[] = [];
    if (byPhone) parts.push(`The conversation with agent ${plan.spec.recipient.botId ?? ''} for ${planned.phone ?? 'this number'} is looked up when sending.`);
    if (plan.checksActive) parts.push(fallback !== undefined ? 'If it is inactive, the fallback template is sent instead.' : 'If it is inactive, the row is skipped (no fallback template).');
    route = parts.join(' ');
    if (fallback !== undefined) {
      problems.push(...fallback.problems.map(ifInactive));
      fallbackBody = fallback.body;
    }
  }
  const path = byPhone ? request.path.replace(PHONE_PATH_STAND_IN, '{conversation}') : request.path;
  const out: RowPreview = {
    row,
    line: rec.line,
    values,
    recipient,
    request: { method: request.method, url: baseUrl + path, body: request.body ?? null },
    problems,
  };
  if (variant !== undefined) out.variant = variant;
  if (route !== undefined) out.route = route;
  if (offline?.kind === 'send' && offline.note !== undefined) audienceNote = `On the opt-out list: ${offline.note}.`;
  if (audienceNote !== undefined) {
    out.audience = audienceNote;
    if (!skipped) out.route = out.route === undefined ? audienceNote : `${out.route} ${audienceNote}`;
  }
  if (skipped) out.skipped = true;
  if (fallbackBody !== undefined) out.fallbackBody = fallbackBody;
  return out;
}

/** isAudienceReason tells a skip for the opt-out list or the cap from the other skips. */
function isAudienceReason(reason: string): boolean {
  return reason.startsWith('opted out on ') || reason.startsWith('over the frequency cap');
}
