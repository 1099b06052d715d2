import { basename } from 'node:path';
import { describeCap, sourceLabel } from '../../shared/campaign/recipient-keys';
import { InputError } from '../../shared/problems';
import type { CliIo } from './io';
import { plural, printProblems } from './io';
import { serviceFor } from './open';
import type { BackupCommand, OptOutCommand, SettingsCommand } from './workspace-args';

/**
 * The workspace's commands: the opt-out list (`campaign optout ...`), the settings (`campaign
 * settings`) and the backup (`campaign backup`), printing what the campaign service answers.
 */

/** optOutCommand runs `campaign optout <action>`; exit 0, or 2 for a mistake in the input (nothing changed). */
export async function optOutCommand(args: OptOutCommand, io: CliIo): Promise<number> {
  const service = serviceFor(args, io);
  const admin = service.audience;
  const out = (line: string) => io.stdout.write(`${line}\n`);
  try {
    switch (args.action) {
      case 'add': {
        const r = admin.add(args.values, { kind: args.kind ?? 'phone', ...opt('reason', args.reason), ...opt('defaultCountry', args.country) });
        out(`Added ${r.added} to the opt-out list${r.existing > 0 ? ` (${r.existing} already on it)` : ''}. It holds ${entries(admin.settings().optOutCount)}.`);
        return 0;
      }
      case 'remove': {
        const r = admin.remove(args.values, args.kind, args.country);
        const missing = args.values.length - r.removed;
        out(`Removed ${r.removed} from the opt-out list${missing > 0 ? ` (${missing} ${missing === 1 ? 'was' : 'were'} not on it)` : ''}.`);
        return 0;
      }
      case 'import': {
        const file = args.values[0] as string;
        try {
          const r = await admin.import({
            path: file,
            column: args.column as string,
            skipInvalid: args.skipInvalid,
            ...opt('kind', args.kind),
            ...opt('reason', args.reason),
            ...opt('defaultCountry', args.country),
            ...(args.delimiter === undefined ? {} : { csv: { delimiter: args.delimiter } }),
          });
          if (r.invalid > 0) printProblems(io, r.problems);
          const parts = [`${r.added} added`, `${r.existing} already on the list`];
          if (r.empty > 0) parts.push(`${plural(r.empty, 'empty cell')} skipped`);
          if (r.invalid > 0) parts.push(`${plural(r.invalid, 'invalid row')} left out (listed above)`);
          out(`Imported ${basename(file)}: ${parts.join(', ')}.`);
          return 0;
        } catch (e) {
          if (!(e instanceof InputError) || !e.problems.some((p) => p.row > 0)) throw e;
          printProblems(io, e.problems);
          io.stderr.write('Nothing was imported: fix the rows above, or pass --skip-invalid to import the others.\n');
          return 2;
        }
      }
      case 'export': {
        const file = args.values[0] as string;
        out(`Exported ${entries(await admin.export(file))} to ${file}.`);
        return 0;
      }
      case 'list': {
        const page = admin.page(0, args.limit, args.search);
        if (page.entries.length === 0) {
          out(args.search === undefined ? 'The opt-out list is empty.' : `No entry matches "${args.search}".`);
          return 0;
        }
        for (const e of page.entries) {
          const why = [e.reason, e.origin].filter((x) => x !== '').join(' · ');
          out(`${e.value}\t${e.kind}\t${new Date(e.createdAt).toISOString().slice(0, 10)}\t${sourceLabel(e.source)}${why === '' ? '' : `\t${why}`}`);
        }
        if (page.total > page.entries.length) io.stderr.write(`Showing ${page.entries.length} of ${page.total} (--limit N shows more, --search TEXT narrows).\n`);
        return 0;
      }
    }
  } finally {
    await service.close();
  }
}

/** settingsCommand shows the workspace settings, or sets the frequency cap. */
export async function settingsCommand(args: SettingsCommand, io: CliIo): Promise<number> {
  const service = serviceFor(args, io);
  try {
    let settings = service.audience.settings();
    if (args.frequencyCap !== undefined) {
      const set = await service.audience.setFrequencyCap(args.frequencyCap);
      settings = set;
      if (set.backfilled !== undefined) {
        io.stderr.write(`Counted ${plural(set.backfilled.messages, 'earlier message')} from ${plural(set.backfilled.campaigns, 'campaign')} of this workspace.\n`);
      }
    }
    const cap = settings.frequencyCap;
    io.stdout.write(`Frequency cap: ${cap === null ? 'off' : `${describeCap(cap)} per recipient`}\n`);
    io.stdout.write(`Opt-out list: ${entries(settings.optOutCount)}\n`);
    return 0;
  } finally {
    await service.close();
  }
}

/** backupCommand copies the workspace into a folder. */
export async function backupCommand(args: BackupCommand, io: CliIo): Promise<number> {
  const service = serviceFor(args, io);
  try {
    const c = await service.audience.backup(args.dir);
    const parts = [
      'the workspace database (opt-out list, send history, schedules, settings)',
      c.engagement ? 'the engagement database' : 'no engagement database (none read yet)',
      plural(c.campaigns, 'campaign'),
      plural(c.contactsFiles, 'imported contacts file'),
    ];
    if (c.sandboxWorlds > 0) parts.push(plural(c.sandboxWorlds, 'sandbox world'));
    io.stderr.write(`Workspace backed up to ${args.dir}: ${parts.join(', ')}.\n`);
    io.stderr.write('API keys are not part of a backup: set them again after a restore. To restore, use that folder as the workspace (--state) or copy it back.\n');
    return 0;
  } finally {
    await service.close();
  }
}

function entries(n: number): string {
  return `${n} ${n === 1 ? 'entry' : 'entries'}`;
}

/** opt is `{ [name]: value }` when the value is given, else nothing (for optional fields). */
function opt<K extends string, V>(name: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [name]: value }) as { [P in K]?: V };
}
