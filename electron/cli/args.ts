import { parseArgs } from 'node:util';
import type { Delimiter } from '../../shared/csv/parse';
import { InputError } from '../../shared/problems';

/** The `campaign` command line, parsed into a typed command. */

export const USAGE = `Usage:
  campaign send     <contacts.csv> --spec <file.campaign.json> [--report <out.csv>] [--dry-run]
  campaign preview  <contacts.csv> --spec <file> [--row N] [--json]
  campaign validate <contacts.csv> --spec <file>
  campaign report   <contacts.csv> --spec <file> --report <out.csv>
  campaign status   <contacts.csv> --spec <file> [--report <out.csv>]   (delivered, read, clicked, replied, opted out)

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
  -h, --help            show this help

Environment:
  CAMPAIGN_API_KEY      the provider's API key (not needed for the sandbox); never printed or stored

Exit codes: 0 all sent · 1 finished with failed or uncertain rows · 2 invalid input, nothing sent ·
            3 stopped by the provider (bad key, plan limit): the rest stays pending`;

export type CommandName = 'send' | 'preview' | 'validate' | 'report' | 'status';

export interface CliCommand {
  command: CommandName;
  csvPath: string;
  specPath: string;
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

export type ParsedArgs = { help: true } | ({ help: false } & CliCommand);

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
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (e) {
    throw usageError(e instanceof Error ? e.message.replace(/\. To specify.*$/s, '') : String(e));
  }
  const { values, positionals } = parsed;
  if (values.help || positionals.length === 0) return { help: true };
  const [command, csvPath, ...extra] = positionals;
  if (command !== 'send' && command !== 'preview' && command !== 'validate' && command !== 'report' && command !== 'status') {
    throw usageError(`unknown command "${command}" (expected send, preview, validate, report or status)`, 'command');
  }
  if (csvPath === undefined) throw usageError('the contacts CSV file is missing', 'contacts.csv');
  if (extra.length > 0) throw usageError(`unexpected argument "${extra[0]}"`);
  if (values.spec === undefined) throw usageError('--spec <file.campaign.json> is required', '--spec');
  if (command === 'report' && values.report === undefined) throw usageError('--report <out.csv> is required', '--report');
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
  const cmd: CliCommand = {
    command,
    csvPath,
    specPath: values.spec,
    dryRun: values['dry-run'],
    row,
    json: values.json,
    skipInvalid: values['skip-invalid'],
    fresh: values.fresh,
    resendUncertain: values['resend-uncertain'],
    deliveryStatus: values['delivery-status'],
  };
  if (values.report !== undefined) cmd.reportPath = values.report;
  if (delimiter !== undefined) cmd.delimiter = delimiter;
  if (values.state !== undefined) cmd.stateDir = values.state;
  return { help: false, ...cmd };
}
