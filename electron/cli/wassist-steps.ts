import type { CampaignPlan } from '../../shared/campaign/phone-campaign';
import type { CampaignSpec } from '../../shared/campaign/schema';
import type { Connection, ResolvedRecipients, RouteSummary, RowSource } from '../core/campaign-runner';
import { needsResolution, resolveRecipients, summarizeRoutes, wassistClient } from '../core/campaign-runner';
import type { Clock } from '../core/ports';
import type { StatusRefresh } from '../core/wassist/delivery-status';
import type { CliIo } from './io';
import { plural } from './io';

/** The CLI's Wassist steps: looking recipients up before sending, and printing what was found. */

const LIST_LIMIT = 20;

/** Routing is what the lookup found: the resolution for the engine, and the per-row summary. */
export interface Routing {
  resolution: ResolvedRecipients;
  routes: RouteSummary;
}

/**
 * lookUpRecipients asks the API about the campaign's conversations (when the plan needs it) and
 * routes every valid row; undefined when the campaign needs no lookup.
 */
export async function lookUpRecipients(
  plan: CampaignPlan,
  source: RowSource,
  invalidRows: ReadonlySet<number>,
  spec: CampaignSpec,
  apiKey: string,
  connection: Connection,
  clock: Clock,
  io: CliIo,
): Promise<Routing | undefined> {
  if (!needsResolution(plan)) return undefined;
  const client = wassistClient(spec, apiKey, connection, clock);
  const tty = io.stderr.isTTY === true;
  const options: Parameters<typeof resolveRecipients>[4] = {};
  if (connection.sandbox !== undefined) options.sandbox = connection.sandbox;
  if (tty) options.onProgress = (text) => io.stderr.write(`\r${text}\x1b[K`);
  const started = clock.now();
  const resolution = await resolveRecipients(plan, source, invalidRows, client, options);
  if (tty) io.stderr.write('\r\x1b[K');
  const routes = await summarizeRoutes(plan, source, invalidRows, resolution, LIST_LIMIT);
  const seconds = ((clock.now() - started) / 1000).toFixed(1);
  const d = resolution.directory;
  if (d !== undefined) {
    io.stderr.write(
      `Conversations of agent ${spec.recipient.botId ?? ''}: ${d.conversations} listed in ${plural(d.pages, 'request')} (${seconds} s)` +
        `${d.withoutNumber > 0 ? `, ${d.withoutNumber} without a number` : ''}${d.invalid > 0 ? `, ${d.invalid} unreadable` : ''}\n`,
    );
  } else if (resolution.byId !== undefined) {
    io.stderr.write(`Checked ${plural(resolution.byId.size, 'conversation')} in ${plural(client.requests, 'request')} (${seconds} s)\n`);
  }
  printRoutes(io, routes);
  return { resolution, routes };
}

/** printRoutes says where the valid rows go: the message, the fallback template, or skipped (with reasons). */
export function printRoutes(io: CliIo, r: RouteSummary): void {
  const parts = [`${r.message} get the message`];
  if (r.fallback > 0) parts.push(`${r.fallback} get the fallback template (inactive conversation)`);
  parts.push(`${r.skipped} skipped`);
  io.stderr.write(`Routing: ${parts.join(', ')}\n`);
  if (r.fallbackRows.length > 0) {
    const shown = r.fallbackRows.slice(0, LIST_LIMIT).join(', ');
    io.stderr.write(`Rows taking the fallback template: ${shown}${r.fallbackRows.length > LIST_LIMIT ? ', …' : ''}\n`);
  }
  if (r.skips.length > 0) {
    io.stderr.write('Skipped rows:\n');
    for (const s of r.skips) io.stderr.write(`  row ${s.row}${s.conversationId ? ` (${s.conversationId})` : ''}: ${s.reason}\n`);
    if (r.skipped > r.skips.length) io.stderr.write(`  … and ${r.skipped - r.skips.length} more (see the report)\n`);
  }
}

/** statusLine summarises a delivery-status refresh. */
export function statusLine(r: StatusRefresh): string {
  const b = r.byStatus;
  const missing = r.rows - r.found;
  return (
    `Delivery status of ${plural(r.rows, 'sent message')} in ${plural(r.conversations, 'conversation')}: ` +
    `read ${b.read} · delivered ${b.delivered} · sent ${b.sent} · failed ${b.failed}${missing > 0 ? ` · not found ${missing}` : ''}`
  );
}
