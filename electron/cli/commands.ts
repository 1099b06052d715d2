import { basename } from 'node:path';
import { wireKindOf } from '../../shared/campaign/provider-config';
import { formatProblem, InputError } from '../../shared/problems';
import { systemClock } from '../core/ports';
import type { CliCommand } from './args';
import type { CliIo } from './io';
import { printProblems } from './io';
import { printStanding } from './campaigns';
import type { Opened } from './open';
import { openCampaign, stateDirOf } from './open';
import { describeMessage } from './preview-text';
import { lookUpAndPrint, printCsvWarnings, printOverride, printWaits, summarizeValidation } from './print';
import { readAndPrintFunnel } from './print-funnel';

/** The CLI's commands other than send: argument handling and printing over the campaign service. */

/** withCampaign opens the command's campaign, runs `work`, and closes it. */
export async function withCampaign<T>(args: CliCommand, io: CliIo, work: (o: Opened) => Promise<T>): Promise<T> {
  const opened = await openCampaign(args, io);
  try {
    return await work(opened);
  } finally {
    await opened.campaign.close();
    await opened.service.close();
  }
}

/**
 * validateCommand checks every row and prints each problem; exit 2 when any row has an error.
 * A campaign that looks conversations up (phone numbers, the 24-hour window) also looks them up now
 * when a key is at hand, says which rows get the fallback or are skipped, and judges each row by
 * what it will send; without a key, rows whose fate depends on their conversation say so.
 */
export function validateCommand(args: CliCommand, io: CliIo): Promise<number> {
  return withCampaign(args, io, async ({ campaign }) => {
    printOverride(io, campaign);
    const offline = await campaign.validate(Infinity);
    printCsvWarnings(io, campaign);
    const lookup = campaign.needsLookup && campaign.canLookUp ? await lookUpAndPrint(io, campaign, () => systemClock.now(), Infinity) : undefined;
    const v = lookup?.validation ?? offline;
    printProblems(io, v.problems);
    printWaits(io, v);
    io.stdout.write(`${summarizeValidation(v)}\n`);
    if (campaign.needsLookup && lookup === undefined) io.stderr.write('Conversations are looked up when sending; set CAMPAIGN_API_KEY to look them up now.\n');
    return v.errorCount > 0 ? 2 : 0;
  });
}

/**
 * previewCommand shows what one row will receive: as the phone shows it, or with --json exactly
 * the request body `send` would post. When the campaign looks conversations up and a key is at hand,
 * the preview says where the row goes (as the desktop's does). Problems go to stderr; exit 2 when
 * the row has an error.
 */
export function previewCommand(args: CliCommand, io: CliIo): Promise<number> {
  return withCampaign(args, io, async ({ campaign }) => {
    const lookup = campaign.needsLookup && campaign.canLookUp ? await campaign.lookUpRow(args.row, '--row') : undefined;
    const p = await campaign.preview(args.row, lookup, '--row');
    const body = p.request.body as Parameters<typeof describeMessage>[1];
    if (args.json) {
      io.stdout.write(`${JSON.stringify(p.request.body, null, 2)}\n`);
    } else {
      let to = p.recipient !== '' ? p.recipient : campaign.plan.phone !== undefined ? '(no valid number)' : '(a new conversation)';
      if (p.phone !== undefined && p.phone !== p.recipient) to += ` (${p.phone})`;
      io.stdout.write(`Row ${p.row} (line ${p.line}) → ${to}${p.route === undefined ? '' : `: ${p.route}`}\n`);
      for (const u of p.uploads ?? []) io.stdout.write(`${u.method} ${u.url}  (multipart, ${u.field}: ${u.file})\n`);
      io.stdout.write(`${p.request.method} ${p.request.url}\n\n`);
      for (const line of describeMessage(p.variant === 'fallback' ? 'wassist' : wireKindOf(campaign.spec.provider), body)) io.stdout.write(`${line}\n`);
      for (const a of p.attachments ?? []) io.stdout.write(a.problem === undefined ? `  [file] ${a.name} (${a.sizeText ?? ''}, ${a.type ?? ''})\n` : `  [file] ${a.path}: cannot be attached\n`);
      if (p.fallbackBody !== undefined) {
        io.stdout.write('\nIf the conversation is inactive, the fallback template instead:\n');
        for (const line of describeMessage('wassist', p.fallbackBody)) io.stdout.write(`${line}\n`);
      }
      io.stdout.write(p.problems.length === 0 ? '\nNo problems.\n' : '\n');
    }
    for (const x of p.problems) io.stderr.write(`${formatProblem(x)}\n`);
    return p.problems.some((x) => x.severity === 'error') ? 2 : 0;
  });
}

/** campaignIdOf is the id of the campaign's latest run, or an InputError when it never ran in this workspace. */
async function campaignIdOf({ service, campaign }: Opened, args: CliCommand): Promise<string> {
  const id = await service.find(campaign);
  if (id === undefined) {
    throw new InputError([{ row: 0, field: 'campaign', reason: `no campaign has run yet for ${basename(args.csvPath)} with this campaign file`, severity: 'error' }]);
  }
  return id;
}

/** reportCommand writes the delivery report again from the campaign's journal. */
export function reportCommand(args: CliCommand, io: CliIo): Promise<number> {
  return withCampaign(args, io, async (opened) => {
    const id = await campaignIdOf(opened, args);
    await opened.service.writeReport(id, args.reportPath as string, { contacts: opened.campaign });
    io.stderr.write(`Report written to ${args.reportPath}\n`);
    return 0;
  });
}

/**
/**
 * statusCommand (`campaign status <contacts.csv> --spec <file> [--report <out.csv>]`) says how the
 * campaign stands, for any provider (totals, finished or interrupted, the command that resumes it),
 * then its engagement funnel: for Wassist it first reads what became of its messages (delivered,
 * read, clicked, replied, opted out; only the conversations whose outcome can still change, at a
 * polite pace, with progress on stderr; the key from CAMPAIGN_API_KEY). Pingback and the generic
 * API publish none of it: the funnel says so. Writes the report with the engagement columns when
 * asked. Exit 0, or 1 when some conversations could not be read.
 */
export function statusCommand(args: CliCommand, io: CliIo): Promise<number> {
  return withCampaign(args, io, async (opened) => {
    const { campaign, service } = opened;
    const id = await campaignIdOf(opened, args);
    const standing = await service.standing(id);
    printStanding(io, standing, stateDirOf(args, io));
    const sending = standing.summary.state === 'running' || standing.summary.state === 'paused';
    const unreadable = await readAndPrintFunnel(io, service, id, campaign.spec, opened.apiKey, sending);
    if (args.reportPath !== undefined) {
      await service.writeReport(id, args.reportPath, { contacts: campaign });
      io.stderr.write(`Report: ${args.reportPath}\n`);
    }
    return unreadable > 0 ? 1 : 0;
  });
}
