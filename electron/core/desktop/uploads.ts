import type { Hash } from 'node:crypto';
import { createHash, randomUUID } from 'node:crypto';
import type { Delimiter } from '../../../shared/csv/parse';
import { CsvTableBuilder } from '../../../shared/csv/parse';
import type { DatasetInfo } from '../../../shared/ipc/contract';
import { CSV_CHUNK_MAX } from '../../../shared/ipc/contract';
import { UserError } from '../../../shared/ipc/user-error';
import type { DatasetStore } from './datasets';

/**
 * Chunked CSV uploads (`csv:begin` / `csv:append` / `csv:finish` / `csv:abort`). A big file cannot
 * cross IPC in one message without freezing the window while it is cloned, and main should not
 * hold the bytes, their text and the table at once; so the renderer sends the file a few MiB at a
 * time and each chunk is hashed and parsed as it arrives, with the same CsvStreamParser the
 * one-shot `csv:load` uses. Only the rows are kept: the result is the very dataset `csv:load` of
 * the whole file gives (same rows, problems, warnings and content hash).
 *
 * One upload is open at a time: a new begin drops the last one (the user picked another file),
 * and one left idle for `idleMs` is dropped so an abandoned import frees its rows.
 */

/** IDLE_MS is how long an upload may wait for its next call before it is dropped. */
export const IDLE_MS = 120_000;

interface Upload {
  id: string;
  name: string;
  size: number;
  received: number;
  table: CsvTableBuilder;
  hash: Hash;
  timer: ReturnType<typeof setTimeout>;
}

/** CsvUploads receives chunked uploads and turns each finished one into a dataset of `datasets`. */
export class CsvUploads {
  private current: Upload | undefined;

  constructor(
    private readonly datasets: DatasetStore,
    private readonly idleMs = IDLE_MS,
  ) {}

  /** begin opens an upload of `size` bytes (dropping any other); `delimiter` forces one, as in csv:load. */
  begin(name: string, size: number, delimiter?: Delimiter): { uploadId: string } {
    this.drop();
    const id = randomUUID();
    const timer = setTimeout(() => {
      if (this.current?.id === id) this.drop();
    }, this.idleMs);
    timer.unref();
    this.current = {
      id,
      name,
      size,
      received: 0,
      table: new CsvTableBuilder(delimiter === undefined ? {} : { delimiter }),
      hash: createHash('sha256'),
      timer,
    };
    return { uploadId: id };
  }

  /**
   * append takes the next chunk: `offset` must be the number of bytes received so far. A chunk out
   * of order, too big, or past the declared size, and a mistake in the file's header, end the upload
   * with an error a person can read.
   */
  append(uploadId: string, offset: number, bytes: Uint8Array): { received: number } {
    const u = this.open(uploadId);
    this.failing(u, () => {
      if (bytes.length > CSV_CHUNK_MAX) throw new UserError(`A piece of "${u.name}" was larger than ${CSV_CHUNK_MAX / (1024 * 1024)} MiB. Import the file again.`);
      if (offset !== u.received) {
        throw new UserError(`Parts of "${u.name}" arrived out of order (a piece starting at byte ${offset}, expected byte ${u.received}). Import the file again.`);
      }
      if (u.received + bytes.length > u.size) {
        throw new UserError(`"${u.name}" is larger than the ${u.size} bytes it had when the import started; it may have changed while it was read. Import it again.`);
      }
      u.hash.update(bytes);
      u.table.pushBytes(bytes);
      u.received += bytes.length;
    });
    u.timer.refresh();
    return { received: u.received };
  }

  /** finish parses the last row, keeps the dataset and closes the upload; the whole file must have arrived. */
  finish(uploadId: string): DatasetInfo {
    const u = this.open(uploadId);
    const table = this.failing(u, () => {
      if (u.received !== u.size) {
        throw new UserError(`Only ${u.received} of the ${u.size} bytes of "${u.name}" arrived; it may have changed while it was read. Import it again.`);
      }
      return u.table.finish();
    });
    this.drop();
    return this.datasets.add(u.name, u.hash.digest('hex'), table);
  }

  /** abort drops the upload; an id that is not open (already finished, dropped or unknown) is ignored. */
  abort(uploadId: string): null {
    if (this.current?.id === uploadId) this.drop();
    return null;
  }

  /** openUpload is the id of the upload in progress, if any (for tests and diagnostics). */
  get openUpload(): string | undefined {
    return this.current?.id;
  }

  /** close drops any open upload (at quit). */
  close(): void {
    this.drop();
  }

  private open(uploadId: string): Upload {
    const u = this.current;
    if (u === undefined || u.id !== uploadId) {
      throw new UserError('That import is no longer open (it was cancelled, replaced by another file, or left idle too long). Import the file again.');
    }
    return u;
  }

  /** failing runs `work` on an upload and drops the upload when it throws: a broken stream cannot be resumed. */
  private failing<T>(u: Upload, work: () => T): T {
    try {
      return work();
    } catch (e) {
      if (this.current === u) this.drop();
      throw e;
    }
  }

  private drop(): void {
    const u = this.current;
    if (u === undefined) return;
    clearTimeout(u.timer);
    this.current = undefined;
  }
}
