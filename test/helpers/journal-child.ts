import { writeSync } from 'node:fs';
import { FileJournal } from '../../electron/core/state/file-journal';
import { acquireLock } from '../../electron/core/state/lock';

/**
 * A second process for the lock and crash tests (run with `node --import tsx`):
 *   hold-lock <path>       take the lock, print "locked <pid>", hold it until stdin closes, release, exit 0
 *   try-lock <path>        try to take the lock once; print "locked" or "refused <message>"; exit 0
 *   lock-and-exit <path>   take the lock and exit at once without releasing it (the exit hook must)
 *   record <journal> <rows> <afterAppend|beforeSync> <batch>
 *                          record rows 1..N as in-flight (8 at a time), print "ack <row>" as each
 *                          is acknowledged, and exit(42) at the crash point of the given batch.
 * Output goes through writeSync so nothing is lost when the process exits abruptly.
 */

function say(line: string): void {
  writeSync(1, `${line}\n`);
}

async function main(argv: string[]): Promise<void> {
  const [mode, path, ...rest] = argv;
  if (path === undefined) throw new Error('usage: journal-child <mode> <path> ...');
  switch (mode) {
    case 'hold-lock': {
      const lock = await acquireLock(path);
      say(`locked ${process.pid}`);
      process.stdin.resume();
      await new Promise((resolve) => process.stdin.once('end', resolve));
      await lock.release();
      return;
    }
    case 'try-lock': {
      try {
        const lock = await acquireLock(path);
        say('locked');
        await lock.release();
      } catch (e) {
        say(`refused ${e instanceof Error ? e.message : String(e)}`);
      }
      return;
    }
    case 'lock-and-exit': {
      await acquireLock(path);
      process.exit(0);
      return;
    }
    case 'record': {
      const rows = Number(rest[0]);
      const point = rest[1];
      const crashBatch = Number(rest[2]);
      let batches = 0;
      const crash = (): void => {
        batches += 1;
        if (batches === crashBatch) process.exit(42);
      };
      const journal = await FileJournal.open(path, {
        hooks: point === 'afterAppend' ? { afterAppend: crash } : { beforeSync: crash },
      });
      let next = 1;
      const worker = async (): Promise<void> => {
        while (next <= rows) {
          const row = next++;
          await journal.record({ row, status: 'in-flight', recipient: `conv-${row}`, attempts: 1 });
          say(`ack ${row}`);
        }
      };
      await Promise.all(Array.from({ length: 8 }, worker));
      await journal.close();
      return;
    }
    default:
      throw new Error(`unknown mode ${String(mode)}`);
  }
}

main(process.argv.slice(2)).catch((e: unknown) => {
  writeSync(2, `${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
