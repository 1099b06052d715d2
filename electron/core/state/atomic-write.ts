import { randomBytes } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';
import { open, readdir, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { crashPoint } from './crash-points';
import { PRIVATE_FILE_MODE } from './data-dir';

/**
 * atomicWriteFile replaces `path` with `data` so that a reader (or a restart after a crash) sees
 * either the whole old file or the whole new one, never a half-written file: it writes a temp
 * file in the same directory (a rename is only atomic within one file system), syncs it, renames
 * it over `path`, then syncs the directory so the rename itself survives a power cut.
 * The temp file is removed when anything fails. `data` may be a sequence of chunks, so a large
 * file (a compacted journal, a delivery report streamed from the CSV, a zipped workbook) is written piece by piece instead of being built whole.
 */
export async function atomicWriteFile(
  path: string,
  data: string | Uint8Array | Iterable<string | Uint8Array> | AsyncIterable<string | Uint8Array>,
): Promise<void> {
  const dir = dirname(path);
  const temp = join(dir, `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const fh = await open(temp, 'wx', PRIVATE_FILE_MODE);
    try {
      if (typeof data === 'string' || data instanceof Uint8Array) await writeFully(fh, data);
      else for await (const piece of data) await writeFully(fh, piece);
      await fh.sync();
    } finally {
      await fh.close();
    }
    crashPoint('atomic-write', basename(path));
    await rename(temp, path);
  } catch (e) {
    await unlink(temp).catch(() => undefined);
    throw e;
  }
  await syncDir(dir);
}

/**
 * removeTempFiles deletes the temp files atomicWriteFile left next to `path` when a crash stopped
 * it before the rename. Call it only while no other writer of `path` can be running (under the
 * campaign lock).
 */
export async function removeTempFiles(path: string): Promise<void> {
  const prefix = `.${basename(path)}.`;
  const dir = dirname(path);
  for (const name of await readdir(dir)) {
    if (name.startsWith(prefix) && name.endsWith('.tmp')) await unlink(join(dir, name)).catch(() => undefined);
  }
}

/**
 * syncDir makes a directory's entries (a created, renamed or deleted file) durable. Windows
 * cannot open a directory for syncing and makes renames durable on its own, so there (and on
 * file systems that refuse it) this is a no-op.
 */
export async function syncDir(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  let fh;
  try {
    fh = await open(dir, 'r');
  } catch {
    return;
  }
  try {
    await fh.sync();
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'EINVAL' && code !== 'EISDIR' && code !== 'EPERM' && code !== 'ENOTSUP') throw e;
  } finally {
    await fh.close();
  }
}

/**
 * writeFully writes all of `data` at the handle's position, looping because a single write may
 * take only part of it.
 */
export async function writeFully(fh: FileHandle, data: string | Uint8Array): Promise<void> {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  let offset = 0;
  while (offset < bytes.length) {
    const { bytesWritten } = await fh.write(bytes, offset, bytes.length - offset);
    offset += bytesWritten;
  }
}
