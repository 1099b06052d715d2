import { wireKindOf } from '../../shared/campaign/schema';
import { requireKey } from '../core/campaign/connection';
import { dryRun } from '../core/campaign/launch';
import type { RunResult } from '../core/campaign/run';
import { systemClock } from '../core/ports';
import type { Campaign } from '../core/campaign/campaign';
import type { Lookup } from '../core/campaign/recipients';
import type { CampaignService } from '../core/campaign/service';
import type { CliCommand, CommandOptions } from './args';
import { withCampaign } from './commands';
import type { CliIo } from './io';
import { plural, printProblems } from './io';
import { ProgressReporter } from './progress';
import { finalLine, listRows, lookUpAndPrint, printCsvWarnings, statusLine, summarizeValidation } from './print';

function interruptHook(io: CliIo): (handler: () => void) => () => void {
  if (io.onInterrupt !== undefined) return io.onInterrupt;
  return (handler) => {
    process.on('SIGINT', handler);
    return () => process.off('SIGINT', handler);
  };
}

/**
 * sendCommand validates every row, looks the conversations up when the campaign needs it (phone
 * numbers, inactive conversations), then starts the run through the campaign service with progress
 * on stderr, writes the report, and returns the contract's exit code. Re-running the same command
 * resumes the same campaign (journal in the workspace): nothing already sent is sent again.
 */
export function sendCommand(args: CliCommand, io: CliIo): Promise<number> {
  return withCampaign(args, io, async ({ service, campaign }) => {
    const apiKey = requireKey(campaign.spec, io.env.CAMPAIGN_API_KEY, 'CAMPAIGN_API_KEY');
    const offline = await campaign.validate(Infinity);
    printCsvWarnings(io, campaign);
    // Errors that block a row wherever it goes are refused before any lookup; the rest is judged
    // once the conversations are known, by what each row will actually send.
    const refuses = offline.errorCount > 0 && !args.skipInvalid;
    // A resume looks up only the rows still to send.
    const settled = refuses || !campaign.needsLookup ? undefined : await service.settled(campaign, { fresh: args.fresh, resendUncertain: args.resendUncertain });
    const lookup = refuses ? undefined : await lookUpAndPrint(io, campaign, () => systemClock.now(), Infinity, settled);
    const v = lookup?.validation ?? offline;
    printProblems(io, v.problems);
    io.stderr.write(`${summarizeValidation(v)}\n`);
    if (v.errorCount > 0 && !args.skipInvalid) {
      io.stderr.write(`Nothing was sent: fix the rows above, or pass --skip-invalid to send the ${v.sendable} valid ${v.sendable === 1 ? 'row' : 'rows'}.\n`);
      return 2;
    }
    if (args.dryRun) {
      const d = await dryRun(campaign, lookup, args.reportPath);
      const fb = d.fallbackRows > 0 ? ` (${d.fallbackRows} with the fallback template)` : '';
      io.stderr.write(`Dry run: ${plural(d.messages, 'message')} would be sent${fb}; nothing was sent.\n`);
      return 0;
    }

    return sendAndReport(args, io, service, campaign, apiKey, lookup);
  });
}

/**
 * sendAndReport starts (or resumes) an opened campaign with progress on stderr, writes the report
 * when asked, and returns the contract's exit code. Ctrl-C cancels cleanly; a re-run resumes.
 */
export async function sendAndReport(args: CommandOptions, io: CliIo, service: CampaignService, campaign: Campaign, apiKey: string, lookup: Lookup | undefined): Promise<number> {
  const spec = campaign.spec;
  const run = await service.start(campaign, {
    fresh: args.fresh,
    skipInvalid: args.skipInvalid,
    resendUncertain: args.resendUncertain,
    endOnPause: true,
    ...(lookup === undefined ? {} : { lookup }),
  });
  const b = run.before;
  const already = b.sent + b.failed + b.skipped + b.uncertain + b.inFlight;
  io.stderr.write(already > 0 ? `Resuming campaign ${run.id}: ${already} of ${run.total} rows already settled.\n` : `Campaign ${run.id}\n`);
  const progress = new ProgressReporter({ isTTY: io.stderr.isTTY === true, columns: io.stderr.columns ?? 80, write: (t) => io.stderr.write(t) });
  run.onEvent((e) => {
    progress.event(e);
    if (e.type === 'sent' || e.type === 'failed' || e.type === 'uncertain' || e.type === 'skipped') progress.update(run.progress());
  });
  let interrupts = 0;
  const removeInterrupt = interruptHook(io)(() => {
    interrupts++;
    if (interrupts === 1) {
      progress.line('Cancelling: waiting for the messages in flight (Ctrl-C again to quit at once; a re-run resumes).');
      run.cancel();
    } else {
      process.exit(130);
    }
  });
  let ended: Awaited<typeof run.done>;
  try {
    ended = await run.done;
  } finally {
    removeInterrupt();
  }
  if ('error' in ended) throw ended.error;
  progress.finish(run.progress());

  if (args.deliveryStatus && wireKindOf(spec.provider) === 'wassist' && ended.reason !== 'stopped') {
    const { refresh } = await service.refreshStatus(run.id, { spec, apiKey });
    io.stderr.write(`${statusLine(refresh)}\n`);
  }
  if (args.reportPath !== undefined) await service.writeReport(run.id, args.reportPath, { contacts: campaign });
  return finish(io, ended, args.reportPath);
}

/** finish lists failed and uncertain rows, says how the run ended and picks the exit code. */
function finish(io: CliIo, result: RunResult, reportPath: string | undefined): number {
  const all = result.outcomes;
  listRows(io, 'Failed rows', all, ['failed'], (o) => `${o.httpStatus !== undefined ? `HTTP ${o.httpStatus}: ` : ''}${o.error ?? 'failed'}`);
  listRows(io, 'Uncertain rows (may or may not have been delivered; re-send them with --resend-uncertain)', all, ['uncertain', 'in-flight'], (o) => o.error ?? 'no answer');
  io.stderr.write(`${finalLine(result.totals)}\n`);
  if (reportPath !== undefined) io.stderr.write(`Report: ${reportPath}\n`);
  if (result.reason === 'stopped') {
    io.stderr.write(`Stopped: ${result.stopReason ?? 'by the provider'}. The remaining rows stay pending; re-run the same command to resume.\n`);
    return 3;
  }
  if (result.breakerReason !== undefined) {
    io.stderr.write(
      `Paused by the error threshold (retry.pauseAfterFailures): ${result.breakerReason}. The remaining rows stay pending; fix the cause (see the failed rows above), then re-run the same command to resume.\n`,
    );
    return 1;
  }
  const t = result.totals;
  return t.failed > 0 || t.uncertain > 0 || t.pending > 0 || t.inFlight > 0 ? 1 : 0;
}
