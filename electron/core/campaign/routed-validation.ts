import type { CampaignPlan } from '../../../shared/campaign/plan';
import { fallbackRow, isMessageProblem, planRow } from '../../../shared/campaign/plan';
import type { AudienceCheck } from './audience';
import type { Pins, Resolution, RouteSummary } from './routing';
import { Router } from './routing';
import type { RowSource, Validation } from './validation';
import { duplicateWarning, emptyValidation, noteAudienceSkip, noter, noteWait, offlineView } from './validation';

/**
 * Validation once the conversations are known (a resumed campaign's settled rows, which the run will
 * not send again, were not looked up and are only counted): every row is routed (the message, the fallback
 * template, or skipped) and judged by what it will actually send. A row whose CTA link is broken
 * but whose conversation is inactive takes the valid fallback and passes; a row whose chosen body
 * has errors is invalid, naming the field of that body; a skipped row is judged by nothing it would
 * have sent. One streaming pass (no rows kept), the same routing the run will do, so the counts
 * before sending are what will happen: with the audience check, a recipient on the opt-out list or
 * over the frequency cap (by its number, or by the conversation found for it) is skipped and
 * counted as offline validation counts it (a warning, not `sendable`).
 */

/** RouteContext is what routing a campaign's rows also knows: rows settled by an earlier run, pins, the audience check. */
export interface RouteContext {
  settled?: ReadonlySet<number>;
  pins?: Pins;
  audience?: AudienceCheck;
}

/** RoutedValidation is a validation by route, where every valid row goes, and each row's number. */
export interface RoutedValidation {
  validation: Validation;
  routes: RouteSummary;
  /** Phone campaigns: each row's number as resolved (the reading the agent has a conversation with). */
  phones: Map<number, string>;
}

/** validateRoutes routes and checks every row of `source` against `resolution` (see the file comment). */
export async function validateRoutes(
  plan: CampaignPlan,
  source: RowSource,
  resolution: Resolution,
  problemLimit = Infinity,
  context: RouteContext = {},
): Promise<RoutedValidation> {
  const v = emptyValidation(plan, true);
  const note = noter(v, problemLimit);
  const routes: RouteSummary = { message: 0, fallback: 0, skipped: 0, settled: 0, skips: [], fallbackRows: [], notes: new Map() };
  const phones = new Map<number, string>();
  const settled = context.settled ?? new Set<number>();
  const earlier = { settled: (row: number) => settled.has(row), ...(context.pins === undefined ? {} : { pins: context.pins }) };
  const router = new Router(plan, resolution, earlier, context.audience);
  for await (const batch of source.batches()) {
    for (const rec of batch) {
      v.rowCount++;
      const planned = planRow(plan, rec.row, rec.fields);
      const view = offlineView(plan, rec, planned);
      if (view.invalid) {
        for (const p of view.problems) note(p);
        v.invalidRows.add(rec.row);
        if (planned.phone !== undefined && planned.phoneReadings === undefined) phones.set(rec.row, planned.phone);
        continue;
      }
      // Every row goes through the router, settled ones too, so duplicates are found as the run finds them.
      const route = router.route(planned, rec.fields);
      if (route.phone !== undefined) phones.set(rec.row, route.phone);
      if (settled.has(rec.row)) {
        v.sendable++;
        routes.settled++;
        continue;
      }
      const kept = view.problems.filter((p) => !isMessageProblem(p));
      if (route.kind === 'invalid') {
        for (const p of [...kept, ...route.problems]) note(p);
        v.invalidRows.add(rec.row);
        continue;
      }
      if (route.kind === 'skip' && route.audience !== undefined) {
        for (const p of kept) note(p);
        noteAudienceSkip(v, note, problemLimit, rec.row, route.audience, () => route.reason);
        routes.skipped++;
        routes.skips.push({ row: rec.row, conversationId: route.conversationId, reason: route.reason, audience: route.audience });
        continue;
      }
      v.sendable++;
      if (route.kind === 'send') noteWait(v, rec.row, route.wait);
      if (route.kind === 'send' && route.optOutNote !== undefined) {
        v.overriddenRows++;
        routes.notes.set(rec.row, route.optOutNote);
      }
      if (route.kind === 'skip') {
        for (const p of kept) note(p);
        if (route.problem !== undefined) note(route.problem);
        if (route.duplicateOf !== undefined) {
          v.duplicateRows++;
          note(duplicateWarning(plan, rec.row, route.duplicateOf, route.phone ?? ''));
        }
        routes.skipped++;
        routes.skips.push({ row: rec.row, conversationId: route.conversationId, reason: route.reason });
      } else if (route.variant === 'fallback') {
        for (const p of [...kept, ...(fallbackRow(plan, rec.row, rec.fields)?.problems ?? [])]) note(p);
        routes.fallback++;
        routes.fallbackRows.push(rec.row);
      } else {
        for (const p of view.problems) note(p);
        routes.message++;
      }
    }
  }
  return { validation: v, routes, phones };
}
