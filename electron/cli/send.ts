import { wireKindOf } from '../../shared/campaign/provider-config';
import { InputError } from '../../shared/problems';
import type { Campaign } from '../core/campaign/campaign';
import { requireKey } from '../core/campaign/connection';
import { dryRun } from '../core/campaign/dry-run';
import type { Lookup } from '../core/campaign/recipients';
import type { Run, RunResult } from '../core/campaign/run';
import type { CampaignService } from '../core/campaign/service';
import { systemClock } from '../core/ports';
import type { CliCommand, CommandOptions } from './args';
import { withCampaign } from './commands';
import type { CliIo } from './io';
import { plural, printProblems } from './io';
import { formatDuration, ProgressReporter } from './progress';
import { finalLine, listRows, lookUpAndPrint, printCsvWarnings, printOverride, summarizeValidation } from './print';
import { funnelLines } from './print-funnel';

/** interruptHook is how Ctrl-C is heard: the test harness's hook, else the process's SIGINT. */
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
 * `--at` waits until its time once the rows are checked (the lookup and the opt-out list are read
 * when it starts); `--retry-failed` starts a linked run of the rows that failed instead.
 */
export function sendCommand(args: CliCommand, io: CliIo): Promise<number> {
  return withCampaign(args, io, async ({ service, campaign }) => {
    const apiKey = requireKey(campaign.spec, io.env.CAMPAIGN_API_KEY, 'CAMPAIGN_API_KEY');
    printOverride(io, campaign);
    const offline = await campaign.validate(Infinity);
    printCsvWarnings(io, campaign);
    // Errors that block a row wherever it goes are refused before any lookup; the rest is judged
    // once the conversations are known, by what each row will actually send. A retry looks its own
    // rows up as it starts, and a scheduled send (--at) when its time has come.
    const refuses = offline.errorCount > 0 && !args.skipInvalid;
    const lookUp = async () => {
      // A resume looks up only the rows still to send.
      const settled = campaign.needsLookup ? await service.settled(campaign, { fresh: args.fresh, resendUncertain: args.resendUncertain }) : undefined;
      return lookUpAndPrint(io, campaign, () => systemClock.now(), Infinity, settled);
    };
    let lookup = !refuses && !args.retryFailed && args.at === undefined ? await lookUp() : undefined;
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
    if (args.at !== undefined && !(await waitUntil(args.at, io))) {
      io.stderr.write('Cancelled before the start: nothing was sent.\n');
      return 1;
    }
    if (args.retryFailed) {
      const retry = await service.retryFailed(campaign, { skipInvalid: args.skipInvalid, resendUncertain: args.resendUncertain, endOnPause: true, ...(args.errorKinds === undefined ? {} : { errorKinds: args.errorKinds }) });
      if (retry === undefined) throw new InputError([{ row: 0, field: '--retry-failed', reason: 'this campaign has not run yet in this workspace, so nothing has failed', severity: 'error' }]);
      if ('nothing' in retry) {
        io.stderr.write(`${retry.nothing}\n`);
        return 0;
      }
      const what = retry.resumed ? `Resuming retry ${retry.run.id}` : `Retrying ${plural(retry.run.total, 'failed row')} of campaign ${retry.sourceId} as campaign ${retry.run.id}`;
      io.stderr.write(`${what} (rows already sent are never included).\n`);
      return watchAndReport(args, io, service, campaign, apiKey, retry.run);
    }
    // After a wait (--at), the conversations and the opt-out list as they are now.
    lookup ??= await lookUp();
    return sendAndReport(args, io, service, campaign, apiKey, lookup);
  });
}

/**
 * sendAndReport starts (or resumes) an opened campaign with progress on stderr, writes the report
 * when asked, and returns the contract's exit code. Ctrl-C cancels cleanly; a re-run resumes.
 */
export async function sendAndReport(args: CommandOptions, io: CliIo, service: CampaignService, campaign: Campaign, apiKey: string, lookup: Lookup | undefined): Promise<number> {
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
  return watchAndReport(args, io, service, campaign, apiKey, run);
}

/** watchAndReport follows a started run to its end, reads delivery status when asked, writes the report and picks the exit code. */
async function watchAndReport(args: CommandOptions, io: CliIo, service: CampaignService, campaign: Campaign, apiKey: string, run: Run): Promise<number> {
  const spec = campaign.spec;
  const ended = await watch(run, io);
  if (args.deliveryStatus && wireKindOf(spec.provider) === 'wassist' && ended.reason !== 'stopped') {
    const { view } = await service.refreshEngagement(run.id, { spec, apiKey });
    for (const line of funnelLines(view)) io.stderr.write(`${line}\n`);
  }
  if (args.reportPath !== undefined) await service.writeReport(run.id, args.reportPath, { contacts: campaign });
  return finish(io, ended, args.reportPath, run.id);
}

/** watch shows a run's progress until it ends; Ctrl-C cancels it (rows not yet sent stay pending), twice quits at once. */
async function watch(run: Run, io: CliIo): Promise<RunResult> {
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
  // Rows waiting for their quiet hours send no events for a while: the progress says so meanwhile.
  const ticker = setInterval(() => {
    const p = run.progress();
    if (p.waiting !== undefined) progress.update(p);
  }, 1_000);
  ticker.unref();
  let ended: Awaited<typeof run.done>;
  try {
    ended = await run.done;
  } finally {
    clearInterval(ticker);
    removeInterrupt();
  }
  if ('error' in ended) throw ended.error;
  progress.finish(run.progress());
  return ended;
}

/**
 * waitUntil waits for `--at`, saying when it will send; Ctrl-C ends the wait (false). A time that
 * has passed starts at once. Long waits sleep an hour at a time, so a clock change is noticed.
 */
async function waitUntil(at: number, io: CliIo): Promise<boolean> {
  const left = at - Date.now();
  if (left <= 0) {
    io.stderr.write(`The start time ${new Date(at).toLocaleString()} has passed: sending now.\n`);
    return true;
  }
  io.stderr.write(`Waiting to send at ${new Date(at).toLocaleString()} (in ${formatDuration(left / 1000)}). Ctrl-C cancels.\n`);
  const stop = new AbortController();
  const remove = interruptHook(io)(() => stop.abort());
  try {
    while (Date.now() < at) await systemClock.sleep(Math.min(at - Date.now(), 3_600_000), stop.signal);
    io.stderr.write('Starting now.\n');
    return true;
  } catch {
    return false;
  } finally {
    remove();
  }
}

/** finish lists failed and uncertain rows, says how the run ended and picks the exit code. */
function finish(io: CliIo, result: RunResult, reportPath: string | undefined, campaignId: string): number {
  const all = result.outcomes;
  listRows(io, 'Failed rows', all, ['failed'], (o) => `${o.httpStatus !== undefined ? `HTTP ${o.httpStatus}: ` : ''}${o.error ?? 'failed'}`);
  listRows(io, 'Uncertain rows (may or may not have been delivered; re-send them with --resend-uncertain)', all, ['uncertain', 'in-flight'], (o) => o.error ?? 'no answer');
  io.stderr.write(`${finalLine(result.totals)}\n`);
  if (reportPath !== undefined) io.stderr.write(`Report: ${reportPath}\n`);
  const left = result.totals.pending + result.totals.inFlight;
  if (result.reason === 'cancelled' && left > 0) {
    io.stderr.write(`Cancelled: ${plural(left, 'row')} not sent, left pending; re-run the same command to send them (\`campaign status --campaign ${campaignId}\` says how it stands).\n`);
  }
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
