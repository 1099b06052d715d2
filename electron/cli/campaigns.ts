import { dirname, resolve } from 'node:path';
import { InputError } from '../../shared/problems';
import { folderRoot } from '../core/attachments/file-root';
import { requireKey } from '../core/campaign/connection';
import type { Standing } from '../core/campaign/reopen';
import { ContactsError } from '../core/campaign/reopen';
import { specOf } from '../core/campaign/records';
import { systemClock } from '../core/ports';
import type { WorkspaceCommand } from './args';
import type { CliIo } from './io';
import { plural } from './io';
import { stateDirOf, serviceFor } from './open';
import { lookUpAndPrint, printCsvWarnings, printOverride, summarizeValidation } from './print';
import { readAndPrintFunnel } from './print-funnel';
import { sendAndReport } from './send';

/**
 * The commands over the campaigns kept in the workspace, whichever front end sent them: `list`,
 * `status --campaign <id>` (how one stands, and the exact command that resumes it) and `resume <id>`
 * (no campaign file needed: the campaign comes from the workspace, the contacts from the user's
 * file it was sent from or the app's copy, checked against the hash it was sent with).
 */

/** listCommand prints every campaign of the workspace, newest first, one a line. */
export async function listCommand(args: WorkspaceCommand, io: CliIo): Promise<number> {
  const all = await serviceFor(args, io).standings();
  if (all.length === 0) {
    io.stdout.write('No campaigns in this workspace yet.\n');
    return 0;
  }
  io.stdout.write(`${'ID'.padEnd(20)}${'STATE'.padEnd(13)}${'SENT'.padStart(8)}${'FAILED'.padStart(8)}${'LEFT'.padStart(8)}  STARTED            CAMPAIGN (CONTACTS)\n`);
  for (const s of all) {
    const t = s.summary.totals;
    const started = s.summary.createdAt.slice(0, 16).replace('T', ' ');
    io.stdout.write(
      `${s.summary.campaignId.padEnd(20)}${s.summary.state.padEnd(13)}${String(t.sent).padStart(8)}${String(t.failed + t.uncertain).padStart(8)}${String(t.pending + t.inFlight).padStart(8)}  ${started.padEnd(19)}${s.summary.name} (${s.summary.csvName})\n`,
    );
  }
  io.stdout.write('\n`campaign status --campaign <id>` says how one stands and prints the command that resumes it.\n');
  return 0;
}

/**
 * statusByIdCommand prints how campaign `--campaign` stands and, when rows are left, the command that
 * resumes it, then its engagement funnel as `campaign status <csv> --spec` does (read first for
 * Wassist when CAMPAIGN_API_KEY is set, with the campaign file it was sent with, kept in the
 * workspace). Exit 0, or 1 when some conversations could not be read.
 */
export async function statusByIdCommand(args: WorkspaceCommand, io: CliIo): Promise<number> {
  const service = serviceFor(args, io);
  const standing = await service.standing(args.campaignId);
  printStanding(io, standing, stateDirOf(args, io));
  const spec = specOf(standing.meta.spec);
  if (spec === undefined) return 0;
  const sending = standing.summary.state === 'running' || standing.summary.state === 'paused';
  const unreadable = await readAndPrintFunnel(io, service, args.campaignId, spec, io.env.CAMPAIGN_API_KEY?.trim() ?? '', sending);
  return unreadable > 0 ? 1 : 0;
}

/**
 * printStanding says how a campaign stands on stdout: its totals, whether it finished, was cancelled
 * or was interrupted (rows left, no process sending it), and the exact command that resumes it.
 */
export function printStanding(io: CliIo, s: Standing, stateDir: string | undefined): void {
  const h = s.summary;
  const t = h.totals;
  const out = (line: string) => io.stdout.write(`${line}\n`);
  out(`Campaign ${h.campaignId}: "${h.name}" (${h.csvName}, ${h.providerKind}), started ${h.createdAt}`);
  out(`Rows: ${t.total} · sent ${t.sent} · failed ${t.failed} · uncertain ${t.uncertain} · skipped ${t.skipped} · not sent yet ${t.pending + t.inFlight}`);
  const left = t.pending + t.inFlight;
  if (h.state === 'running' || h.state === 'paused') {
    out(`State: ${h.state}: a process is sending it now.`);
    return;
  }
  if (h.state === 'finished') {
    out('State: finished: nothing is left to send.');
    return;
  }
  const them = left === 1 ? 'it' : 'them';
  if (h.state === 'cancelled') out(`State: cancelled: ${plural(left, 'row')} left, not sent: you cancelled ${them}.`);
  else out(`State: interrupted: ${plural(left, 'row')} left and no process is sending ${them} (a crash, a quit or a stop).`);
  if (t.inFlight > 0) {
    out(`${plural(t.inFlight, 'row')} ${t.inFlight === 1 ? 'was' : 'were'} in flight when it stopped: a resume checks ${t.inFlight === 1 ? 'it' : 'them'} with the provider where it can, and never sends ${t.inFlight === 1 ? 'it' : 'them'} blindly again.`);
  }
  if (s.problem !== undefined) {
    out(s.problem);
    return;
  }
  const command = ['campaign', 'resume', h.campaignId];
  if (s.contacts === 'file' && s.meta.csvPath !== undefined) command.push('--contacts', s.meta.csvPath);
  if (s.contacts === 'missing') {
    out(`Its contacts (${h.csvName}) are neither in the workspace nor${s.meta.csvPath === undefined ? ' anywhere it knows' : ` at ${s.meta.csvPath}`}; name that file to resume it:`);
    command.push('--contacts', `<${h.csvName}>`);
  } else {
    out('Resume it with:');
  }
  if (stateDir !== undefined) command.push('--state', stateDir);
  out(`  ${command.map(shellWord).join(' ')}`);
}

/**
 * resumeCommand resumes an interrupted campaign from the workspace (service.reopen): the rows its
 * journal has settled are not sent again, rows in doubt are read back or left uncertain. The key
 * comes from CAMPAIGN_API_KEY, as for send.
 */
export async function resumeCommand(args: WorkspaceCommand, io: CliIo): Promise<number> {
  const service = serviceFor(args, io);
  const apiKey = io.env.CAMPAIGN_API_KEY?.trim() ?? '';
  let campaign;
  try {
    // The files a campaign attaches are read, as when it was sent, inside its contacts file's folder.
    const sentFrom = args.contactsPath ?? (await service.standing(args.campaignId)).meta.csvPath;
    const files = sentFrom === undefined ? {} : { files: folderRoot(dirname(resolve(sentFrom)), "in the contacts file's folder") };
    campaign = await service.reopen(args.campaignId, { apiKey, ...files, ...(args.contactsPath === undefined ? {} : { contacts: { path: args.contactsPath } }) });
  } catch (e) {
    if (!(e instanceof ContactsError)) throw e;
    const hint = e.kind === 'missing' ? ` Name ${e.fileName} with --contacts <file>.` : '';
    throw new InputError([{ row: 0, field: '--contacts', reason: `${e.message}${hint}`, severity: 'error' }]);
  }
  try {
    requireKey(campaign.spec, io.env.CAMPAIGN_API_KEY, 'CAMPAIGN_API_KEY');
    printOverride(io, campaign);
    printCsvWarnings(io, campaign);
    // As send does, but a resume cannot be edited: rows that cannot go out are skipped, not refused.
    const settled = campaign.needsLookup ? await service.settled(campaign, { resendUncertain: args.resendUncertain }) : undefined;
    const lookup = await lookUpAndPrint(io, campaign, () => systemClock.now(), Infinity, settled);
    const v = lookup?.validation ?? (await campaign.validate(Infinity));
    io.stderr.write(`${summarizeValidation(v)}${v.invalidRows.size > 0 ? ' (rows with errors are skipped and listed in the report)' : ''}\n`);
    return await sendAndReport(args, io, service, campaign, apiKey, lookup);
  } finally {
    await campaign.close();
    await service.close();
  }
}

/** shellWord quotes a word for a POSIX shell when it needs it, so the printed command runs as printed. */
export function shellWord(word: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
