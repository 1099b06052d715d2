import { parseArgs } from 'node:util';
import { parseErrorKinds } from '../../shared/campaign/error-kinds';
import type { Delimiter } from '../../shared/csv/parse';
import { InputError } from '../../shared/problems';
import type { AdminCommand } from './workspace-args';
import { parseAdminCommand } from './workspace-args';

/** The `campaign` command line, parsed into a typed command. */

export const USAGE = `Usage:
  campaign send     <contacts.csv> --spec <file.campaign.json> [--report <out.csv>] [--dry-run]
                    [--at <ISO time>] [--retry-failed [--errors <kinds>]]
  campaign preview  <contacts.csv> --spec <file> [--row N] [--json]
  campaign validate <contacts.csv> --spec <file>
  campaign report   <contacts.csv> --spec <file> --report <out.csv>
  campaign list                                  every campaign in the workspace, newest first
  campaign status   --campaign <id>              how a campaign stands (Wassist: the funnel), how to resume
  campaign status   <contacts.csv> --spec <file> [--report <out.csv>]
                                                 the same, found by its files (Wassist: also the engagement funnel)
  campaign resume   <id> [--contacts <contacts.csv>] [--report <out.csv>]
                                                 resume an interrupted or cancelled campaign: no campaign file needed

  campaign optout add <value>... [--kind K] [--reason TEXT] [--country CC]   the workspace's opt-out list
  campaign optout remove <value>... [--kind K] [--country CC]
  campaign optout import <file.csv> --column NAME [--kind K] [--reason TEXT] [--country CC] [--skip-invalid]
  campaign optout export <out.csv>
  campaign optout list [--search TEXT] [--limit N]
  campaign settings [--frequency-cap N/PERIOD | --frequency-cap off]
  campaign backup   <folder>                 copy the workspace (databases, campaigns, contacts) there

Options:
  --spec FILE           the campaign file (*.campaign.json)
  --report FILE         write the delivery report (CSV) here
  --dry-run             validate and show what would be sent; send nothing
  --row N               the data row to preview (1-based, default 1)
  --json                preview: print exactly the request body that send would post
  --delimiter D         the CSV delimiter: , ; tab |  (default: detected)
  --skip-invalid        send the valid rows and mark invalid ones skipped (default: refuse to send)
  --state DIR           where campaigns are kept (default: the platform's data directory)
  --fresh               start a new campaign even if this one was run before
  --resend-uncertain    send again the rows whose outcome is unknown
  --delivery-status     send (Wassist): read what became of the messages (the funnel) once the campaign ends
  --at TIME             send: wait until TIME (ISO 8601, e.g. 2026-03-14T09:00, local time unless it
                        ends in Z or +01:00), then send; Ctrl-C cancels the wait
  --retry-failed        send: send again the rows that ended failed in the campaign's latest run, as
                        a new linked run with its own report (sent rows are never included)
  --errors KINDS        with --retry-failed: only these kinds, e.g. 503,5xx,network
  --kind K              optout: phone (default for phone-like columns), conversation or key
  --column NAME         optout import: the column holding the values (any column of any CSV)
  --reason TEXT         optout add/import: why these recipients opted out
  --country CC          optout: country of numbers written without a country code (GB, US)
  --search TEXT         optout list: only entries whose value, reason or origin contain TEXT
  --limit N             optout list: how many entries to show (default 50)
  --frequency-cap CAP   settings: at most N campaign messages per recipient in PERIOD (1/24h, 2/7d),
                        or off (the default); counted over every campaign sent from this workspace
  --campaign ID         status: the campaign (its id, as campaign list shows it)
  --contacts FILE       resume: the contacts file the campaign was sent to (default: where it was sent
                        from, or the app's copy); checked to be the same file
  -h, --help            show this help

Environment:
  CAMPAIGN_API_KEY      the provider's API key (not needed for the sandbox); never printed or stored

Every campaign checks the workspace's opt-out list before sending: an opted-out recipient is skipped
("opted out on <date> (<source>)") unless the campaign file sets audience.ignoreOptOuts to a reason.

Exit codes: 0 all sent · 1 finished with failed or uncertain rows · 2 invalid input, nothing sent ·
            3 stopped by the provider (bad key, plan limit): the rest stays pending`;

export type CommandName = 'send' | 'preview' | 'validate' | 'report' | 'status' | 'list' | 'resume';

const commandNames: readonly CommandName[] = ['send', 'preview', 'validate', 'report', 'status', 'list', 'resume'];

/** Options every command parses (each uses the ones it needs). */
export interface CommandOptions {
  reportPath?: string;
  dryRun: boolean;
  row: number;
  json: boolean;
  delimiter?: Delimiter;
  skipInvalid: boolean;
  stateDir?: string;
  fresh: boolean;
  resendUncertain: boolean;
  deliveryStatus: boolean;
  /** send: send again the failed rows of the latest run (a linked run). */
  retryFailed: boolean;
  /** With retryFailed: only these error kinds. */
  errorKinds?: string[];
  /** send: start at this time (ms since the epoch). */
  at?: number;
}

/** CliCommand is a command over a contacts file and a campaign file. */
export interface CliCommand extends CommandOptions {
  command: Exclude<CommandName, 'list' | 'resume'>;
  csvPath: string;
  specPath: string;
}

/** WorkspaceCommand is a command over the campaigns kept in the workspace: list, status --campaign, resume. */
export interface WorkspaceCommand extends CommandOptions {
  command: 'list' | 'status' | 'resume';
  /** The campaign (status, resume); '' for list. */
  campaignId: string;
  /** resume: the contacts file given with --contacts. */
  contactsPath?: string;
}

export type ParsedArgs = { help: true } | ({ help: false } & (CliCommand | WorkspaceCommand | AdminCommand));

const delimiters: Record<string, Delimiter> = { ',': ',', ';': ';', '|': '|', tab: '\t', '\t': '\t', '\\t': '\t' };

function usageError(reason: string, field = 'arguments'): InputError {
  return new InputError([{ row: 0, field, reason, severity: 'error' }]);
}

/** refuseOptions names an option given to a command that does not take it. */
function refuseOptions(values: Record<string, unknown>, command: string, strings: readonly string[], flags: readonly string[]): void {
  for (const name of strings) if (values[name] !== undefined) throw usageError(`--${name} is not an option of campaign ${command}`, `--${name}`);
  for (const name of flags) if (values[name] === true) throw usageError(`--${name} is not an option of campaign ${command}`, `--${name}`);
}

/** parseCliArgs turns argv (without node and the script) into a command, or throws InputError. */
export function parseCliArgs(argv: readonly string[]): ParsedArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        spec: { type: 'string' },
        report: { type: 'string' },
        'dry-run': { type: 'boolean', default: false },
        row: { type: 'string' },
        json: { type: 'boolean', default: false },
        delimiter: { type: 'string' },
        'skip-invalid': { type: 'boolean', default: false },
        state: { type: 'string' },
        fresh: { type: 'boolean', default: false },
        'resend-uncertain': { type: 'boolean', default: false },
        'delivery-status': { type: 'boolean', default: false },
        at: { type: 'string' },
        'retry-failed': { type: 'boolean', default: false },
        errors: { type: 'string' },
        kind: { type: 'string' },
        column: { type: 'string' },
        reason: { type: 'string' },
        country: { type: 'string' },
        search: { type: 'string' },
        limit: { type: 'string' },
        'frequency-cap': { type: 'string' },
        campaign: { type: 'string' },
        contacts: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (e) {
    throw usageError(e instanceof Error ? e.message.replace(/\. To specify.*$/s, '') : String(e));
  }
  const { values, positionals } = parsed;
  if (values.help || positionals.length === 0) return { help: true };
  let delimiter: Delimiter | undefined;
  if (values.delimiter !== undefined) {
    delimiter = delimiters[values.delimiter];
    if (delimiter === undefined) throw usageError(`must be one of , ; tab |, got "${values.delimiter}"`, '--delimiter');
  }
  const [command, target, ...extra] = positionals;
  if (command === 'optout' || command === 'settings' || command === 'backup') {
    refuseOptions(values, command, ['spec', 'report', 'row', 'at', 'errors', 'campaign', 'contacts'], ['dry-run', 'json', 'fresh', 'resend-uncertain', 'delivery-status', 'retry-failed']);
    return { help: false, ...parseAdminCommand(command, positionals.slice(1), values, delimiter) };
  }
  if (!(commandNames as readonly (string | undefined)[]).includes(command)) {
    throw usageError(`unknown command "${command}" (expected send, preview, validate, report, status, list, resume, optout, settings or backup)`, 'command');
  }
  refuseOptions(values, command ?? '', ['kind', 'column', 'reason', 'country', 'search', 'limit', 'frequency-cap'], []);
  if (extra.length > 0) throw usageError(`unexpected argument "${extra[0]}"`);
  let row = 1;
  if (values.row !== undefined) {
    if (!/^\d+$/.test(values.row) || Number(values.row) < 1) throw usageError(`must be a row number from 1, got "${values.row}"`, '--row');
    row = Number(values.row);
  }
  const options: CommandOptions = {
    dryRun: values['dry-run'],
    row,
    json: values.json,
    skipInvalid: values['skip-invalid'],
    fresh: values.fresh,
    resendUncertain: values['resend-uncertain'],
    deliveryStatus: values['delivery-status'],
    retryFailed: values['retry-failed'],
  };
  if (command !== 'send') refuseOptions(values, command ?? '', ['at', 'errors'], ['retry-failed']);
  if (values.errors !== undefined) {
    if (!options.retryFailed) throw usageError('--errors only goes with --retry-failed', '--errors');
    const kinds = parseErrorKinds(values.errors);
    if (typeof kinds === 'string') throw usageError(kinds, '--errors');
    options.errorKinds = kinds;
  }
  if (options.retryFailed && options.fresh) throw usageError('a retry is a new run already: leave out --fresh', '--retry-failed');
  if (options.retryFailed && options.dryRun) throw usageError('--dry-run shows a whole campaign; leave it out to retry the failed rows', '--retry-failed');
  if (values.at !== undefined) {
    if (options.dryRun) throw usageError('a dry run sends nothing, so it has nothing to wait for: leave out --at', '--at');
    const at = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(values.at) ? Date.parse(values.at) : NaN;
    if (Number.isNaN(at)) throw usageError(`must be an ISO 8601 time such as 2026-03-14T09:00 or 2026-03-14T09:00:00Z, got "${values.at}"`, '--at');
    options.at = at;
  }
  if (values.report !== undefined) options.reportPath = values.report;
  if (delimiter !== undefined) options.delimiter = delimiter;
  if (values.state !== undefined) options.stateDir = values.state;
  const workspace = workspaceCommand(command as CommandName, target, values.campaign, values.contacts, options);
  if (workspace !== undefined) return { help: false, ...workspace };
  if (target === undefined) throw usageError('the contacts CSV file is missing', 'contacts.csv');
  if (values.spec === undefined) throw usageError('--spec <file.campaign.json> is required', '--spec');
  if (command === 'report' && values.report === undefined) throw usageError('--report <out.csv> is required', '--report');
  return { help: false, ...options, command: command as CliCommand['command'], csvPath: target, specPath: values.spec };
}

/** workspaceCommand parses list, resume and status --campaign; undefined for the commands over files. */
function workspaceCommand(command: CommandName, target: string | undefined, campaign: string | undefined, contacts: string | undefined, options: CommandOptions): WorkspaceCommand | undefined {
  if (command === 'list') {
    if (target !== undefined) throw usageError(`unexpected argument "${target}": campaign list takes none`);
    return { ...options, command, campaignId: '' };
  }
  if (command === 'resume') {
    if (target === undefined) throw usageError('the id of the campaign to resume is missing (campaign list shows them)', 'campaign');
    if (options.fresh) throw usageError('campaign resume carries on where the campaign stopped; to start over, use campaign send --fresh', '--fresh');
    return { ...options, command, campaignId: target, ...(contacts === undefined ? {} : { contactsPath: contacts }) };
  }
  if (contacts !== undefined) throw usageError('--contacts is only used with campaign resume', '--contacts');
  if (campaign === undefined) return undefined;
  if (command !== 'status') throw usageError('--campaign is only used with campaign status', '--campaign');
  if (target !== undefined) throw usageError(`give either --campaign or a contacts file and --spec, not both`, '--campaign');
  return { ...options, command, campaignId: campaign };
}
