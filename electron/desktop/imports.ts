import type { Hash } from 'node:crypto';
import { createHash, randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { CsvRow, Delimiter } from '../../shared/csv/parse';
import { CsvStreamParser } from '../../shared/csv/parse';
import type { DatasetInfo } from '../../shared/ipc/contract';
import { CSV_CHUNK_MAX, CSV_SIZE_MAX } from '../../shared/ipc/contract';
import { UserError } from '../../shared/ipc/user-error';
import type { Problem } from '../../shared/problems';

/**
 * Importing contacts into the workspace. Whatever way a CSV arrives (the renderer's chunked upload,
 * main's own open dialog, the bundled sample), its bytes are written as they come to a file of the
 * workspace (`<contacts dir>/<sha256>.csv`), hashed and parsed on the way for the summary the
 * renderer shows (headers, row count, problems, a sample). Main never holds the file, its text or
 * its rows: a campaign reads the copy from disk as the CLI reads the user's file, and the copy
 * lets a campaign be resumed or its report exported later without importing the file again.
 *
 * Limits (main bounds what it accepts, whatever the renderer sends): a file of at most
 * CSV_SIZE_MAX bytes, chunks of at most CSV_CHUNK_MAX, one upload open at a time (a new begin drops
 * the last), an upload idle for IDLE_MS dropped, and the parser refuses a row longer than it can
 * hold (see CsvStreamParser). Memory in main stays the size of one chunk and the sample.
 */

/** IDLE_MS is how long an upload may wait for its next call before it is dropped. */
export const IDLE_MS = 120_000;
const SAMPLE_ROWS = 20;
const LISTED_PROBLEMS = 100;

/** Dataset is an imported contacts file: where its copy is, and how to read it. */
export interface Dataset {
  id: string;
  /** The file name the person knows it by. */
  name: string;
  /** SHA-256 (hex) of its bytes; with the campaign, it names the campaign. */
  hash: string;
  /** The workspace's copy. */
  path: string;
  delimiter: Delimiter;
}

/** ImportSummary parses a file as it arrives, keeping only what the renderer is told. */
class ImportSummary {
  readonly #parser: CsvStreamParser;
  rowCount = 0;
  readonly sample: string[][] = [];
  readonly problems: Problem[] = [];

  constructor(delimiter?: Delimiter) {
    this.#parser = new CsvStreamParser(delimiter === undefined ? {} : { delimiter });
  }

  push(bytes: Uint8Array): void {
    this.#take(this.#parser.pushBytes(bytes));
  }

  end(): Omit<DatasetInfo, 'datasetId' | 'name'> {
    this.#take(this.#parser.end());
    return {
      headers: this.#parser.headers ?? [],
      rowCount: this.rowCount,
      delimiter: this.#parser.delimiter ?? ',',
      encoding: this.#parser.encoding,
      warnings: [...this.#parser.warnings],
      problems: this.problems,
      sample: this.sample,
    };
  }

  #take(rows: CsvRow[]): void {
    for (const r of rows) {
      this.rowCount++;
      if (this.sample.length < SAMPLE_ROWS) this.sample.push(r.fields);
      if (r.problem !== undefined && this.problems.length < LISTED_PROBLEMS) this.problems.push(r.problem);
    }
  }
}

interface Upload {
  id: string;
  name: string;
  size: number;
  received: number;
  part: string;
  fh: FileHandle;
  hash: Hash;
  summary: ImportSummary;
  timer: ReturnType<typeof setTimeout>;
  /** The call in progress: calls on one upload run one after the other. */
  busy: Promise<unknown>;
}

/** ContactsImports receives imports into the workspace folder `dir` and remembers the datasets made. */
export class ContactsImports {
  readonly #dir: string;
  readonly #idleMs: number;
  readonly #datasets = new Map<string, Dataset>();
  #current: Upload | undefined;

  constructor(dir: string, idleMs = IDLE_MS) {
    this.#dir = dir;
    this.#idleMs = idleMs;
  }

  /** begin opens an upload of `size` bytes (dropping any other); `delimiter` forces one. */
  async begin(name: string, size: number, delimiter?: Delimiter): Promise<{ uploadId: string }> {
    if (size > CSV_SIZE_MAX) throw new UserError(`"${baseName(name)}" is ${gib(size)}; the app imports files of at most ${gib(CSV_SIZE_MAX)}.`);
    await this.#drop();
    await mkdir(this.#dir, { recursive: true, mode: 0o700 });
    const id = randomUUID();
    const part = join(this.#dir, `.import-${id}.part`);
    const fh = await open(part, 'wx', 0o600);
    const timer = setTimeout(() => {
      if (this.#current?.id === id) void this.#drop();
    }, this.#idleMs);
    timer.unref();
    this.#current = { id, name: baseName(name), size, received: 0, part, fh, hash: createHash('sha256'), summary: new ImportSummary(delimiter), timer, busy: Promise.resolve() };
    return { uploadId: id };
  }

  /**
   * append takes the next chunk: `offset` must be the number of bytes received so far. A chunk out
   * of order, too big, or past the declared size, and a mistake in the file's header, end the upload
   * with an error a person can read.
   */
  append(uploadId: string, offset: number, bytes: Uint8Array): Promise<{ received: number }> {
    const u = this.#open(uploadId);
    return this.#serial(u, async () => {
      if (bytes.length > CSV_CHUNK_MAX) throw new UserError(`A piece of "${u.name}" was larger than ${CSV_CHUNK_MAX / (1024 * 1024)} MiB. Import the file again.`);
      if (offset !== u.received) {
        throw new UserError(`Parts of "${u.name}" arrived out of order (a piece starting at byte ${offset}, expected byte ${u.received}). Import the file again.`);
      }
      if (u.received + bytes.length > u.size) {
        throw new UserError(`"${u.name}" is larger than the ${u.size} bytes it had when the import started; it may have changed while it was read. Import it again.`);
      }
      u.summary.push(bytes);
      u.hash.update(bytes);
      await u.fh.write(bytes);
      u.received += bytes.length;
      u.timer.refresh();
      return { received: u.received };
    });
  }

  /** finish parses the last row, keeps the file in the workspace and answers the dataset; the whole file must have arrived. */
  finish(uploadId: string): Promise<DatasetInfo> {
    const u = this.#open(uploadId);
    return this.#serial(u, async () => {
      if (u.received !== u.size) {
        throw new UserError(`Only ${u.received} of the ${u.size} bytes of "${u.name}" arrived; it may have changed while it was read. Import it again.`);
      }
      const info = u.summary.end();
      await u.fh.sync();
      await u.fh.close();
      const dataset = await this.#keep(u.name, u.hash.digest('hex'), u.part, info.delimiter);
      clearTimeout(u.timer);
      if (this.#current === u) this.#current = undefined;
      return { datasetId: dataset.id, name: dataset.name, ...info };
    });
  }

  /** abort drops the upload; an id that is not open (already finished, dropped or unknown) is ignored. */
  async abort(uploadId: string): Promise<null> {
    if (this.#current?.id === uploadId) await this.#drop();
    return null;
  }

  /**
   * importFile imports a file main found itself (its own open dialog, the bundled sample): read as a
   * stream into the workspace exactly as an upload of its bytes would be.
   */
  async importFile(path: string, delimiter?: Delimiter): Promise<DatasetInfo> {
    let size: number;
    try {
      size = (await stat(path)).size;
    } catch (e) {
      throw new UserError(`Cannot read ${basename(path)}: ${String((e as NodeJS.ErrnoException).code ?? e)}.`);
    }
    const { uploadId } = await this.begin(path, size, delimiter);
    try {
      let offset = 0;
      for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
        const bytes = chunk as Buffer;
        await this.append(uploadId, offset, bytes);
        offset += bytes.length;
      }
    } catch (e) {
      await this.abort(uploadId);
      if (e instanceof Error && 'code' in e && !(e instanceof UserError)) throw new UserError(`Cannot read ${basename(path)}: ${String((e as NodeJS.ErrnoException).code)}.`);
      throw e;
    }
    return this.finish(uploadId);
  }

  /** get returns a dataset, or a UserError when this window never imported it. */
  get(id: string): Dataset {
    const d = this.#datasets.get(id);
    if (d === undefined) throw new UserError('That CSV is no longer loaded. Import it again.');
    return d;
  }

  /** openUpload is the id of the upload in progress, if any (for tests and diagnostics). */
  get openUpload(): string | undefined {
    return this.#current?.id;
  }

  /** close drops any open upload (at quit). */
  close(): Promise<void> {
    return this.#drop();
  }

  async #keep(name: string, hash: string, part: string, delimiter: Delimiter): Promise<Dataset> {
    const path = join(this.#dir, `${hash}.csv`);
    // The same content imported before is the same file: keep the first copy.
    if (await exists(path)) await rm(part, { force: true });
    else await rename(part, path);
    const dataset: Dataset = { id: randomUUID(), name, hash, path, delimiter };
    this.#datasets.set(dataset.id, dataset);
    while (this.#datasets.size > 50) {
      const oldest = this.#datasets.keys().next().value;
      if (oldest === undefined) break;
      this.#datasets.delete(oldest);
    }
    return dataset;
  }

  #open(uploadId: string): Upload {
    const u = this.#current;
    if (u === undefined || u.id !== uploadId) {
      throw new UserError('That import is no longer open (it was cancelled, replaced by another file, or left idle too long). Import the file again.');
    }
    return u;
  }

  /** serial runs `work` after the upload's previous call, and drops the upload when it throws: a broken stream cannot be resumed. */
  #serial<T>(u: Upload, work: () => Promise<T>): Promise<T> {
    const run = u.busy.then(async () => {
      if (this.#current !== u) throw new UserError('That import is no longer open. Import the file again.');
      try {
        return await work();
      } catch (e) {
        if (this.#current === u) await this.#drop();
        throw e;
      }
    });
    u.busy = run.catch(() => undefined);
    return run;
  }

  async #drop(): Promise<void> {
    const u = this.#current;
    if (u === undefined) return;
    this.#current = undefined;
    clearTimeout(u.timer);
    await u.fh.close().catch(() => undefined);
    await rm(u.part, { force: true });
  }
}

/** baseName keeps only the file name of whatever path-like name the renderer or a dialog gave. */
export function baseName(name: string): string {
  const parts = name.split(/[\\/]/);
  return (parts[parts.length - 1] ?? name).slice(0, 200) || 'contacts.csv';
}

function gib(bytes: number): string {
  return bytes >= 1024 ** 3 ? `${(bytes / 1024 ** 3).toFixed(1)} GiB` : `${Math.ceil(bytes / 1024 ** 2)} MiB`;
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}
