import type { CampaignPlan } from '../../../shared/campaign/phone-campaign';
import { duplicateReason, fallbackRow, PhoneDeduper, planRow } from '../../../shared/campaign/phone-campaign';
import type { Problem } from '../../../shared/problems';
import type { EngineJob } from '../engine/engine';
import type { SimState } from '../sandbox/sim-state';
import { seedSandboxDirectory } from '../sandbox/sandbox-directory';
import type { WassistClient } from './client';
import { checkConversations, listDirectory } from './directory';
import type { Directory } from './directory';
import type { Resolution, Route } from './routes';
import { Router } from './routes';

/**
 * The runner's steps for a campaign plan (shared/campaign/phone-campaign.ts): validate every row
 * offline (numbers, duplicates, message, fallback), resolve the recipients against the API
 * (list the agent's conversations, or GET each conversation id), summarise where each row goes,
 * and feed the engine. Every pass reads the rows again from the source, so a million-row CSV is
 * never held in memory; only the directory and the row numbers that take the fallback are.
 */

/** PlanSource is where rows come from (campaign-runner's RowSource). */
export interface PlanSource {
  headers: string[];
  batches(): Iterable<{ row: number; fields: string[]; problem?: Problem }[]> | AsyncIterable<{ row: number; fields: string[]; problem?: Problem }[]>;
}

/** PlanValidation is validateRows' summary for a plan (see campaign-runner's ValidationSummary). */
export interface PlanValidation {
  rowCount: number;
  sendable: number;
  invalidRows: Set<number>;
  errorCount: number;
  warningCount: number;
  problems: Problem[];
  truncated: boolean;
  usedColumns: string[];
  /** Rows whose number an earlier valid row already has (sent once, these are skipped). */
  duplicateRows: number;
}

/**
 * validatePlan checks every row once: the number (phone campaigns), the message, and duplicates
 * (a warning on the later row). Fallback problems are warnings ("if the conversation is inactive"):
 * which rows take the fallback is known only once the conversations are listed, and a row that then
 * needs a fallback it cannot render is skipped with that reason.
 */
export async function validatePlan(plan: CampaignPlan, source: PlanSource, problemLimit = Infinity): Promise<PlanValidation> {
  const v: PlanValidation = {
    rowCount: 0,
    sendable: 0,
    invalidRows: new Set(),
    errorCount: 0,
    warningCount: 0,
    problems: [],
    truncated: false,
    usedColumns: plan.columns,
    duplicateRows: 0,
  };
  const note = (p: Problem) => {
    if (p.severity === 'error') v.errorCount++;
    else v.warningCount++;
    if (v.problems.length < problemLimit) v.problems.push(p);
    else v.truncated = true;
  };
  const dedupe = new PhoneDeduper();
  const fallbackMatters = plan.fallback !== undefined && plan.checksActive && plan.policy === 'fallback';
  for await (const batch of source.batches()) {
    for (const rec of batch) {
      v.rowCount++;
      const planned = planRow(plan, rec.row, rec.fields);
      const problems = rec.problem === undefined ? planned.problems : [rec.problem, ...planned.problems];
      const invalid = problems.some((p) => p.severity === 'error');
      for (const p of problems) note(p);
      if (!invalid && planned.phone !== undefined) {
        const first = dedupe.see(rec.row, planned.phone);
        if (first !== undefined) {
          v.duplicateRows++;
          const p: Problem = { row: rec.row, field: 'recipient.phone', reason: duplicateReason(first, planned.phone), severity: 'warning' };
          if (plan.phone?.columns[0] !== undefined) p.column = plan.phone.columns[0];
          note(p);
        }
      }
      if (!invalid && fallbackMatters) {
        for (const p of fallbackRow(plan, rec.row, rec.fields)?.problems ?? []) {
          note(p.severity === 'error' ? { ...p, reason: `if the conversation is inactive: ${p.reason}`, severity: 'warning' } : p);
        }
      }
      if (invalid) v.invalidRows.add(rec.row);
      else v.sendable++;
    }
  }
  return v;
}

/** needsResolution tells whether a plan must ask the API about conversations before sending. */
export function needsResolution(plan: CampaignPlan): boolean {
  return plan.phone !== undefined || plan.checksActive;
}

/** ResolveOptions: the sandbox's world (seeded with the campaign's numbers) and progress. */
export interface ResolveOptions {
  sandbox?: SimState;
  pageSize?: number;
  onProgress?: (text: string) => void;
}

/** ResolvedRecipients is a Resolution plus how the directory was read. */
export interface ResolvedRecipients extends Resolution {
  directory?: Directory;
}

/**
 * resolveRecipients learns what sending needs from the API: for phone campaigns the agent's
 * conversations by number; for conversation-id campaigns that check `active`, each valid row's
 * conversation. Throws WassistStopError / WassistApiError (see client.ts).
 */
export async function resolveRecipients(
  plan: CampaignPlan,
  source: PlanSource,
  invalidRows: ReadonlySet<number>,
  client: WassistClient,
  options: ResolveOptions = {},
): Promise<ResolvedRecipients> {
  if (plan.phone !== undefined) {
    const botId = plan.spec.recipient.botId ?? '';
    if (options.sandbox !== undefined) {
      const numbers: string[] = [];
      for await (const batch of source.batches()) {
        for (const rec of batch) {
          if (invalidRows.has(rec.row)) continue;
          const p = planRow(plan, rec.row, rec.fields).phone;
          if (p !== undefined) numbers.push(p);
        }
      }
      seedSandboxDirectory(options.sandbox, botId, numbers);
    }
    const dirOptions: { pageSize?: number; onPage?: (n: number, pages: number) => void } = {
      onPage: (n, pages) => options.onProgress?.(`Listing conversations: ${n} (${pages} ${pages === 1 ? 'page' : 'pages'})`),
    };
    if (options.pageSize !== undefined) dirOptions.pageSize = options.pageSize;
    const directory = await listDirectory(client, botId, dirOptions);
    return { byNumber: directory.byNumber, directory };
  }
  if (!plan.checksActive) return {};
  const ids = new Set<string>();
  for await (const batch of source.batches()) {
    for (const rec of batch) {
      if (invalidRows.has(rec.row)) continue;
      const id = planRow(plan, rec.row, rec.fields).prepared.recipient;
      if (id !== '') ids.add(id);
    }
  }
  const byId = await checkConversations(client, ids, (n) => options.onProgress?.(`Checking conversations: ${n} of ${ids.size}`));
  return { byId };
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
export async function summarizeRoutes(plan: CampaignPlan, source: PlanSource, invalidRows: ReadonlySet<number>, resolution: Resolution, limit = Infinity): Promise<RouteSummary> {
  const s: RouteSummary = { message: 0, fallback: 0, skipped: 0, skips: [], fallbackRows: [] };
  for await (const { row, route } of routes(plan, source, invalidRows, resolution)) {
    if (route.kind === 'skip') {
      s.skipped++;
      if (s.skips.length < limit) s.skips.push({ row, conversationId: route.conversationId, reason: route.reason });
    } else if (route.variant === 'fallback') {
      s.fallback++;
      s.fallbackRows.push(row);
    } else {
      s.message++;
    }
  }
  return s;
}

async function* routes(plan: CampaignPlan, source: PlanSource, invalidRows: ReadonlySet<number>, resolution: Resolution): AsyncGenerator<{ row: number; route: Route }> {
  const router = new Router(plan, resolution);
  for await (const batch of source.batches()) {
    for (const rec of batch) {
      if (invalidRows.has(rec.row)) continue;
      yield { row: rec.row, route: router.route(planRow(plan, rec.row, rec.fields), rec.fields) };
    }
  }
}

/**
 * planJobs turns rows into engine jobs: invalid rows (only reached when the user chose to skip
 * them) are skipped with their first error; valid rows go where the router sends them.
 */
export async function* planJobs(plan: CampaignPlan, source: PlanSource, invalidRows: ReadonlySet<number>, resolution: Resolution): AsyncGenerator<EngineJob> {
  const router = new Router(plan, resolution);
  for await (const batch of source.batches()) {
    for (const rec of batch) {
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
