import type { RowOutcome, RowStatus, Totals } from '../../shared/engine/events';
import type { RowOutcomes } from '../core/ports';
import type { Campaign } from '../core/campaign/campaign';
import type { Lookup } from '../core/campaign/recipients';
import type { RouteSummary } from '../core/campaign/routing';
import type { Validation } from '../core/campaign/validation';
import type { CliIo } from './io';
import { plural } from './io';

/** How the CLI words what the campaign service answers. */

const LIST_LIMIT = 20;

/** summarizeValidation is the one-paragraph verdict of a validation pass. */
export function summarizeValidation(v: Validation): string {
  const parts = [`${plural(v.rowCount, 'row')}: ${v.sendable} ready to send`];
  if (v.invalidRows.size > 0) parts.push(`${v.invalidRows.size} with errors`);
  if (v.duplicateRows > 0) parts.push(`${v.duplicateRows} duplicate ${v.duplicateRows === 1 ? 'number' : 'numbers'} (sent once)`);
  if (v.conditionalRows > 0) parts.push(`${v.conditionalRows} whose message is judged once ${v.conditionalRows === 1 ? 'its conversation is' : 'their conversations are'} looked up`);
  if (v.optedOutRows > 0) parts.push(`${v.optedOutRows} opted out (skipped)`);
  if (v.cappedRows > 0) parts.push(`${v.cappedRows} over the frequency cap (skipped)`);
  if (v.overriddenRows > 0) parts.push(`${v.overriddenRows} on the opt-out list sent anyway (audience.ignoreOptOuts)`);
  if (v.waitingRows > 0) parts.push(`${v.waitingRows} outside their quiet hours now (they wait, then go)`);
  if (v.warningCount > 0) parts.push(plural(v.warningCount, 'warning'));
  return parts.join(', ');
}

/** printWaits says when the rows outside their quiet hours will go, a line per opening (the first row of each). */
export function printWaits(io: CliIo, v: Validation): void {
  for (const g of v.waits.slice(0, LIST_LIMIT)) io.stderr.write(`${plural(g.rows, 'row')} ${g.text} (row ${g.firstRow}${g.rows > 1 ? ' first' : ''})\n`);
  if (v.waits.length > LIST_LIMIT) io.stderr.write(`… and ${v.waits.length - LIST_LIMIT} more openings\n`);
}

/** printOverride says, before anything else, that a campaign sets the opt-out list or the cap aside, and why. */
export function printOverride(io: CliIo, campaign: Campaign): void {
  const a = campaign.spec.audience;
  if (a?.ignoreOptOuts !== undefined) io.stderr.write(`This campaign ignores the opt-out list (audience.ignoreOptOuts): ${a.ignoreOptOuts}\n`);
  if (a?.ignoreFrequencyCap !== undefined) io.stderr.write(`This campaign ignores the frequency cap (audience.ignoreFrequencyCap): ${a.ignoreFrequencyCap}\n`);
}

/** printCsvWarnings shows the CSV reader's warnings (an encoding guess, say) once. */
export function printCsvWarnings(io: CliIo, campaign: Campaign): void {
  for (const w of campaign.contacts.warnings) io.stderr.write(`warning: ${w}\n`);
}

/**
 * lookUpAndPrint asks the provider about the campaign's conversations (when it needs it) with
 * progress on a terminal, then says what was found and where every row goes.
 */
export async function lookUpAndPrint(io: CliIo, campaign: Campaign, now: () => number, problemLimit?: number, settled?: ReadonlySet<number>): Promise<Lookup | undefined> {
  if (!campaign.needsLookup) return undefined;
  const tty = io.stderr.isTTY === true;
  const started = now();
  const limit = { ...(problemLimit === undefined ? {} : { problemLimit }), ...(settled === undefined ? {} : { settled }) };
  const lookup = await campaign.lookUp(tty ? { fresh: true, ...limit, onProgress: (text) => io.stderr.write(`\r${text}\x1b[K`) } : { fresh: true, ...limit });
  if (tty) io.stderr.write('\r\x1b[K');
  if (lookup === undefined) return undefined;
  const seconds = ((now() - started) / 1000).toFixed(1);
  const r = lookup.resolution;
  const requests = plural(r.requests ?? 0, 'request');
  if (r.directory !== undefined) {
    const d = r.directory;
    io.stderr.write(
      `Conversations of agent ${campaign.spec.recipient.botId ?? ''}: ${d.conversations} listed in ${requests} (${seconds} s)` +
        `${d.withoutNumber > 0 ? `, ${d.withoutNumber} without a number` : ''}${d.invalid > 0 ? `, ${d.invalid} unreadable` : ''}\n`,
    );
  } else if (r.check !== undefined) {
    const c = r.check;
    const how = c.pages > 0 ? `: ${plural(c.pages, 'list page')} of agent ${c.botId ?? ''}'s conversations, ${c.gets} read one by one` : '';
    io.stderr.write(`Checked ${plural(c.byId.size, 'conversation')} in ${requests}${how} (${seconds} s)\n`);
  }
  printRoutes(io, lookup.routes);
  return lookup;
}

/** printRoutes says where the valid rows go: the message, the fallback template, or skipped (with reasons). */
export function printRoutes(io: CliIo, r: RouteSummary): void {
  const parts = [`${r.message} get the message`];
  if (r.fallback > 0) parts.push(`${r.fallback} get the fallback template (inactive conversation)`);
  parts.push(`${r.skipped} skipped`);
  if (r.settled > 0) parts.push(`${r.settled} settled by an earlier run`);
  io.stderr.write(`Routing: ${parts.join(', ')}\n`);
  if (r.fallbackRows.length > 0) {
    const shown = r.fallbackRows.slice(0, LIST_LIMIT).join(', ');
    io.stderr.write(`Rows taking the fallback template: ${shown}${r.fallbackRows.length > LIST_LIMIT ? ', …' : ''}\n`);
  }
  if (r.skips.length > 0) {
    io.stderr.write('Skipped rows:\n');
    for (const s of r.skips.slice(0, LIST_LIMIT)) io.stderr.write(`  row ${s.row}${s.conversationId ? ` (${s.conversationId})` : ''}: ${s.reason}\n`);
    if (r.skipped > LIST_LIMIT) io.stderr.write(`  … and ${r.skipped - LIST_LIMIT} more (see the report)\n`);
  }
}

/** finalLine is the last line of a send: every row's fate, counted. */
export function finalLine(t: Totals): string {
  const parts = [`sent ${t.sent}`, `failed ${t.failed}`, `uncertain ${t.uncertain}`, `skipped ${t.skipped}`, `pending ${t.pending + t.inFlight}`];
  return `Done: ${parts.join(' · ')} (of ${plural(t.total, 'row')})`;
}

/** listRows lists the first rows of one kind (failed, uncertain) in row order with a detail each, the rest counted. */
export function listRows(io: CliIo, title: string, outcomes: RowOutcomes, statuses: readonly RowStatus[], detail: (o: RowOutcome) => string): void {
  const count = statuses.reduce((n, s) => n + outcomes.count(s), 0);
  if (count === 0) return;
  io.stderr.write(`${title}:\n`);
  let shown = 0;
  for (const row of outcomes.rows(statuses)) {
    const o = outcomes.get(row) as RowOutcome;
    io.stderr.write(`  row ${o.row}${o.recipient ? ` (${o.recipient})` : ''}: ${detail(o)}\n`);
    if (++shown === LIST_LIMIT) break;
  }
  if (count > LIST_LIMIT) io.stderr.write(`  … and ${count - LIST_LIMIT} more (see the report)\n`);
}
