import { InputError } from '../../shared/problems';
import { keyRedactor } from '../core/engine/verdict';
import { CampaignLockedError } from '../core/state/lock';
import { parseCliArgs, USAGE } from './args';
import { listCommand, resumeCommand, statusByIdCommand } from './campaigns';
import { UserError } from '../../shared/ipc/user-error';
import { LookupError } from '../core/campaign/recipients';
import { WassistApiError, WassistStopError } from '../core/wassist/client';
import { previewCommand, reportCommand, statusCommand, validateCommand } from './commands';
import type { CliIo } from './io';
import { printProblems } from './io';
import { sendCommand } from './send';
import { backupCommand, optOutCommand, settingsCommand } from './workspace-commands';

/** Exit codes of the contract in DESIGN.md. */
export const EXIT = { ok: 0, unfinished: 1, invalid: 2, stopped: 3 } as const;

/**
 * main runs the `campaign` command and returns its exit code. User mistakes print their problems
 * (row, field, reason) and return 2; nothing else prints a stack trace unless CAMPAIGN_DEBUG is set.
 */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const sending = argv[0] === 'send' || argv[0] === 'resume';
  try {
    const args = parseCliArgs(argv);
    if (args.help) {
      io.stdout.write(`${USAGE}\n`);
      return argv.length === 0 ? EXIT.invalid : EXIT.ok;
    }
    switch (args.command) {
      case 'validate':
        return await validateCommand(args, io);
      case 'preview':
        return await previewCommand(args, io);
      case 'report':
        return await reportCommand(args, io);
      case 'send':
        return await sendCommand(args, io);
      case 'status':
        return 'campaignId' in args ? await statusByIdCommand(args, io) : await statusCommand(args, io);
      case 'list':
        return await listCommand(args, io);
      case 'resume':
        return await resumeCommand(args, io);
      case 'optout':
        return await optOutCommand(args, io);
      case 'settings':
        return await settingsCommand(args, io);
      case 'backup':
        return await backupCommand(args, io);
    }
  } catch (e) {
    const redact = keyRedactor(io.env.CAMPAIGN_API_KEY ?? '');
    if (e instanceof InputError) {
      printProblems(io, e.problems);
      if (sending) io.stderr.write('Nothing was sent.\n');
      return EXIT.invalid;
    }
    if (e instanceof WassistStopError) {
      io.stderr.write(`Stopped: ${redact(e.message)}. Nothing more was sent.\n`);
      return EXIT.stopped;
    }
    if (e instanceof WassistApiError) {
      io.stderr.write(`campaign: ${redact(e.message)}\nNothing more was sent.\n`);
      return EXIT.unfinished;
    }
    if (e instanceof LookupError && e.stop) {
      io.stderr.write(`Stopped: ${redact(e.detail)}. Nothing more was sent.\n`);
      return EXIT.stopped;
    }
    if (e instanceof UserError) {
      io.stderr.write(`campaign: ${redact(e.message)}\n${sending ? 'Nothing more was sent.\n' : ''}`);
      return EXIT.unfinished;
    }
    if (e instanceof CampaignLockedError) {
      io.stderr.write(`${e.message}${sending ? '\nNothing was sent.' : ''}\n`);
      return EXIT.invalid;
    }
    io.stderr.write(`campaign: unexpected error: ${redact(e instanceof Error ? e.message : String(e))}\n`);
    if (io.env.CAMPAIGN_DEBUG && e instanceof Error && e.stack !== undefined) io.stderr.write(`${redact(e.stack)}\n`);
    return EXIT.unfinished;
  }
}
