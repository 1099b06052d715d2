import { basename } from 'node:path';
import type { CampaignPlan } from '../../shared/campaign/phone-campaign';
import { wireKindOf } from '../../shared/campaign/schema';
import type { RowOutcome, Totals } from '../../shared/engine/events';
import type { ResolvedRecipients, RowSource } from '../core/campaign-runner';
import { connect, createEngine, planJobs, requireKey, summarizeRoutes, validatePlan, wassistClient } from '../core/campaign-runner';
import type { Connection } from '../core/campaign-runner';
import { systemClock } from '../core/ports';
import { refreshDeliveryStatus } from '../core/wassist/delivery-status';
import { WassistSidecar } from '../core/wassist/sidecar';
import { reportFormatOf, writeReport } from '../core/report/write-report';
import type { CliCommand } from './args';
import { baseCampaignId, campaignStore, openInputs, printCsvWarnings, summarizeValidation } from './commands';
import type { CliIo } from './io';
import { plural, printProblems } from './io';
import { ProgressReporter } from './progress';
import type { Routing } from './wassist-steps';
import { lookUpRecipients, statusLine } from './wassist-steps';
import { usesWassistExtras, wassistColumns } from '../core/wassist/wassist-report';

const LIST_LIMIT = 20;

function interruptHook(io: CliIo): (handler: () => void) => () => void {
  if (io.onInterrupt !== undefined) return io.onInterrupt;
  return (handler) => {
    process.on('SIGINT', handler);
    return () => process.off('SIGINT', handler);
  };
}

function finalLine(t: Totals): string {
  const parts = [`sent ${t.sent}`, `failed ${t.failed}`, `uncertain ${t.uncertain}`, `skipped ${t.skipped}`, `pending ${t.pending + t.inFlight}`];
  return `Done: ${parts.join(' · ')} (of ${plural(t.total, 'row')})`;
}

function listRows(io: CliIo, title: string, rows: RowOutcome[], detail: (o: RowOutcome) => string): void {
  if (rows.length === 0) return;
  io.stderr.write(`${title}:\n`);
  for (const o of rows.slice(0, LIST_LIMIT)) io.stderr.write(`  row ${o.row}${o.recipient ? ` (${o.recipient})` : ''}: ${detail(o)}\n`);
  if (rows.length > LIST_LIMIT) io.stderr.write(`  … and ${rows.length - LIST_LIMIT} more (see the report)\n`);
}

/** settledStatuses are the journal states a re-run does not send again (in flight counts unless resent). */
function isSettled(o: RowOutcome | undefined, resendUncertain: boolean): boolean {
  if (o === undefined || o.status === 'pending') return false;
  if (o.status === 'uncertain' || o.status === 'in-flight') return !resendUncertain;
  return true;
}

/** recordVariants notes, before sending, which rows about to be sent take the fallback (rows already settled keep theirs). */
async function recordVariants(sidecar: WassistSidecar, routing: Routing | undefined, journalRows: RowOutcome[], resendUncertain: boolean): Promise<void> {
  if (routing === undefined) return;
  const settled = new Set(journalRows.filter((o) => isSettled(o, resendUncertain)).map((o) => o.row));
  for (const [row, variant] of sidecar.variants) if (variant === 'fallback' && !settled.has(row)) sidecar.variants.delete(row);
  for (const row of routing.routes.fallbackRows) if (!settled.has(row)) sidecar.variants.set(row, 'fallback');
  await sidecar.save();
}

/**
 * sendCommand validates every row, looks the conversations up when the campaign needs it (phone
 * numbers, inactive conversations), then sends through the throttled engine with progress on
 * stderr, writes the report, and returns the contract's exit code. Re-running the same command
 * resumes the same campaign (journal in the data directory): nothing already sent is sent again.
 */
export async function sendCommand(args: CliCommand, io: CliIo): Promise<number> {
  const { spec, reader, source, plan } = await openInputs(args, io);
  let connection: Connection | undefined;
  try {
    const apiKey = requireKey(spec, io.env.CAMPAIGN_API_KEY, 'CAMPAIGN_API_KEY');
    const v = await validatePlan(plan, source);
    printCsvWarnings(io, reader);
    printProblems(io, v.problems);
    io.stderr.write(`${summarizeValidation(v)}\n`);
    if (v.errorCount > 0 && !args.skipInvalid) {
      io.stderr.write(`Nothing was sent: fix the rows above, or pass --skip-invalid to send the ${v.sendable} valid ${v.sendable === 1 ? 'row' : 'rows'}.\n`);
      return 2;
    }
    connection = connect(spec, systemClock);
    const routing = await lookUpRecipients(plan, source, v.invalidRows, spec, apiKey, connection, systemClock, io);
    const resolution: ResolvedRecipients = routing?.resolution ?? {};
    if (args.dryRun) return await dryRun(args, io, plan, source, reader, v.invalidRows, v.sendable, routing);

    const store = campaignStore(args, io);
    const id = await store.resolveId(await baseCampaignId(args, spec), { fresh: args.fresh });
    const campaign = await store.open(id, {
      csvFileName: basename(args.csvPath),
      providerKind: spec.provider.kind,
      rowCount: v.rowCount,
      spec,
    });
    const before = campaign.totals();
    const already = before.sent + before.failed + before.skipped + before.uncertain + before.inFlight;
    io.stderr.write(already > 0 ? `Resuming campaign ${id}: ${already} of ${v.rowCount} rows already settled.\n` : `Campaign ${id}\n`);
    let sidecar: WassistSidecar | undefined;
    try {
      const wantsStatus = args.deliveryStatus && wireKindOf(spec.provider) === 'wassist';
      sidecar = usesWassistExtras(plan) || wantsStatus ? await WassistSidecar.load(campaign.dir) : undefined;
      if (sidecar !== undefined) await recordVariants(sidecar, routing, await campaign.journal.load(), args.resendUncertain);
    } catch (e) {
      await campaign.close();
      throw e;
    }

    const progress = new ProgressReporter({ isTTY: io.stderr.isTTY === true, columns: io.stderr.columns ?? 80, write: (t) => io.stderr.write(t) });
    const engine = createEngine({
      spec,
      apiKey,
      connection,
      journal: campaign.journal,
      clock: systemClock,
      resendUncertain: args.resendUncertain,
      onEvent: (e) => {
        progress.event(e);
        // Headless, nobody can press resume: a pause (the error threshold) ends the run cleanly,
        // leaving the rest pending for a re-run once the cause is fixed.
        if (e.type === 'paused') engine.cancel();
        if (e.type === 'sent' || e.type === 'failed' || e.type === 'uncertain' || e.type === 'skipped') progress.update(engine.snapshot());
      },
    });
    let interrupts = 0;
    const removeInterrupt = interruptHook(io)(() => {
      interrupts++;
      if (interrupts === 1) {
        progress.line('Cancelling: waiting for the messages in flight (Ctrl-C again to quit at once; a re-run resumes).');
        engine.cancel();
      } else {
        process.exit(130);
      }
    });
    let outcomes: Map<number, RowOutcome>;
    let summary;
    try {
      summary = await engine.run(planJobs(plan, source, v.invalidRows, resolution), v.rowCount);
      outcomes = await summary.outcomes();
    } finally {
      removeInterrupt();
      await campaign.close();
    }
    progress.finish(engine.snapshot());

    if (args.deliveryStatus && sidecar !== undefined && summary.reason !== 'stopped') {
      const client = wassistClient(spec, apiKey, connection, systemClock);
      const r = await refreshDeliveryStatus(client, outcomes.values(), sidecar, systemClock);
      await sidecar.save();
      io.stderr.write(`${statusLine(r)}\n`);
    }
    if (args.reportPath !== undefined) {
      await writeReport(args.reportPath, { format: reportFormatOf(args.reportPath), headers: reader.headers, records: reader.records(), outcomeOf: (row) => outcomes.get(row), extra: sidecar === undefined ? undefined : wassistColumns(sidecar) });
    }
    const all = [...outcomes.values()];
    listRows(io, 'Failed rows', all.filter((o) => o.status === 'failed'), (o) => `${o.httpStatus !== undefined ? `HTTP ${o.httpStatus}: ` : ''}${o.error ?? 'failed'}`);
    listRows(
      io,
      'Uncertain rows (may or may not have been delivered; re-send them with --resend-uncertain)',
      all.filter((o) => o.status === 'uncertain' || o.status === 'in-flight'),
      (o) => o.error ?? 'no answer',
    );
    io.stderr.write(`${finalLine(summary.totals)}\n`);
    if (args.reportPath !== undefined) io.stderr.write(`Report: ${args.reportPath}\n`);
    if (summary.reason === 'stopped') {
      io.stderr.write(`Stopped: ${summary.stopReason ?? 'by the provider'}. The remaining rows stay pending; re-run the same command to resume.\n`);
      return 3;
    }
    if (summary.breakerReason !== undefined) {
      io.stderr.write(
        `Paused by the error threshold (retry.pauseAfterFailures): ${summary.breakerReason}. The remaining rows stay pending; fix the cause (see the failed rows above), then re-run the same command to resume.\n`,
      );
      return 1;
    }
    const t = summary.totals;
    return t.failed > 0 || t.uncertain > 0 || t.pending > 0 || t.inFlight > 0 ? 1 : 0;
  } finally {
    await connection?.transport.close();
    await reader.close();
  }
}

/** dryRun reports what a send would do (skips with their reasons, which rows take the fallback) and sends nothing. */
async function dryRun(
  args: CliCommand,
  io: CliIo,
  plan: CampaignPlan,
  source: RowSource,
  reader: Awaited<ReturnType<typeof openInputs>>['reader'],
  invalidRows: ReadonlySet<number>,
  sendable: number,
  routing: Routing | undefined,
): Promise<number> {
  const skips = new Map<number, string>();
  let fallbackRows = new Set<number>();
  let messages = sendable;
  if (routing !== undefined) {
    // The summary kept only the first skips; route again for the report's reasons.
    const full = await summarizeRoutes(plan, source, invalidRows, routing.resolution);
    for (const s of full.skips) skips.set(s.row, s.reason);
    fallbackRows = new Set(full.fallbackRows);
    messages = full.message + full.fallback;
  }
  if (args.reportPath !== undefined) {
    const outcome = (row: number): RowOutcome | undefined => {
      if (invalidRows.has(row)) return { row, status: 'skipped', recipient: '', attempts: 0, error: 'invalid row' };
      const reason = skips.get(row);
      return reason === undefined ? undefined : { row, status: 'skipped', recipient: '', attempts: 0, error: reason };
    };
    let sidecar: WassistSidecar | undefined;
    if (usesWassistExtras(plan)) {
      sidecar = WassistSidecar.inMemory();
      for (const row of fallbackRows) sidecar.variants.set(row, 'fallback');
    }
    await writeReport(args.reportPath, { format: reportFormatOf(args.reportPath), headers: reader.headers, records: reader.records(), outcomeOf: outcome, extra: sidecar === undefined ? undefined : wassistColumns(sidecar) });
  }
  const fb = fallbackRows.size > 0 ? ` (${fallbackRows.size} with the fallback template)` : '';
  io.stderr.write(`Dry run: ${plural(messages, 'message')} would be sent${fb}; nothing was sent.\n`);
  return 0;
}
