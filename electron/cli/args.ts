import { parseArgs } from 'node:util';
import type { Delimiter } from '../../shared/csv/parse';
import { InputError } from '../../shared/problems';

/** The `campaign` command line, parsed into a typed command. */

export const USAGE = `Usage:
  campaign send     <contacts.csv> --spec <file.campaign.json> [--report <out.csv>] [--dry-run]
  campaign preview  <contacts.csv> --spec <file> [--row N] [--json]
  campaign validate <contacts.csv> --spec <file>
  campaign report   <contacts.csv> --spec <file> --report <out.csv>
  campaign list                                  every campaign in the workspace, newest first
  campaign status   --campaign <id>              how a campaign stands, and the command that resumes it
  campaign status   <contacts.csv> --spec <file> [--report <out.csv>]
                                                 the same, found by its files (Wassist: also reads delivery status)
  campaign resume   <id> [--contacts <contacts.csv>] [--report <out.csv>]
                                                 resume an interrupted campaign: no campaign file needed

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
  --delivery-status     send (Wassist): read each message's delivery status once the campaign ends
  --campaign ID         status: the campaign (its id, as campaign list shows it)
  --contacts FILE       resume: the contacts file the campaign was sent to (default: where it was sent
                        from, or the app's copy); checked to be the same file
  -h, --help            show this help

Environment:
  CAMPAIGN_API_KEY      the provider's API key (not needed for the sandbox); never printed or stored

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

export type ParsedArgs = { help: true } | ({ help: false } & (CliCommand | WorkspaceCommand));

const delimiters: Record<string, Delimiter> = { ',': ',', ';': ';', '|': '|', tab: '\t', '\t': '\t', '\\t': '\t' };

function usageError(reason: string, field = 'arguments'): InputError {
  return new InputError([{ row: 0, field, reason, severity: 'error' }]);
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
  const [command, target, ...extra] = positionals;
  if (!(commandNames as readonly (string | undefined)[]).includes(command)) {
    throw usageError(`unknown command "${command}" (expected send, preview, validate, report, status, list or resume)`, 'command');
  }
  if (extra.length > 0) throw usageError(`unexpected argument "${extra[0]}"`);
  let row = 1;
  if (values.row !== undefined) {
    if (!/^\d+$/.test(values.row) || Number(values.row) < 1) throw usageError(`must be a row number from 1, got "${values.row}"`, '--row');
    row = Number(values.row);
  }
  let delimiter: Delimiter | undefined;
  if (values.delimiter !== undefined) {
    delimiter = delimiters[values.delimiter];
    if (delimiter === undefined) throw usageError(`must be one of , ; tab |, got "${values.delimiter}"`, '--delimiter');
  }
  const options: CommandOptions = {
    dryRun: values['dry-run'],
    row,
    json: values.json,
    skipInvalid: values['skip-invalid'],
    fresh: values.fresh,
    resendUncertain: values['resend-uncertain'],
    deliveryStatus: values['delivery-status'],
  };
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
