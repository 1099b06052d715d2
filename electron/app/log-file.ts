import { appendFileSync, chmodSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { LogSink } from '../ipc/log';

/**
 * main.log, rotated: when writing a line would take the file past `maxBytes`, main.log becomes
 * main.1.log (main.1.log becomes main.2.log, and so on up to `keep` old files; the oldest is
 * deleted) and a new main.log starts. So the log takes at most (keep + 1) × maxBytes on disk,
 * whatever a page sends. The folder is 0700 and the files 0600: only the user reads them.
 */

export interface LogFileOptions {
  /** Largest size of one file. Default 5 MiB. */
  maxBytes?: number;
  /** Rotated files kept besides main.log. Default 2. */
  keep?: number;
}

/** rotatingLogSink appends lines to `dir`/`name`.log and rotates it as described above. */
export function rotatingLogSink(dir: string, name = 'main', options: LogFileOptions = {}): LogSink {
  const maxBytes = options.maxBytes ?? 5 * 1024 * 1024;
  const keep = options.keep ?? 2;
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  const file = (n: number) => join(dir, n === 0 ? `${name}.log` : `${name}.${n}.log`);
  // Files an older version wrote with the default mode are made private too.
  for (let n = 0; n <= keep; n++) {
    try {
      chmodSync(file(n), 0o600);
    } catch {
      // not there
    }
  }
  let size: number;
  try {
    size = statSync(file(0)).size;
  } catch {
    size = 0;
  }
  const rotate = () => {
    rmSync(file(keep), { force: true });
    for (let n = keep - 1; n >= 0; n--) {
      try {
        renameSync(file(n), file(n + 1));
      } catch {
        // a missing file leaves a gap, nothing to move
      }
    }
    size = 0;
  };
  return (line) => {
    const bytes = Buffer.byteLength(line, 'utf8') + 1;
    if (size > 0 && size + bytes > maxBytes) rotate();
    appendFileSync(file(0), `${line}\n`, { mode: 0o600 });
    size += bytes;
  };
}
