import { basename } from 'node:path';
import type { RowOutcome, Totals } from '../../shared/engine/events';
import { connect, jobsFor, requireKey, validateRows } from '../core/campaign-runner';
import { createEngine } from '../core/campaign-runner';
import { systemClock } from '../core/ports';
import { writeReportFile } from '../core/report-writer';
import type { CliCommand } from './args';
import { baseCampaignId, campaignStore, openInputs, printCsvWarnings, summarizeValidation } from './commands';
import type { CliIo } from './io';
import { plural, printProblems } from './io';
import { ProgressReporter } from './progress';

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

/**
 * sendCommand validates every row, then sends through the throttled engine with progress on
 * stderr, writes the report, and returns the contract's exit code. Re-running the same command
 * resumes the same campaign (journal in the data directory): nothing already sent is sent again.
 */
export async function sendCommand(args: CliCommand, io: CliIo): Promise<number> {
  const { spec, reader, source, compiled } = await openInputs(args, io);
  try {
    const apiKey = requireKey(spec, io.env.CAMPAIGN_API_KEY, 'CAMPAIGN_API_KEY');
    const v = await validateRows(compiled, source);
    printCsvWarnings(io, reader);
    printProblems(io, v.problems);
    io.stderr.write(`${summarizeValidation(v)}\n`);
    if (v.errorCount > 0 && !args.skipInvalid) {
      io.stderr.write(`Nothing was sent: fix the rows above, or pass --skip-invalid to send the ${v.sendable} valid ${v.sendable === 1 ? 'row' : 'rows'}.\n`);
      return 2;
    }
    if (args.dryRun) {
      if (args.reportPath !== undefined) {
        const skipped = (row: number): RowOutcome | undefined =>
          v.invalidRows.has(row) ? { row, status: 'skipped', recipient: '', attempts: 0, error: 'invalid row' } : undefined;
        await writeReportFile(args.reportPath, reader.headers, reader.records(), skipped);
      }
      io.stderr.write(`Dry run: ${plural(v.sendable, 'message')} would be sent; nothing was sent.\n`);
      return 0;
    }

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

    const connection = connect(spec, systemClock);
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
      summary = await engine.run(jobsFor(compiled, source, v.invalidRows), v.rowCount);
      outcomes = await summary.outcomes();
    } finally {
      removeInterrupt();
      await connection.transport.close();
      await campaign.close();
    }
    progress.finish(engine.snapshot());

    if (args.reportPath !== undefined) {
      await writeReportFile(args.reportPath, reader.headers, reader.records(), (row) => outcomes.get(row));
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
    const t = summary.totals;
    return t.failed > 0 || t.uncertain > 0 || t.pending > 0 || t.inFlight > 0 ? 1 : 0;
  } finally {
    await reader.close();
  }
}
